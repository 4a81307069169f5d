import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ComparedItem, compareResults, publishedComparable } from "../../src/analysis/compare.js";
import { Crosswalk, checkCrosswalk, invertCrosswalk } from "../../src/analysis/crosswalk-schema.js";
import type { CliIo } from "../../src/cli/command.js";
import { run } from "../../src/cli/run.js";
import { indexFramework } from "../../src/framework/model.js";
import { score } from "../../src/scoring/score.js";
import { SCALE_30, SCALE_31, assessmentJson, checked, frameworkJson, loadSpec } from "../scoring/support.js";
import { ROOT, frameworkOf, scaleOf } from "../report/support.js";

/** KPI1: three MIs of two elements; KPI2: two results MIs. */
const SPEC = {
  kpis: [
    [2, 2, 2],
    ["rubric", "rubric"],
  ] as const,
  pas: [2],
  id: "test-compare",
};
const FRAMEWORK_JSON = frameworkJson({ kpis: SPEC.kpis.map((k) => [...k]), id: SPEC.id });
const framework = loadSpec(FRAMEWORK_JSON);

type J = Parameters<typeof assessmentJson>[0];
const assess = (judgements: J, methodology: string, extra: Record<string, unknown> = {}) => {
  const scale = methodology === "3.0" ? SCALE_30 : SCALE_31;
  const raw = { ...assessmentJson(judgements, { methodology, frameworkId: SPEC.id }), ...extra };
  return { raw, scale, result: score(framework, scale, checked(raw, framework, scale)) };
};

const row = (rows: readonly ComparedItem[], id: string) => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
};
const brief = (r: ComparedItem) => [r.id, r.a.score, r.b.score, r.change, r.a.rating, r.b.rating, r.ratingChanged, r.ratingChange];

/**
 * a: MI1.1 3.5, MI1.2 2.0, MI1.3 3.5, MI2.1 4, MI2.2 N/E   (KPI1 3.00, KPI2 4.00)
 * b: MI1.1 3.5, MI1.2 3.0, MI1.3 2.0, MI2.1 3, MI2.2 3     (KPI1 2.83, KPI2 3.00)
 */
const A: J = { "MI1.1.E1": 3, "MI1.1.E2": 4, "MI1.2.E1": 2, "MI1.2.E2": 2, "MI1.3.E1": 3, "MI1.3.E2": 4, "MI2.1": 4, "MI2.2": "N/E" };
const B: J = { "MI1.1.E1": 3, "MI1.1.E2": 4, "MI1.2.E1": 3, "MI1.2.E2": 3, "MI1.3.E1": 2, "MI1.3.E2": 2, "MI2.1": 3, "MI2.2": 3 };

describe("compareResults on one scale", () => {
  const a = assess(A, "3.1");
  const b = assess(B, "3.1");
  const c = compareResults(a.result, b.result, { scaleA: SCALE_31, scaleB: SCALE_31, labels: { a: "2019", b: "2023" } });

  it("gives both scores, the change and both ratings per MI, sorted by absolute change", () => {
    expect(c.mis.map(brief)).toEqual([
      ["MI1.3", 3.5, 2, -1.5, "satisfactory", "unsatisfactory", true, "performance"],
      ["MI1.2", 2, 3, 1, "unsatisfactory", "satisfactory", true, "performance"],
      ["MI2.1", 4, 3, -1, "highly-satisfactory", "satisfactory", true, "performance"],
      ["MI1.1", 3.5, 3.5, 0, "satisfactory", "satisfactory", false, "none"],
      ["MI2.2", null, 3, null, "no-evidence", "satisfactory", true, "coverage"],
    ]);
    expect(row(c.mis, "MI1.2").direction).toBe(1);
    expect(row(c.mis, "MI1.3").direction).toBe(-1);
    expect(row(c.mis, "MI2.2").direction).toBe(0);
  });

  it("and per KPI, with exact changes", () => {
    expect(c.kpis.map(brief)).toEqual([
      ["KPI2", 4, 3, -1, "highly-satisfactory", "satisfactory", true, "performance"],
      ["KPI1", 3, 2.83, -0.17, "satisfactory", "satisfactory", false, "none"],
    ]);
  });

  it("summarises, with no scale effect and nothing unmatched", () => {
    expect(c.scaleChanged).toBe(false);
    expect(c.mis.every((r) => r.aOnScaleB === null)).toBe(true);
    expect(c.summary.mis).toEqual({ compared: 5, scoreChanged: 3, ratingChanged: 4, scaleEffects: 0 });
    expect(c.unmatched).toEqual({ a: [], b: [] });
    expect(c.crosswalk).toBeNull();
  });

  it("is antisymmetric: b against a negates every change", () => {
    const back = compareResults(b.result, a.result, { scaleA: SCALE_31, scaleB: SCALE_31 });
    for (const r of c.mis) expect(row(back.mis, r.id).change).toBe(r.change === null ? null : r.change === 0 ? 0 : -r.change);
  });
});

describe("compareResults across a rating-scale change (methodology 3.0 -> 3.1)", () => {
  const a = assess(A, "3.0");
  const b = assess(B, "3.1");
  const c = compareResults(a.result, b.result, { scaleA: SCALE_30, scaleB: SCALE_31 });

  it("rates a's scores on b's scale and reports an unchanged score's band change as a scale effect", () => {
    expect(c.scaleChanged).toBe(true);
    const mi11 = row(c.mis, "MI1.1");
    // 3.5 is highly satisfactory on the 3.0 scale (3.01+) and satisfactory on 3.1 (3.51+ for the top band).
    expect([mi11.a.rating, mi11.aOnScaleB, mi11.b.rating, mi11.change]).toEqual(["highly-satisfactory", "satisfactory", "satisfactory", 0]);
    expect(mi11.ratingChanged).toBe(true);
    expect(mi11.ratingChange).toBe("scale");
  });

  it("separates performance from scale: each MI's reason", () => {
    expect(c.mis.map((r) => [r.id, r.a.rating, r.aOnScaleB, r.b.rating, r.ratingChange])).toEqual([
      ["MI1.3", "highly-satisfactory", "satisfactory", "unsatisfactory", "performance-and-scale"],
      ["MI1.2", "unsatisfactory", "unsatisfactory", "satisfactory", "performance"],
      ["MI2.1", "highly-satisfactory", "highly-satisfactory", "satisfactory", "performance"],
      ["MI1.1", "highly-satisfactory", "satisfactory", "satisfactory", "scale"],
      ["MI2.2", "no-evidence", null, "satisfactory", "coverage"],
    ]);
    expect(c.summary.mis.scaleEffects).toBe(2);
  });

  it("KPI1 (3.00) keeps its band on both scales; KPI2 changed through performance", () => {
    expect(c.kpis.map((r) => [r.id, r.a.rating, r.aOnScaleB, r.b.rating, r.ratingChange])).toEqual([
      ["KPI2", "highly-satisfactory", "highly-satisfactory", "satisfactory", "performance"],
      ["KPI1", "satisfactory", "satisfactory", "satisfactory", "none"],
    ]);
  });
});

describe("compareResults through a crosswalk", () => {
  // Framework B: A's MI1.3 renumbered MI1.2, A's MI1.2 dropped, a new MI1.3; KPI2 unchanged.
  const otherJson = frameworkJson({
    kpis: [
      [2, 2, 3],
      ["rubric", "rubric"],
    ],
    pas: [2],
    id: "test-compare-b",
  });
  const other = loadSpec(otherJson);
  const crosswalk = Crosswalk.parse({
    from: "test-compare",
    to: "test-compare-b",
    kpis: { KPI1: "KPI1", KPI2: "KPI2" },
    mis: { "MI1.1": "MI1.1", "MI1.2": null, "MI1.3": "MI1.2", "MI2.1": "MI2.1" },
    changed: { "MI1.2": "was MI1.3" },
  });
  const a = assess(A, "3.1");
  const bRaw = assessmentJson({ "MI1.1.E1": 4, "MI1.1.E2": 4, "MI1.2.E1": 3, "MI1.2.E2": 3, "MI1.3.E1": 1, "MI2.1": 2, "MI2.2": 4 }, { frameworkId: "test-compare-b" });
  const b = score(other, SCALE_31, checked(bRaw, other, SCALE_31));

  it("pairs renamed MIs, notes the change, and lists every MI it cannot pair", () => {
    const c = compareResults(a.result, b, { scaleA: SCALE_31, scaleB: SCALE_31, crosswalk });
    expect(c.crosswalk).toEqual({ from: "test-compare", to: "test-compare-b" });
    expect(c.mis.map((r) => [r.idA, r.id, r.change])).toEqual([
      ["MI2.1", "MI2.1", -2],
      ["MI1.1", "MI1.1", 0.5],
      ["MI1.3", "MI1.2", -0.5],
    ]);
    expect(row(c.mis, "MI1.2").frameworkNote).toBe("was MI1.3");
    expect(c.unmatched.a).toEqual([
      { level: "mi", id: "MI1.2", title: "MI 1.2", reason: "no-counterpart" },
      { level: "mi", id: "MI2.2", title: "Results MI 2.2", reason: "not-in-crosswalk" },
    ]);
    expect(c.unmatched.b).toEqual([
      { level: "mi", id: "MI1.3", title: "MI 1.3", reason: "not-in-crosswalk" },
      { level: "mi", id: "MI2.2", title: "Results MI 2.2", reason: "not-in-crosswalk" },
    ]);
  });

  it("works the other way round through the inverted crosswalk", () => {
    const c = compareResults(b, a.result, { scaleA: SCALE_31, scaleB: SCALE_31, crosswalk });
    expect(c.crosswalk).toEqual({ from: "test-compare-b", to: "test-compare" });
    expect(row(c.mis, "MI1.3").idA).toBe("MI1.2");
    expect(row(c.mis, "MI1.3").frameworkNote).toBe("was MI1.3");
    expect(c.unmatched.a.map((u) => u.id)).toEqual(["MI1.3", "MI2.2"]);
    expect(c.unmatched.b.map((u) => [u.id, u.reason])).toEqual([
      ["MI1.2", "no-counterpart"],
      ["MI2.2", "not-in-crosswalk"],
    ]);
    expect(invertCrosswalk(invertCrosswalk(crosswalk)).mis).toEqual({ "MI1.1": "MI1.1", "MI1.3": "MI1.2", "MI2.1": "MI2.1" });
  });

  it("refuses different frameworks without a crosswalk, or with one for other frameworks", () => {
    expect(() => compareResults(a.result, b, { scaleA: SCALE_31, scaleB: SCALE_31 })).toThrow(/needs a crosswalk/);
    expect(() => compareResults(a.result, b, { scaleA: SCALE_31, scaleB: SCALE_31, crosswalk: { ...crosswalk, to: "elsewhere" } })).toThrow(/not test-compare to test-compare-b/);
  });

  it("the schema rejects a many-to-one map and a crosswalk to itself", () => {
    expect(Crosswalk.safeParse({ from: "x", to: "y", kpis: {}, mis: { "MI1.1": "MI1.1", "MI1.2": "MI1.1" } }).success).toBe(false);
    expect(Crosswalk.safeParse({ from: "x", to: "x", kpis: {}, mis: {} }).success).toBe(false);
    expect(Crosswalk.safeParse({ from: "x", to: "y", kpis: {}, mis: {}, extra: 1 }).success).toBe(false);
  });

  it("checkCrosswalk warns of ids the frameworks do not have", () => {
    const bad = Crosswalk.parse({ ...crosswalk, mis: { ...crosswalk.mis, "MI9.9": "MI1.3", "MI2.2": "MI7.7" } });
    const warnings = checkCrosswalk(bad, indexFramework(framework), indexFramework(other));
    expect(warnings.map((w) => [w.severity, w.received])).toEqual([
      ["warning", "MI9.9"],
      ["warning", "MI7.7"],
    ]);
  });
});

describe("the shipped crosswalk mopan-3.1 -> mopan-3.1-crisis", () => {
  const file = join(ROOT, "framework/crosswalks/mopan-3.1--mopan-3.1-crisis.json");
  const crosswalk = Crosswalk.parse(JSON.parse(readFileSync(file, "utf8")));
  const base = frameworkOf("mopan-3.1");
  const crisis = frameworkOf("mopan-3.1-crisis");

  it("maps every KPI and MI one to one and names only ids the frameworks have", () => {
    const ib = indexFramework(base);
    const ic = indexFramework(crisis);
    expect(checkCrosswalk(crosswalk, ib, ic)).toEqual([]);
    expect(Object.keys(crosswalk.mis)).toEqual([...ib.mis.keys()]);
    expect(Object.values(crosswalk.mis)).toEqual([...ic.mis.keys()]);
    expect(Object.keys(crosswalk.kpis)).toEqual([...ib.kpis.keys()]);
    for (const [from, to] of Object.entries(crosswalk.mis)) expect(to).toBe(from);
  });

  it("lists as changed exactly the MIs the overlay changes", () => {
    const index = indexFramework(crisis);
    const touched = new Set(crisis.changes.map((c) => (c.op === "add" ? c.parent! : c.id)).map((id) => (index.mis.has(id) ? id : (index.elements.get(id)?.mi ?? id))));
    const changedMis = Object.keys(crosswalk.changed ?? {}).filter((id) => id.startsWith("MI"));
    expect(changedMis.sort()).toEqual([...touched].sort());
  });

  it("compares the IOM assessment with itself re-expressed on mopan-3.1", () => {
    const scale = scaleOf("mopan-3.1");
    const iom = JSON.parse(readFileSync(join(ROOT, "assessments/iom-2023/assessment.json"), "utf8")) as Record<string, unknown> & {
      judgements: { id: string }[];
      evidence: { elements: string[]; suggestedScores?: Record<string, number> }[];
    };
    const baseIds = indexFramework(base);
    const onBase = {
      ...iom,
      framework: { id: "mopan-3.1", version: base.version },
      judgements: iom.judgements.filter((j) => baseIds.elements.has(j.id) || baseIds.mis.has(j.id)),
      evidence: iom.evidence.map((e) => ({ ...e, elements: e.elements.filter((id) => baseIds.elements.has(id) || baseIds.mis.has(id)) })),
    };
    const rCrisis = score(crisis, scale, checked(iom, crisis, scale));
    const rBase = score(base, scale, checked(onBase, base, scale));
    const c = compareResults(rBase, rCrisis, { scaleA: scale, scaleB: scale, crosswalk });
    expect(c.mis).toHaveLength(57);
    expect(c.unmatched).toEqual({ a: [], b: [] });
    // Only MIs the overlay changed can move; they carry the crosswalk's note.
    const moved = c.mis.filter((r) => r.change !== null && r.change !== 0);
    expect(moved.length).toBeGreaterThan(0);
    for (const r of moved) expect(r.frameworkNote, r.id).toBeDefined();
    const back = compareResults(rCrisis, rBase, { scaleA: scale, scaleB: scale, crosswalk });
    expect(back.crosswalk).toEqual({ from: "mopan-3.1-crisis", to: "mopan-3.1" });
    expect(back.unmatched).toEqual({ a: [], b: [] });
  });
});

describe("publishedComparable", () => {
  it("takes the published entries, rating a bare score on the scale, and leaves the rest unmatched", () => {
    const a = assess(A, "3.1");
    const published = { source: "Test report", kpis: { KPI1: { score: 3.2 }, KPI2: { rating: "satisfactory" } }, mis: { "MI1.1": { score: 3.5, rating: "satisfactory" }, "MI1.2": {} } };
    const p = publishedComparable(published, a.result, SCALE_31);
    expect(p.kpis).toEqual([
      { id: "KPI1", title: "KPI 1", score: 3.2, rating: "satisfactory" },
      { id: "KPI2", title: "KPI 2", score: null, rating: "satisfactory" },
    ]);
    const c = compareResults(p, a.result, { scaleA: SCALE_31, scaleB: SCALE_31, labels: { a: "published", b: "computed" } });
    expect(c.kpis.map(brief)).toEqual([
      ["KPI1", 3.2, 3, -0.2, "satisfactory", "satisfactory", false, "none"],
      ["KPI2", null, 4, null, "satisfactory", "highly-satisfactory", true, "performance"],
    ]);
    expect(c.mis.map((r) => r.id)).toEqual(["MI1.1"]);
    expect(c.unmatched.b.map((u) => u.id)).toEqual(["MI1.2", "MI1.3", "MI2.1", "MI2.2"]);
  });
});

describe("mopan compare (CLI)", () => {
  let dir = "";
  const mopan = async (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false };
    return { code: await run(argv, io), stdout, stderr };
  };
  const folder = (name: string, raw: unknown) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "assessment.json"), JSON.stringify(raw));
    return join(dir, name);
  };
  let a30 = "";
  let b31 = "";
  let other = "";
  let frameworks = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mopan-compare-"));
    frameworks = join(dir, "frameworks");
    mkdirSync(join(frameworks, "crosswalks"), { recursive: true });
    writeFileSync(join(frameworks, "test-compare.json"), JSON.stringify(FRAMEWORK_JSON));
    writeFileSync(
      join(frameworks, "test-compare-c.json"),
      JSON.stringify(
        frameworkJson({
          kpis: [
            [2, 2, 2],
            ["rubric", "rubric"],
          ],
          pas: [2],
          id: "test-compare-c",
        }),
      ),
    );
    a30 = folder("a", { ...assess(A, "3.0").raw, organisation: { name: "Org", acronym: "ORG" }, period: { from: "2017", to: "2019" } });
    b31 = folder("b", {
      ...assess(B, "3.1").raw,
      organisation: { name: "Org", acronym: "ORG" },
      published: { source: "Published brief", kpis: { KPI1: { score: 3.1, rating: "satisfactory" }, KPI2: { score: 2.4, rating: "unsatisfactory" } } },
    });
    other = folder("c", { ...assessmentJson(B, { frameworkId: "test-compare-c" }) });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("compares two assessments: rating changes called out, scale effect named; exit 0", async () => {
    const r = await mopan("compare", a30, b31, "--frameworks", frameworks);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Comparison of ORG 2019 and ORG 2023");
    expect(r.stdout).toContain("Rating scales differ (mopan-3.0 → mopan-3.1)");
    expect(r.stdout).toMatch(/MI1\.1 +Highly satisfactory ↓ Satisfactory +scale effect/);
    const lines = r.stdout.split("\n");
    const kpiHeader = lines.findIndex((l) => l.startsWith("KPIs:"));
    expect(lines[kpiHeader + 2]).toMatch(/^ {2}KPI2 +4\.00 +3\.00 +−1\.00 /);
  });

  it("json, csv, md and html carry the same rows", async () => {
    const json = JSON.parse((await mopan("compare", a30, b31, "--frameworks", frameworks, "--format", "json")).stdout);
    expect(json.mis.map((m: ComparedItem) => m.id)).toEqual(["MI1.3", "MI1.2", "MI2.1", "MI1.1", "MI2.2"]);
    expect(json.a.label).toBe("ORG 2019");
    const csv = (await mopan("compare", a30, b31, "--frameworks", frameworks, "--format", "csv")).stdout.trim().split("\n");
    expect(csv[0]).toBe("status,level,id_a,id_b,title,score_a,score_b,change,rating_a,rating_a_on_scale_b,rating_b,rating_changed,rating_change,framework_note,provisional_a,provisional_b");
    expect(csv).toContain("compared,mi,MI1.1,MI1.1,MI 1.1,3.5,3.5,0,highly-satisfactory,satisfactory,satisfactory,true,scale,,,");
    const md = (await mopan("compare", a30, b31, "--frameworks", frameworks, "--format", "md")).stdout;
    expect(md).toContain("| MI1.1 | MI 1.1 | 3.50 | 3.50 | 0.00 | Highly satisfactory | Satisfactory | Satisfactory | **scale effect");
    const html = (await mopan("compare", a30, b31, "--frameworks", frameworks, "--format", "html")).stdout;
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('class="rating-changed"');
  });

  it("--published compares computed scores with the published block", async () => {
    const r = await mopan("compare", b31, "--published", "--frameworks", frameworks);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Comparison of published and computed");
    expect(r.stdout).toMatch(/KPI2 +2\.40 +3\.00 +\+0\.60 +Unsatisfactory +Satisfactory +\* performance/);
    expect(r.stdout).toMatch(/Only in computed \(5, not compared\)/);
    const none = await mopan("compare", a30, "--published", "--frameworks", frameworks);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no "published" block');
  });

  it("different frameworks need a crosswalk: exit 1 without, 0 with one in <frameworks>/crosswalks/", async () => {
    const missing = await mopan("compare", b31, other, "--frameworks", frameworks);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no crosswalk");
    writeFileSync(
      join(frameworks, "crosswalks", "test-compare--test-compare-c.json"),
      JSON.stringify({
        from: "test-compare",
        to: "test-compare-c",
        kpis: { KPI1: "KPI1", KPI2: "KPI2" },
        mis: { "MI1.1": "MI1.1", "MI1.2": "MI1.2", "MI1.3": "MI1.3", "MI2.1": "MI2.1" },
      }),
    );
    const found = await mopan("compare", other, b31, "--frameworks", frameworks);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain("crosswalk test-compare-c → test-compare");
    expect(found.stdout).toMatch(/Only in Test organisation 2023 \(1, not compared\):\n {2}MI2\.2 +not in the crosswalk/);
    expect(found.stdout).toMatch(/Only in ORG 2023 \(1, not compared\):\n {2}MI2\.2 +not in the crosswalk/);
    writeFileSync(join(dir, "bad-crosswalk.json"), JSON.stringify({ from: "test-compare", to: "test-compare-c", kpis: {} }));
    expect((await mopan("compare", other, b31, "--frameworks", frameworks, "--crosswalk", join(dir, "bad-crosswalk.json"))).code).toBe(1);
  });

  it("exit codes: 2 for usage errors, 1 for an invalid assessment", async () => {
    expect((await mopan("compare", a30)).code).toBe(2);
    expect((await mopan("compare", a30, b31, b31)).code).toBe(2);
    expect((await mopan("compare", a30, b31, "--published")).code).toBe(2);
    expect((await mopan("compare", a30, b31, "--format", "xml")).code).toBe(2);
    expect((await mopan("compare", "--help")).code).toBe(0);
    expect((await mopan("compare", a30, join(dir, "nowhere"), "--frameworks", frameworks)).code).toBe(1);
  });
});
