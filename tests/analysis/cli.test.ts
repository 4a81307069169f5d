/** The analysis commands as a user runs them: `node dist/cli/main.js` (build first). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateCommand } from "../../src/cli/commands/simulate.js";
import { terminal } from "../../src/io/output.js";
import { ROOT, assessmentJson, frameworkJson } from "./support.js";

const root = fileURLToPath(ROOT);
const MAIN = join(root, "dist/cli/main.js");
let dir = "";
let frameworks = "";
let good = "";

const mopan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "mopan-analysis-"));
  frameworks = join(dir, "frameworks");
  mkdirSync(frameworks);
  writeFileSync(join(frameworks, "test-analysis.json"), JSON.stringify(frameworkJson([[3, 2], ["rubric"]])));
  good = join(dir, "good");
  mkdirSync(good);
  writeFileSync(
    join(good, "assessment.json"),
    JSON.stringify(
      assessmentJson({
        "MI1.1.E1": 3,
        "MI1.1.E2": 2,
        "MI1.1.E3": 2,
        "MI1.2.E1": 4,
        "MI1.2.E2": "N/E",
        "MI2.1": 3,
      }),
    ),
  );
  mkdirSync(join(dir, "broken"));
  writeFileSync(join(dir, "broken", "assessment.json"), "{ not json");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("mopan sensitivity", () => {
  it("exits 0 with a text report, and with JSON on --format json", () => {
    const text = mopan("sensitivity", good, "--frameworks", frameworks);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("KPI1");
    const json = mopan("sensitivity", good, "--frameworks", frameworks, "--format", "json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).parameters.ratingScale).toBe("mopan-3.1");
  });

  it("exits 1 on an invalid assessment, 2 on bad usage", () => {
    const broken = mopan("sensitivity", join(dir, "broken"), "--frameworks", frameworks);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("invalid-json");
    expect(mopan("sensitivity").code).toBe(2);
    expect(mopan("sensitivity", good, "--format", "xml").code).toBe(2);
  });
});

describe("mopan simulate", () => {
  it("same seed, same bytes; nothing on stderr when it is a pipe", () => {
    const a = mopan("simulate", good, "--frameworks", frameworks, "--draws", "25000", "--seed", "7", "--format", "json");
    const b = mopan("simulate", good, "--frameworks", frameworks, "--draws", "25000", "--seed", "7", "--format", "json");
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe("");
    expect(JSON.parse(a.stdout).parameters).toMatchObject({ draws: 25000, seed: 7 });
    const c = mopan("simulate", good, "--frameworks", frameworks, "--draws", "25000", "--seed", "8", "--format", "json");
    expect(c.stdout).not.toBe(a.stdout);
  });

  it("exits 2 for draws or seeds that are not positive integers or too large", () => {
    for (const bad of [
      ["--draws", "0"],
      ["--draws", "-5"],
      ["--draws", "1.5"],
      ["--draws", "ten"],
      ["--draws", "1000001"],
      ["--seed", "0"],
      ["--seed", "4294967296"],
      ["--seed", "x"],
    ]) {
      const r = mopan("simulate", good, "--frameworks", frameworks, ...bad);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.stderr).toContain("Usage: mopan simulate");
    }
  });

  it("exits 1 on an invalid assessment or uncertainty model", () => {
    expect(mopan("simulate", join(dir, "broken"), "--frameworks", frameworks).code).toBe(1);
    const model = join(dir, "model.json");
    writeFileSync(model, JSON.stringify({ id: "bad", title: "Bad", unit: "step", provenance: { status: "project", basis: "x" }, levels: { high: { "0": 0.5 }, medium: { "0": 1 }, low: { "0": 1 } } }));
    const r = mopan("simulate", good, "--frameworks", frameworks, "--uncertainty", model);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("add up to exactly 1");
  });
});

describe("mopan what-if", () => {
  it("exits 0 and reports the change", () => {
    const r = mopan("what-if", good, "--frameworks", frameworks, "--set", "MI1.1.E2=4", "--format", "json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // MI1.1 (3+2+2)/3 -> (3+4+2)/3: +2/3; KPI1 = mean(MI1.1, MI1.2 = 4): +1/3.
    expect(out.mis[0]).toMatchObject({ id: "MI1.1", exactChange: "2/3" });
    expect(out.kpis[0]).toMatchObject({ id: "KPI1", exactChange: "1/3" });
  });

  it("exits 1 on an unknown id or an off-scale score, with diagnostics on stderr", () => {
    const unknown = mopan("what-if", good, "--frameworks", frameworks, "--set", "MI7.7.E7=3");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown-id");
    const off = mopan("what-if", good, "--frameworks", frameworks, "--set", "MI2.1=0");
    expect(off.code).toBe(1);
    expect(off.stderr).toContain("score-off-scale");
    expect(off.stdout).toBe("");
  });

  it("exits 2 without --set or with a malformed one", () => {
    expect(mopan("what-if", good, "--frameworks", frameworks).code).toBe(2);
    expect(mopan("what-if", good, "--frameworks", frameworks, "--set", "MI1.1.E1").code).toBe(2);
  });
});

describe("simulate progress bar", () => {
  const capture = (stderrIsTty: boolean) => {
    const out = { stdout: "", stderr: "" };
    const io = terminal({ stdout: (t) => void (out.stdout += String(t)), stderr: (t) => void (out.stderr += t), stdoutIsTty: false, stderrIsTty });
    return { io, out };
  };

  it("shows on a terminal for a long run (> 20,000 draws) and clears itself; never on a pipe", async () => {
    const tty = capture(true);
    expect(await simulateCommand([good, "--frameworks", frameworks, "--draws", "30000"], tty.io)).toBe(0);
    expect(tty.out.stderr).toContain("simulating [");
    expect(tty.out.stderr).toContain("100% 30000/30000");
    expect(tty.out.stderr.endsWith("\r")).toBe(true);
    expect(tty.out.stdout).not.toContain("simulating");
    const pipe = capture(false);
    expect(await simulateCommand([good, "--frameworks", frameworks, "--draws", "30000"], pipe.io)).toBe(0);
    expect(pipe.out.stderr).toBe("");
    expect(pipe.out.stdout).toBe(tty.out.stdout);
  });

  it("stays silent on a terminal for a short, quick run", async () => {
    const tty = capture(true);
    expect(await simulateCommand([good, "--frameworks", frameworks, "--draws", "2000"], tty.io)).toBe(0);
    expect(tty.out.stderr).toBe("");
  });
});
