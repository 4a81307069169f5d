/**
 * The crashes and hangs the fuzzer found, one test each, through the bundled CLI (each was an
 * "internal error", a stack overflow or a run of minutes before its fix).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, cli, writeTree } from "./support.js";

const TMP = mkdtempSync(join(tmpdir(), "mopan-regressions-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
type Json = Record<string, unknown>;
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Json;
const FIXTURE = read("tests/fixtures/frameworks/valid.json");
const OVERLAY = read("tests/fixtures/frameworks/overlay-valid.json");
const IOM = read("assessments/iom-2023/assessment.json") as Json & { judgements: Json[]; evidence: Json[] };
const LEAVES = ["MI1.1.E1", "MI1.1.E2", "MI1.1.E3", "MI1.2.E1", "MI1.2.E2", "MI2.1.E1", "MI2.1.E2"];
const small = (framework: string) => ({
  organisation: { name: "Org" },
  framework: { id: framework },
  methodology: "3.1",
  period: { from: "2020", to: "2021" },
  assessors: [],
  judgements: [...LEAVES.map((id, i) => ({ id, score: [0, 1, 2, 3, 4, 2, 1][i] })), { id: "MI2.2", score: 3 }],
});

describe("crashes found by the fuzzer", () => {
  it("an overlay cycle through file names that differ from the ids inside was endless recursion (stack overflow)", () => {
    const dir = writeTree(join(TMP, "cycle"), {
      "fw/cycle-a.json": JSON.stringify({ ...OVERLAY, id: "one", extends: "cycle-b" }),
      "fw/cycle-b.json": JSON.stringify({ ...OVERLAY, id: "two", extends: "cycle-a" }),
      "fw/fixture-base.json": JSON.stringify(FIXTURE),
      "a/assessment.json": JSON.stringify(small("cycle-a")),
    });
    for (const command of ["validate", "score", "report", "sensitivity"]) {
      const run = cli([command, join(dir, "a"), "--frameworks", join(dir, "fw")]);
      expect(run.status, command).toBe(1);
      expect(run.stdout + run.stderr).toContain("overlay-cycle");
    }
  });

  it("20,000 diagnostics in a 10 MB file took minutes to locate (a line count from the start for each)", () => {
    const data = structuredClone(IOM);
    while (data.judgements.length < 20_000) data.judgements.push(data.judgements[data.judgements.length % 100]!);
    const dir = writeTree(join(TMP, "many"), { "assessment.json": JSON.stringify(data, null, 2) });
    const started = Date.now();
    expect(cli(["validate", dir]).status).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("more than about 120,000 diagnostics overflowed the stack (push(...list) passes each as an argument)", () => {
    const ids = Array.from({ length: 95_000 }, (_, i) => `MI99.1.E${i}`);
    const data = { ...IOM, evidence: [0, 1].map((k) => ({ id: `x${k}`, stream: "document", source: { title: "t" }, elements: ids })), judgements: Array.from({ length: 30_000 }, () => ({})) };
    const dir = writeTree(join(TMP, "overflow"), { "assessment.json": JSON.stringify(data) });
    const run = cli(["validate", dir, "--format", "json"], { timeout: 60_000 });
    expect(run.status).toBe(1);
    const parsed = JSON.parse(run.stdout) as { errors: number; diagnostics: { code: string }[] };
    expect(parsed.errors).toBeGreaterThan(150_000);
    expect(parsed.diagnostics.some((d) => d.code === "too-many-problems")).toBe(true);
  });

  it("an output whose folder is a file: the writers' clean-up threw ENOTDIR (internal error)", () => {
    const dir = writeTree(join(TMP, "blocked"), { blocked: "a file\n" });
    const run = cli(["report", join(ROOT, "assessments/iom-2023"), "--out", join(dir, "blocked", "r.html")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/blocked/);
  });

  it("simulate with weights 1e-324 beside 1e308 overflowed floats to NaN (internal error)", () => {
    const policy = FIXTURE["policy"] as Json & { aggregation: Json };
    const framework = {
      ...FIXTURE,
      policy: {
        ...policy,
        aggregation: { mi: { method: "mean", weights: { "MI1.1.E1": 5e-324, "MI1.1.E2": 1.7976931348623157e308 } }, kpi: { method: "mean", weights: { "MI1.1": 4.9e-324, "MI1.2": 1e300 } } },
      },
    };
    const dir = writeTree(join(TMP, "weights"), { "fw/fixture-base.json": JSON.stringify(framework), "a/assessment.json": JSON.stringify(small("fixture-base")) });
    for (const draws of ["50", "2000"]) {
      const run = cli(["simulate", join(dir, "a"), "--draws", draws, "--format", "json", "--frameworks", join(dir, "fw")]);
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { kpis: { mean: number | null }[] };
      for (const kpi of result.kpis) if (kpi.mean !== null) expect(Number.isFinite(kpi.mean)).toBe(true);
    }
  });

  it("sensitivity over a scale with a step of 1e-300 never finished (it goes through the scale's values)", () => {
    const policy = FIXTURE["policy"] as Json;
    const framework = { ...FIXTURE, policy: { ...policy, elementScale: { min: 0, max: 4, step: 1e-300 } } };
    const dir = writeTree(join(TMP, "fine"), { "fw/fixture-base.json": JSON.stringify(framework), "a/assessment.json": JSON.stringify(small("fixture-base")) });
    const run = cli(["sensitivity", join(dir, "a"), "--frameworks", join(dir, "fw")], { timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("scale-too-fine");
  });

  it('"__proto__=3" in a suggested_scores cell was silently dropped; now it is an unknown id at its cell', () => {
    const dir = writeTree(join(TMP, "proto-cell"), {
      "fw/fixture-base.json": JSON.stringify(FIXTURE),
      "a/assessment.json": JSON.stringify({ ...small("fixture-base"), judgements: undefined }),
      "a/scores.csv":
        "id,score\n" +
        small("fixture-base")
          .judgements.map((j) => `${j.id},${j.score}`)
          .join("\n") +
        "\n",
      "a/evidence.csv": "id,stream,title,elements,suggested_scores\nd1,document,T,MI1.1.E1,__proto__=3\n",
    });
    const run = cli(["validate", join(dir, "a"), "--frameworks", join(dir, "fw")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/evidence\.csv:2:\d+ error unknown-id: "__proto__"/);
  });
});
