import { describe, expect, it } from "vitest";
import { score } from "../../src/scoring/score.js";
import { NE_AS_ZERO, SCALE_31, element, kpi, makeAssessment, makeFramework, mi, run, summary } from "./support.js";

const NOTHING = { score: null, exact: null, rating: "not-applicable" };
const NO_EVIDENCE = { score: null, exact: null, rating: "no-evidence" };

describe("N/A and N/E", () => {
  it("an MI whose elements are all N/A is not applicable, with no score, exact value or margin", () => {
    const result = run({ kpis: [[3, 2]] }, { "MI1.1.E1": "N/A", "MI1.1.E2": "N/A", "MI1.1.E3": "N/A", "MI1.2.E1": 3, "MI1.2.E2": 2 });
    expect(summary(mi(result, "MI1.1"))).toEqual(NOTHING);
    expect(mi(result, "MI1.1").margin).toBeNull();
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 3, scored: 0, noEvidence: 0, notApplicable: 3 });
    // The KPI leaves the N/A MI out: it is the mean of MI1.2 alone.
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
    expect(kpi(result, "KPI1").miCoverage).toEqual({ total: 2, scored: 1, noEvidence: 0, notApplicable: 1 });
  });

  it("a KPI whose MIs are all N/A is not applicable", () => {
    const result = run({ kpis: [[2, 1], [1]] }, { "MI1.1.E1": "N/A", "MI1.1.E2": "N/A", "MI1.2.E1": "N/A", "MI2.1.E1": 4 });
    expect(summary(kpi(result, "KPI1"))).toEqual(NOTHING);
    expect(kpi(result, "KPI1").margin).toBeNull();
    expect(kpi(result, "KPI1").coverage).toEqual({ total: 3, scored: 0, noEvidence: 0, notApplicable: 3 });
    expect(kpi(result, "KPI1").miCoverage).toEqual({ total: 2, scored: 0, noEvidence: 0, notApplicable: 2 });
    expect(summary(kpi(result, "KPI2"))).toEqual({ score: 4, exact: "4", rating: "highly-satisfactory" });
  });

  it("an MI whose elements are all N/E has no evidence; so has a KPI of such MIs", () => {
    const result = run({ kpis: [[2, 2]] }, { "MI1.1.E1": "N/E", "MI1.1.E2": "N/E", "MI1.2.E1": "N/E", "MI1.2.E2": "N/E" });
    expect(summary(mi(result, "MI1.1"))).toEqual(NO_EVIDENCE);
    expect(summary(mi(result, "MI1.2"))).toEqual(NO_EVIDENCE);
    expect(summary(kpi(result, "KPI1"))).toEqual(NO_EVIDENCE);
    expect(kpi(result, "KPI1").margin).toBeNull();
    expect(kpi(result, "KPI1").miCoverage).toEqual({ total: 2, scored: 0, noEvidence: 2, notApplicable: 0 });
  });

  it("elements no judgement mentions count as N/E, with source 'unjudged'", () => {
    const result = run({ kpis: [[3]] }, { "MI1.1.E2": 3 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 3, exact: "3", rating: "satisfactory" });
    expect(element(result, "MI1.1.E1")).toMatchObject({ score: null, flag: "N/E", source: "unjudged" });
    expect(element(result, "MI1.1.E2")).toMatchObject({ score: 3, flag: null, source: "judgement" });
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 3, scored: 1, noEvidence: 2, notApplicable: 0 });
    const none = run({ kpis: [[2]] }, {});
    expect(summary(mi(none, "MI1.1"))).toEqual(NO_EVIDENCE);
  });

  it("a mix of N/E and N/A with nothing scored is no evidence, at MI and at KPI level", () => {
    const result = run({ kpis: [[2, 2]] }, { "MI1.1.E1": "N/E", "MI1.1.E2": "N/A", "MI1.2.E1": "N/A", "MI1.2.E2": "N/A" });
    expect(summary(mi(result, "MI1.1"))).toEqual(NO_EVIDENCE);
    expect(summary(mi(result, "MI1.2"))).toEqual(NOTHING);
    // One MI without evidence and one not applicable: the KPI has no evidence.
    expect(summary(kpi(result, "KPI1"))).toEqual(NO_EVIDENCE);
    expect(kpi(result, "KPI1").coverage).toEqual({ total: 4, scored: 0, noEvidence: 1, notApplicable: 3 });
    expect(kpi(result, "KPI1").miCoverage).toEqual({ total: 2, scored: 0, noEvidence: 1, notApplicable: 1 });
  });

  it("0 counts, N/E is left out: [0, 4, N/E] gives 2.00", () => {
    const result = run({ kpis: [[3]] }, { "MI1.1.E1": 0, "MI1.1.E2": 4, "MI1.1.E3": "N/E" });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
    expect(element(result, "MI1.1.E1")).toMatchObject({ score: 0, flag: null });
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 3, scored: 2, noEvidence: 1, notApplicable: 0 });
  });

  it("an MI of a single 0 is scored 0.00, not treated as missing", () => {
    const result = run({ kpis: [[1, 1]] }, { "MI1.1.E1": 0, "MI1.2.E1": 4 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 0, exact: "0", rating: "highly-unsatisfactory" });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
  });
});

describe("results KPIs (rubric MIs rated 1-4)", () => {
  it("averages the MI ratings, leaving N/E out", () => {
    const result = run({ kpis: [["rubric", "rubric", "rubric"]] }, { "MI1.1": 4, "MI1.2": 3, "MI1.3": "N/E" });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 4, exact: "4", rating: "highly-satisfactory" });
    expect(summary(mi(result, "MI1.2"))).toEqual({ score: 3, exact: "3", rating: "satisfactory" });
    expect(summary(mi(result, "MI1.3"))).toEqual(NO_EVIDENCE);
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3.5, exact: "7/2", rating: "satisfactory" });
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 1, scored: 1, noEvidence: 0, notApplicable: 0 });
    expect(mi(result, "MI1.1").scoring).toBe("rubric");
    expect(mi(result, "MI1.1").elements).toEqual([]);
    // Results MIs are leaves of their own: they are not listed as elements.
    expect(result.elements).toEqual([]);
  });

  it("rates 1 as highly unsatisfactory and averages [4, 1, 2] to 2.33", () => {
    const result = run({ kpis: [["rubric", "rubric", "rubric"]] }, { "MI1.1": 4, "MI1.2": 1, "MI1.3": 2 });
    expect(summary(mi(result, "MI1.2"))).toEqual({ score: 1, exact: "1", rating: "highly-unsatisfactory" });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2.33, exact: "7/3", rating: "unsatisfactory" });
    expect(kpi(result, "KPI1").coverage).toEqual({ total: 3, scored: 3, noEvidence: 0, notApplicable: 0 });
  });

  it("a KPI mixing an element-scored MI and a results MI averages both MI scores", () => {
    const result = run({ kpis: [[3, "rubric"]] }, { "MI1.1.E1": 1, "MI1.1.E2": 2, "MI1.1.E3": 2, "MI1.2": 4 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 1.67, exact: "5/3", rating: "unsatisfactory" });
    // (5/3 + 4) / 2 = 17/6
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2.83, exact: "17/6", rating: "satisfactory" });
  });

  it("a results KPI with every MI N/A is not applicable", () => {
    const result = run({ kpis: [["rubric", "rubric"]] }, { "MI1.1": "N/A", "MI1.2": "N/A" });
    expect(summary(kpi(result, "KPI1"))).toEqual(NOTHING);
  });
});

describe("the N/E-as-zero policy (options.policy)", () => {
  it("applies to elements only: a results MI without a rating stays out of its KPI", () => {
    const framework = makeFramework({ kpis: [["rubric", "rubric"]] });
    const assessment = makeAssessment(framework, { "MI1.1": 4, "MI1.2": "N/E" });
    const result = score(framework, SCALE_31, assessment, { policy: NE_AS_ZERO });
    expect(summary(mi(result, "MI1.2"))).toEqual(NO_EVIDENCE);
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 4, exact: "4", rating: "highly-satisfactory" });
  });

  it("counts N/E as 0: [4, N/E] gives 2.00", () => {
    const framework = makeFramework({ kpis: [[2, 2]] });
    const assessment = makeAssessment(framework, { "MI1.1.E1": 4, "MI1.1.E2": "N/E", "MI1.2.E1": "N/E", "MI1.2.E2": "N/E" });
    const result = score(framework, SCALE_31, assessment, { policy: NE_AS_ZERO });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
    // An all-N/E MI is scored 0.00 and rated, not flagged.
    expect(summary(mi(result, "MI1.2"))).toEqual({ score: 0, exact: "0", rating: "highly-unsatisfactory" });
    expect(mi(result, "MI1.2").margin).toEqual({ toLowerBand: null, toHigherBand: 1.51, nearest: 1.51 });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 1, exact: "1", rating: "highly-unsatisfactory" });
    // Coverage still tells N/E apart from scored elements; the element keeps its flag.
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 2, scored: 1, noEvidence: 1, notApplicable: 0 });
    expect(element(result, "MI1.1.E2")).toMatchObject({ score: null, flag: "N/E" });
    // The policy used is the one recorded.
    expect(result.provenance.policy).toEqual(NE_AS_ZERO);
    expect(result.provenance.policy.flags["N/E"]).toEqual({ treatment: "score", score: 0 });

    const plain = score(framework, SCALE_31, assessment);
    expect(summary(mi(plain, "MI1.1"))).toEqual({ score: 4, exact: "4", rating: "highly-satisfactory" });
    expect(summary(mi(plain, "MI1.2"))).toEqual(NO_EVIDENCE);
    expect(plain.provenance.policy.flags["N/E"]).toEqual({ treatment: "exclude" });
  });

  it("counts unjudged elements as 0 too, and still leaves N/A out", () => {
    const framework = makeFramework({ kpis: [[4]] });
    const assessment = makeAssessment(framework, { "MI1.1.E1": 3, "MI1.1.E2": "N/A" });
    const result = score(framework, SCALE_31, assessment, { policy: NE_AS_ZERO });
    // [3, N/A, 0 (unjudged), 0 (unjudged)] -> 3/3 = 1
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 1, exact: "1", rating: "highly-unsatisfactory" });
  });
});
