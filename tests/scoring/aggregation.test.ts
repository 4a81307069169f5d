import { describe, expect, it } from "vitest";
import { score } from "../../src/scoring/score.js";
import { SCALE_31, kpi, makeAssessment, makeFramework, mi, policyWith, run, summary } from "./support.js";

describe("weights", () => {
  it("KPI weights: an MI of weight 4 beside four MIs of weight 1 counts half", () => {
    const judgements = { "MI1.1.E1": 4, "MI1.2.E1": 1, "MI1.3.E1": 2, "MI1.4.E1": 2, "MI1.5.E1": 1 };
    const weighted = run({ kpis: [[1, 1, 1, 1, 1]], policy: policyWith({ kpiWeights: { "MI1.1": 4 } }) }, judgements);
    // (4*4 + 1 + 2 + 2 + 1) / 8 = 22/8: half MI1.1 (4), half the others (mean 1.5).
    expect(summary(kpi(weighted, "KPI1"))).toEqual({ score: 2.75, exact: "11/4", rating: "satisfactory" });
    expect(kpi(weighted, "KPI1").margin).toEqual({ toLowerBand: 0.25, toHigherBand: 0.76, nearest: 0.25 });
    const plain = run({ kpis: [[1, 1, 1, 1, 1]] }, judgements);
    expect(summary(kpi(plain, "KPI1"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
  });

  it("KPI weights: weight 4 against three MIs of weight 1 gives 4/7 of the say", () => {
    const result = run({ kpis: [[1, 1, 1, 1]], policy: policyWith({ kpiWeights: { "MI1.1": 4 } }) }, { "MI1.1.E1": 4, "MI1.2.E1": 2, "MI1.3.E1": 2, "MI1.4.E1": 2 });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3.14, exact: "22/7", rating: "satisfactory" });
  });

  it("the weight of a left-out (N/E) MI does not count", () => {
    const result = run({ kpis: [[1, 1, 1]], policy: policyWith({ kpiWeights: { "MI1.1": 4 } }) }, { "MI1.1.E1": "N/E", "MI1.2.E1": 1, "MI1.3.E1": 4 });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
  });

  it("element weights within an MI", () => {
    const policy = policyWith({ miWeights: { "MI1.1.E1": 3, "MI1.1.E3": 0.5 } });
    // (3*4 + 1*1 + 0.5*2) / 4.5 = 14 / 4.5 = 28/9
    const result = run({ kpis: [[3]], policy }, { "MI1.1.E1": 4, "MI1.1.E2": 1, "MI1.1.E3": 2 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 3.11, exact: "28/9", rating: "satisfactory" });
    // Element weights do not reach the KPI: it averages MI scores.
    expect(kpi(result, "KPI1").exact).toBe("28/9");
  });

  it("weights of a policy passed in options are applied", () => {
    const framework = makeFramework({ kpis: [[1, 1]] });
    const assessment = makeAssessment(framework, { "MI1.1.E1": 4, "MI1.2.E1": 1 });
    const policy = policyWith({ kpiWeights: { "MI1.1": 2 } });
    const result = score(framework, SCALE_31, assessment, { policy });
    expect(result.provenance.policy.aggregation.kpi.weights).toEqual({ "MI1.1": 2 });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3, exact: "3", rating: "satisfactory" });
  });

  it("a performance-area statistic appears only when the policy declares one, as a weighted KPI mean", () => {
    const spec = { kpis: [[1], [1], [1]] as const };
    const judgements = { "MI1.1.E1": 4, "MI2.1.E1": 1, "MI3.1.E1": 1 };
    const plain = run(spec, judgements);
    expect(plain.performanceAreas).toEqual([{ id: "PA1", title: "Performance area 1", kpis: ["KPI1", "KPI2", "KPI3"] }]);
    const declared = run({ ...spec, policy: policyWith({ paWeights: { KPI1: 2 } }) }, judgements);
    const statistic = declared.performanceAreas[0]!.statistic!;
    // (2*4 + 1 + 1) / 4 = 5/2
    expect(summary(statistic)).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
    expect(statistic.coverage).toEqual({ total: 3, scored: 3, noEvidence: 0, notApplicable: 0 });
    expect(statistic.note).toMatch(/not a MOPAN statistic/);
  });
});

describe("roundBeforeAggregating", () => {
  // MI1.1 = [4, 4, 3] = 11/3 (3.67 rounded), MI1.2 = [3] = 3.
  const judgements = { "MI1.1.E1": 4, "MI1.1.E2": 4, "MI1.1.E3": 3, "MI1.2.E1": 3 };

  it("false: the KPI averages exact MI means, (11/3 + 3) / 2 = 10/3 -> 3.33", () => {
    const result = run({ kpis: [[3, 1]] }, judgements);
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 3.67, exact: "11/3", rating: "highly-satisfactory" });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3.33, exact: "10/3", rating: "satisfactory" });
  });

  it("true: the KPI averages rounded MI scores, (3.67 + 3) / 2 = 3.335 -> 3.34", () => {
    const result = run({ kpis: [[3, 1]], policy: policyWith({ rounding: { roundBeforeAggregating: true } }) }, judgements);
    // The MI keeps its own exact mean; only what goes up to the KPI is rounded.
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 3.67, exact: "11/3", rating: "highly-satisfactory" });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3.34, exact: "667/200", rating: "satisfactory" });
  });

  it("true also rounds KPI scores before a performance-area statistic", () => {
    // KPI1 = 2/3 (0.67 rounded), KPI2 = 0: exact PA mean 1/3 -> 0.33, rounded-first 0.335 -> 0.34.
    const spec = { kpis: [[3], [1]] };
    const judgements2 = { "MI1.1.E1": 1, "MI1.1.E2": 1, "MI1.1.E3": 0, "MI2.1.E1": 0 };
    const exactFirst = run({ ...spec, policy: policyWith({ paWeights: {} }) }, judgements2);
    expect(exactFirst.performanceAreas[0]!.statistic!.exact).toBe("1/3");
    expect(exactFirst.performanceAreas[0]!.statistic!.score).toBe(0.33);
    const roundedFirst = run({ ...spec, policy: policyWith({ paWeights: {}, rounding: { roundBeforeAggregating: true } }) }, judgements2);
    expect(roundedFirst.performanceAreas[0]!.statistic!.exact).toBe("67/200");
    expect(roundedFirst.performanceAreas[0]!.statistic!.score).toBe(0.34);
  });
});

describe("coverage", () => {
  it("counts elements per MI, sums them per KPI, and counts MIs by outcome", () => {
    const result = run(
      { kpis: [[4, 2, 1, "rubric"]] },
      {
        "MI1.1.E1": 3,
        "MI1.1.E2": "N/E",
        "MI1.1.E3": "N/A", // MI1.1.E4 unjudged: N/E
        "MI1.2.E1": "N/A",
        "MI1.2.E2": "N/A",
        "MI1.3.E1": "N/E",
        "MI1.4": 2,
      },
    );
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 4, scored: 1, noEvidence: 2, notApplicable: 1 });
    expect(mi(result, "MI1.2").coverage).toEqual({ total: 2, scored: 0, noEvidence: 0, notApplicable: 2 });
    expect(mi(result, "MI1.3").coverage).toEqual({ total: 1, scored: 0, noEvidence: 1, notApplicable: 0 });
    expect(mi(result, "MI1.4").coverage).toEqual({ total: 1, scored: 1, noEvidence: 0, notApplicable: 0 });
    expect(kpi(result, "KPI1").coverage).toEqual({ total: 8, scored: 2, noEvidence: 3, notApplicable: 3 });
    expect(kpi(result, "KPI1").miCoverage).toEqual({ total: 4, scored: 2, noEvidence: 1, notApplicable: 1 });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
  });
});

describe("margin", () => {
  it("3.51: on the lower limit of the top band, a fall of 0.01 (to 3.50) leaves it", () => {
    const result = run({ kpis: [[2]], policy: policyWith({ miWeights: { "MI1.1.E1": 51, "MI1.1.E2": 49 } }) }, { "MI1.1.E1": 4, "MI1.1.E2": 3 });
    expect(mi(result, "MI1.1").margin).toEqual({ toLowerBand: 0.01, toHigherBand: null, nearest: 0.01 });
  });

  it("2.75: 0.25 above unsatisfactory's top (2.50), 0.76 below highly satisfactory", () => {
    const result = run({ kpis: [[4]] }, { "MI1.1.E1": 3, "MI1.1.E2": 3, "MI1.1.E3": 3, "MI1.1.E4": 2 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 2.75, exact: "11/4", rating: "satisfactory" });
    expect(mi(result, "MI1.1").margin).toEqual({ toLowerBand: 0.25, toHigherBand: 0.76, nearest: 0.25 });
  });

  it("3.33 (10/3): margins are from the rounded score when classifying after rounding", () => {
    const result = run({ kpis: [[3]] }, { "MI1.1.E1": 3, "MI1.1.E2": 3, "MI1.1.E3": 4 });
    expect(mi(result, "MI1.1").margin).toEqual({ toLowerBand: 0.83, toHigherBand: 0.18, nearest: 0.18 });
  });

  it("10/3 from the exact value when classifying before rounding (4 places)", () => {
    const framework = makeFramework({ kpis: [[3]] });
    const assessment = makeAssessment(framework, { "MI1.1.E1": 3, "MI1.1.E2": 3, "MI1.1.E3": 4 });
    const result = score(framework, SCALE_31, assessment, { policy: policyWith({ rounding: { classifyAfterRounding: false } }) });
    // 10/3 - 2.51 = 0.82333.. ; 3.51 - 10/3 = 0.17666..
    expect(mi(result, "MI1.1").margin).toEqual({ toLowerBand: 0.8233, toHigherBand: 0.1767, nearest: 0.1767 });
  });
});
