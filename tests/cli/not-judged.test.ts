import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mopan } from "../in-process.js";

const TMP = mkdtempSync(join(tmpdir(), "mopan-not-judged-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const META = { organisation: { name: "O" }, framework: { id: "mopan-3.1" }, methodology: "3.1", period: { from: "2023", to: "2023" }, assessors: [] };

function assessment(name: string, extra: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = join(TMP, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "assessment.json"), JSON.stringify({ ...META, ...extra }, null, 2));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe("not judged yet is not N/E", () => {
  const dir = assessment("partial", {
    judgements: [{ id: "MI1.1.E1", score: 3 }, { id: "MI1.1.E2", score: "N/E" }, { id: "MI1.1.E3" }, { id: "MI1.1.E4" }],
    evidence: [{ id: "ev", stream: "document", source: { title: "t" }, elements: ["MI1.1.E4"], suggestedScores: { "MI1.1.E4": 2 } }],
  });

  it("a blank score with nothing to derive it from is unjudged; one with suggested scores is derived", async () => {
    const result = JSON.parse((await mopan("score", dir, "--format", "json")).stdout) as {
      unjudged: string[];
      kpis: { id: string; unjudged: number }[];
      elements: { id: string; source: string; flag: string | null }[];
    };
    expect(result.unjudged).toContain("MI1.1.E3");
    expect(result.unjudged).not.toContain("MI1.1.E2");
    expect(result.unjudged).not.toContain("MI1.1.E4");
    expect(result.elements.find((e) => e.id === "MI1.1.E4")).toMatchObject({ source: "triangulated" });
    expect(result.elements.find((e) => e.id === "MI1.1.E2")).toMatchObject({ source: "judgement", flag: "N/E" });
    expect(result.kpis.find((k) => k.id === "KPI1")!.unjudged).toBe(result.unjudged.filter((id) => /^MI1\./.test(id)).length);
  });

  it("validate gives one warning line counting them per KPI, and --strict fails", async () => {
    const r = await mopan("validate", dir);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/warning unjudged-element: 242 of 245 elements and results MIs are not judged yet \(KPI1 15, KPI2 24, .*KPI12 1\)/);
    expect(r.code).toBe(0);
    expect((await mopan("validate", "--strict", dir)).code).toBe(1);
  });

  it("every score output says how many are unjudged; the report never shows them as judgements", async () => {
    expect((await mopan("score", dir)).stdout).toMatch(/Not judged yet: 242 of 245 items \(KPI1 15, .*\)\. They count as N\/E above, but no one judged them to lack evidence\./);
    expect((await mopan("score", dir, "--format", "md")).stdout).toContain("Not judged yet: 242 of 245 items");
    const csv = (await mopan("score", dir, "--format", "csv", "--detail")).stdout.split("\n");
    expect(csv[0]).toMatch(/,not_judged$/);
    expect(csv.find((l) => l.startsWith("kpi,KPI1,"))).toMatch(/,15$/);
    expect(csv.find((l) => l.startsWith("element,MI1.1.E3,"))).toBe("element,MI1.1.E3,MI1.1,,,,,,,,,unjudged,,1");
    expect(csv.find((l) => l.startsWith("element,MI1.1.E2,"))).toBe("element,MI1.1.E2,MI1.1,,,,,,,,N/E,judgement,,0");
    const md = (await mopan("report", dir, "--format", "md")).stdout;
    expect(md).toContain("242 elements and results MIs are not judged yet (KPI1 15,");
    // By default the empty rows collapse to one line per MI, each saying what its items are.
    expect(md).toContain("1 element not judged: E3; no rationale recorded");
    expect(md).toContain("1 element no evidence (N/E): E2; no rationale recorded");
    const full = (await mopan("report", dir, "--format", "md", "--full")).stdout;
    expect(full).toMatch(/\| MI1\.1\.E3 .*\| — \| not judged \|/);
    expect(full).toMatch(/\| MI1\.1\.E2 .*\| N\/E \| no evidence \|/);
    expect(full).not.toMatch(/\| (— \| judge|MI1\.1\.E3 .*\| N\/E)/);
    expect((await mopan("sensitivity", dir)).stderr).toContain("242 of 245 elements and results MIs are not judged yet");
    expect((await mopan("compare", dir, dir)).stderr).toContain("242 of 245 elements and results MIs are not judged yet");
  });
});

describe("smaller frictions", () => {
  it("errors come before warnings", async () => {
    const dir = assessment("mixed", { judgements: [{ id: "MI1.1.E1", score: 9 }] });
    const lines = (await mopan("validate", dir)).stdout.trim().split("\n");
    expect(lines[0]).toContain("error score-off-scale");
    expect(lines[1]).toContain("warning unjudged-element");
  });

  it("the score type error says N/E and N/A are allowed; a locale date gets its ISO form", async () => {
    const dir = assessment("types", { period: { from: "31/03/2023", to: "2023" }, judgements: [{ id: "MI1.1.E1", score: "three" }] });
    const out = (await mopan("validate", dir)).stdout;
    expect(out).toContain('error invalid-type: Expected a number, "N/E" or "N/A", received string "three".');
    expect(out).toContain('"31/03/2023" is not a date such as 2023, 2023-03 or 2023-03-31. Dates are ISO, year-month-day: write 2023-03-31.');
    const ambiguous = assessment("ambiguous", { period: { from: "03/04/2023", to: "2023" } });
    expect((await mopan("validate", ambiguous)).stdout).toContain("(2023-04-03 if this is day/month/year, 2023-03-04 if month/day/year)");
  });

  it("what-if --set accepts what a spreadsheet cell accepts: n/e, n/a in any case", async () => {
    const dir = assessment("whatif", {
      judgements: [
        { id: "MI1.1.E1", score: 3 },
        { id: "MI9.1", score: 3 },
      ],
    });
    const r = await mopan("what-if", dir, "--set", "MI1.1.E1=n/e", "--set", "MI9.1=n/A", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { parameters: { settings: unknown } }).parameters.settings).toEqual([
      { id: "MI1.1.E1", from: 3, to: "N/E" },
      { id: "MI9.1", from: 3, to: "N/A" },
    ]);
  });

  it("a duplicate judgement in scores.csv names the row of the first", async () => {
    const dir = assessment("dup", {}, { "scores.csv": "id,score\nMI1.1.E1,3\nMI1.1.E2,2\nMI1.1.E1,1\n" });
    expect((await mopan("validate", dir)).stdout).toContain('dup/scores.csv:4:1 error duplicate-judgement: "MI1.1.E1" is judged twice (first at');
    expect((await mopan("validate", dir)).stdout).toContain("scores.csv line 2); only one judgement can count.");
  });

  it("when assessment.json and scores.csv both define judgements, the message says which would win and why neither is read", async () => {
    const dir = assessment("both", { judgements: [{ id: "MI1.1.E1", score: 3 }] }, { "scores.csv": "id,score\nMI1.1.E2,2\n" });
    const out = (await mopan("validate", dir)).stdout;
    expect(out).toContain("error duplicate-source:");
    expect(out).toContain("scores.csv would win, as the file a spreadsheet edits, but the judgements in");
  });
});
