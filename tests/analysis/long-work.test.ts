/**
 * The pathological inputs of issue #14, checked by their results (never by time; speed is in
 * `npm run bench`): a KPI of 200 MIs x 50 elements in `sensitivity`, `score` with every element
 * cited by 20,000 evidence entries listed in reverse order, and `simulate` over 50,000 elements, refused by the declared work limit unless raised, announced before it starts, and
 * stopped cleanly by Ctrl-C (SIGINT). The CLI runs are `dist/bin/mopan.js` (build first).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sensitivity } from "../../src/analysis/sensitivity.js";
import { simulateCommand } from "../../src/cli/commands/simulate.js";
import { score } from "../../src/scoring/score.js";
import { LIMITS } from "../../src/text/limits.js";
import { terminal } from "../../src/io/output.js";
import { ROOT, SCALES, SCALE_31, assessmentJson, frameworkJson, makeAssessment, makeFramework } from "./support.js";

const root = fileURLToPath(ROOT);
const BIN = join(root, "dist/bin/mopan.js");

/** Every element of every MI judged `score`: ids as `frameworkJson` names them. */
const judgeAll = (mis: readonly number[], score: number) => Object.fromEntries(mis.flatMap((n, m) => Array.from({ length: n }, (_, e) => [`MI1.${m + 1}.E${e + 1}`, score] as const)));

const captureIo = () => {
  const out = { stdout: "", stderr: "" };
  return { out, io: terminal({ stdout: (t) => void (out.stdout += String(t)), stderr: (t) => void (out.stderr += t), stdoutIsTty: false, stderrIsTty: false }) };
};

describe("score with every element cited by 20,000 evidence entries, listed in reverse order", () => {
  it("lists each element's and each MI's evidence once, sorted", () => {
    const mis = [3, 2];
    const framework = makeFramework([mis]);
    const elements = Object.keys(judgeAll(mis, 3));
    const ids = Array.from({ length: 20_000 }, (_, i) => `ev-${String(i).padStart(5, "0")}`);
    const evidence = ids.map((id, i) => ({ id, stream: i % 2 ? "document" : "interview", source: { title: id }, elements })).reverse();
    const result = score(framework, SCALE_31, makeAssessment(framework, judgeAll(mis, 3), { evidence }));
    expect(result.elements.map((e) => e.evidence)).toEqual(elements.map(() => ids));
    expect(result.mis.map((mi) => mi.evidence)).toEqual([ids, ids]);
    expect(result.mis[0]!.confidence.basis).toMatchObject({ streams: ["document", "interview"], evidence: 20_000 });
  }, 60_000);
});

describe("sensitivity on one KPI of 200 MIs x 50 elements", () => {
  it("finds the proven smallest change set", () => {
    // Every element at 2: the KPI is 2.00 (Unsatisfactory). Satisfactory starts at 2.51, which a
    // score of 2.505 reaches after rounding half-up: the 10,000 elements must rise by 5,050
    // points in all, and each can rise at most 2 (to 4), so 2,525 elements, each moved to 4.
    const mis = Array.from({ length: 200 }, () => 50);
    const framework = makeFramework([mis]);
    const result = sensitivity(framework, SCALE_31, makeAssessment(framework, judgeAll(mis, 2)), { scales: SCALES });
    const kpi = result.kpis[0]!;
    expect(kpi.current).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
    const up = kpi.changes.up;
    if (!up.reached) throw new Error(up.reason);
    expect(up.minimal).toBe(true);
    expect(up.changes).toHaveLength(2525);
    expect(up.changes.every((c) => c.from === 2 && c.to === 4)).toBe(true);
    expect(up.result).toEqual({ score: 2.51, exact: "501/200", rating: "satisfactory" });
    // Down: Highly unsatisfactory ends at 1.50, so the score must fall below 1.505.
    const down = kpi.changes.down;
    if (!down.reached) throw new Error(down.reason);
    expect(down.changes).toHaveLength(2476);
    // Below 1.505: a fall of more than 4,950 points, so 2,475 elements to 0 and one more to 1.
    expect(down.changes.filter((c) => c.to === 0)).toHaveLength(2475);
    expect(down.changes.filter((c) => c.to === 1)).toHaveLength(1);
    expect(down.result.rating).toBe("highly-unsatisfactory");
  }, 240_000);
});

describe("simulate over 50,000 elements", () => {
  let dir = "";
  let frameworks = "";
  let big = "";
  let small = "";
  let smallFrameworks = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mopan-long-work-"));
    frameworks = join(dir, "frameworks");
    mkdirSync(frameworks);
    const mis = Array.from({ length: 1000 }, () => 50);
    writeFileSync(join(frameworks, "test-analysis.json"), JSON.stringify(frameworkJson([mis])));
    big = join(dir, "big");
    mkdirSync(big);
    writeFileSync(join(big, "assessment.json"), JSON.stringify(assessmentJson(judgeAll(mis, 3))));
    smallFrameworks = join(dir, "small-frameworks");
    mkdirSync(smallFrameworks);
    writeFileSync(join(smallFrameworks, "test-analysis.json"), JSON.stringify(frameworkJson([[2]])));
    small = join(dir, "small");
    mkdirSync(small);
    writeFileSync(join(small, "assessment.json"), JSON.stringify(assessmentJson({ "MI1.1.E1": 3, "MI1.1.E2": 2 })));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a million draws are refused by the work limit, with its own code, before any draw", async () => {
    const { out, io } = captureIo();
    expect(await simulateCommand([big, "--frameworks", frameworks, "--draws", "1000000"], io)).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(LIMITS.simulationWork.code);
    expect(out.stderr).toContain("1,000,000 draws x 50,000 varying elements = 50,000,000,000 random draws");
    expect(out.stderr).toContain("--max-work 50000000000");
  }, 120_000);

  it("--max-work sets the limit: lower refuses a small run, higher lets it run", async () => {
    // 100 draws x 2 varying elements = 200 random draws.
    const refused = captureIo();
    expect(await simulateCommand([small, "--frameworks", smallFrameworks, "--draws", "100", "--max-work", "199"], refused.io)).toBe(1);
    expect(refused.out.stderr).toContain(LIMITS.simulationWork.code);
    const allowed = captureIo();
    expect(await simulateCommand([small, "--frameworks", smallFrameworks, "--draws", "100", "--max-work", "200", "--format", "json"], allowed.io)).toBe(0);
    expect(JSON.parse(allowed.out.stdout).parameters).toMatchObject({ draws: 100, varied: 2 });
  }, 120_000);

  it("a large run prints its size first, and Ctrl-C stops it cleanly: exit 130, nothing on stdout", async () => {
    if (!existsSync(BIN)) throw new Error("dist/bin/mopan.js is missing: run `npm run build` first");
    // 20,000 draws x 50,000 elements = 10^9 random draws: announced, and long enough to interrupt.
    const child = spawn(process.execPath, [BIN, "simulate", big, "--frameworks", frameworks, "--draws", "20000"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    let interrupted = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        if (!interrupted && stderr.includes("random draws.")) interrupted = child.kill("SIGINT");
      });
      child.on("close", (c) => resolve(c));
    });
    expect(stderr).toContain("simulate: 20,000 draws x 50,000 varying elements = 1,000,000,000 random draws.");
    expect(stderr).toMatch(/Stopped after [\d,]+ of 20,000 draws; nothing was written\./);
    expect(stdout).toBe("");
    expect(code).toBe(130);
  }, 240_000);
});
