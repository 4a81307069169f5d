/**
 * Every output marks the ratings the coverage rule makes provisional, and says why; the
 * disclaimer comes from the provenance of the framework and the assessment, not fixed wording.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScoreResult } from "../../src/scoring/result.js";
import { mopan } from "../fuzz/support.js";

const ROOT = join(import.meta.dirname, "../..");
const IOM = join(ROOT, "assessments/iom-2023");

let result: ScoreResult;
let provisionalKpi: ScoreResult["kpis"][number];
let firmKpi: ScoreResult["kpis"][number];
let dir = "";

beforeAll(async () => {
  const json = await mopan("score", IOM, "--format", "json");
  expect(json.status).toBe(0);
  result = JSON.parse(json.stdout) as ScoreResult;
  provisionalKpi = result.kpis.find((k) => k.id === "KPI8")!;
  firmKpi = result.kpis.find((k) => k.score !== null && k.provisional === null)!;
  dir = mkdtempSync(join(tmpdir(), "mopan-provisional-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the IOM reference assessment under the coverage rule", () => {
  it("JSON: KPI8 (3 of 35 elements) is provisional with its reason, its score still computed, and the rule is in the provenance", () => {
    expect(provisionalKpi.score).not.toBeNull();
    expect(provisionalKpi.provisional).toMatchObject({ scored: 3, applicable: 35 });
    expect(provisionalKpi.provisional!.reason).toContain("3 of 35 applicable items scored");
    expect(firmKpi).toBeDefined();
    const rule = result.provenance.policy.provisional!;
    expect(rule).toMatchObject({ enabled: true, status: "project" });
    expect(rule.kpi?.minScoredShare).toBeGreaterThan(0);
    // Every MI resting on one scored element of several is provisional.
    for (const mi of result.mis) if (mi.coverage.scored === 1 && mi.coverage.total - mi.coverage.notApplicable > 1) expect(mi.provisional, mi.id).not.toBeNull();
  });

  it("text marks provisional KPIs with * and lists each reason; firm ones carry no mark", async () => {
    const { stdout } = await mopan("score", IOM);
    expect(stdout).toMatch(/^ {2}KPI8 +\S+ +Unsatisfactory\* /m);
    expect(stdout).toMatch(new RegExp(`^  ${firmKpi.id} +\\S+ +[A-Za-z ]+[a-z] {2,}`, "m"));
    expect(stdout).toContain(`  KPI8: ${provisionalKpi.provisional!.reason}.`);
    expect(stdout).toContain("Provisional (*):");
    expect(stdout).toContain("little to no confidence");
  });

  it("CSV has a provisional column with the reason", async () => {
    const { stdout } = await mopan("score", IOM, "--format", "csv", "--detail");
    const lines = stdout.trim().split(/\r?\n/);
    // provisional, then not_judged (the count of items not judged yet) last.
    expect(lines[0]!.split(",").slice(-2)).toEqual(["provisional", "not_judged"]);
    const kpi8 = lines.find((l) => l.startsWith("kpi,KPI8,"))!;
    expect(kpi8).toContain(provisionalKpi.provisional!.reason);
    expect(lines.find((l) => l.startsWith(`kpi,${firmKpi.id},`))!.endsWith(",0")).toBe(true);
  });

  it("Markdown score table and both reports mark it", async () => {
    const md = (await mopan("score", IOM, "--format", "md")).stdout;
    expect(md).toMatch(/^\| KPI8 \|.*\| Unsatisfactory \\\* \|/m);
    expect(md).toContain(`- KPI8: ${provisionalKpi.provisional!.reason.replace(/[()]/g, (c) => c)}`);
    const reportMd = (await mopan("report", IOM, "--format", "md")).stdout;
    expect(reportMd).toMatch(/^\| KPI8 \|.*\| Unsatisfactory \(provisional\) \|/m);
    expect(reportMd).toMatch(/^### KPI8 .* \(provisional\)$/m);
    const html = (await mopan("report", IOM)).stdout;
    expect(html).toContain(`<span class="tag" title="${provisionalKpi.provisional!.reason}">provisional</span>`);
    expect(html).toContain(`<li>KPI8: ${provisionalKpi.provisional!.reason}.</li>`);
    expect(html).toContain("Coverage rule");
  });

  it("compare and sensitivity carry it", async () => {
    const compare = await mopan("compare", IOM, IOM, "--format", "json");
    const row = (JSON.parse(compare.stdout) as { kpis: { id: string; a: { provisional: string | null }; b: { provisional: string | null } }[] }).kpis.find((k) => k.id === "KPI8")!;
    expect(row.a.provisional).toBe(provisionalKpi.provisional!.reason);
    expect(row.b.provisional).toBe(provisionalKpi.provisional!.reason);
    expect((await mopan("compare", IOM, IOM)).stdout).toMatch(/^ {2}KPI8 .*provisional in .*\(a\) and .*\(b\)/m);
    expect((await mopan("compare", IOM, IOM, "--format", "csv")).stdout).toMatch(/^compared,kpi,KPI8,.*3 of 35 applicable items scored .*,.*3 of 35 applicable items scored/m);
    expect((await mopan("compare", IOM, IOM, "--format", "html")).stdout).toMatch(/<span class="tag">provisional in [^<]*\(a\) and [^<]*\(b\)<\/span>/);
    const sensitivity = await mopan("sensitivity", IOM);
    expect(sensitivity.stdout).toMatch(/^ {2}KPI8 +\S+ Unsatisfactory \(provisional\)$/m);
    expect(sensitivity.stdout).toContain(`provisional: ${provisionalKpi.provisional!.reason}`);
  });

  it("validate warns only when asked (--provisional), so the CI's --strict run stays clean", async () => {
    const plain = await mopan("validate", IOM, "--strict");
    expect(plain.status).toBe(0);
    const asked = await mopan("validate", IOM, "--provisional");
    expect(asked.status).toBe(0);
    expect(asked.stdout).toMatch(/warning provisional-rating: KPI8 is rated .* provisional: 3 of 35 applicable items scored/);
    expect((await mopan("validate", IOM, "--provisional", "--strict")).status).toBe(1);
  });
});

describe("the disclaimer comes from the provenance", () => {
  it("a user's own assessment, with no provenance, is the assessors' work, not 'reconstructed from public material'", async () => {
    const own = join(dir, "own");
    mkdirSync(own);
    const iom = JSON.parse(readFileSync(join(IOM, "assessment.json"), "utf8")) as Record<string, unknown>;
    delete iom["provenance"];
    iom["organisation"] = { name: "Example Organisation" };
    iom["assessors"] = [{ name: "Example assessment team" }];
    writeFileSync(join(own, "assessment.json"), JSON.stringify(iom));
    const text = (await mopan("score", own)).stdout;
    expect(text).toContain("Judgements: made by the assessors this assessment names.");
    expect(text).not.toMatch(/Judgements: made by this project/);
    const html = (await mopan("report", own)).stdout;
    expect(html).toContain("judgements by the assessors");
    expect(html).not.toContain("reconstructed from public material");
    // The framework is still a reconstruction, and the report says so.
    expect(html).toContain("reconstructed framework");
    const iomText = (await mopan("score", IOM)).stdout;
    expect(iomText).toMatch(/^Judgements: made by this project from MOPAN \(2023\), Performance at a glance/m);
  });
});
