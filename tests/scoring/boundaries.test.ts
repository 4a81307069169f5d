import { describe, expect, it } from "vitest";
import { MOPAN_POLICY, kpi, makeFramework, mi, policyWith, run, summary } from "./support.js";

/**
 * One KPI with one MI of two elements weighted w1 and w2, scored a and b:
 * the MI mean is (a*w1 + b*w2) / (w1 + w2), which reaches any boundary exactly.
 */
function twoElementMean(w1: number, w2: number, a: number, b: number, ratingScale = "mopan-3.1", rounding: Partial<typeof MOPAN_POLICY.rounding> = {}) {
  const policy = policyWith({ miWeights: { "MI1.1.E1": w1, "MI1.1.E2": w2 }, ratingScale, rounding });
  const result = run({ kpis: [[2]], policy }, { "MI1.1.E1": a, "MI1.1.E2": b });
  return { mi: mi(result, "MI1.1"), kpi: kpi(result, "KPI1") };
}

describe("boundary means under the 3.1 scale (bands from 3.51 / 2.51 / 1.51)", () => {
  // [label, w1, w2, a, b, exact, score, rating, toLowerBand, toHigherBand, nearest]
  const cases: [string, number, number, number, number, string, number, string, number | null, number | null, number | null][] = [
    ["3.505 rounds half-up to 3.51", 101, 99, 4, 3, "701/200", 3.51, "highly-satisfactory", 0.01, null, 0.01],
    ["3.51", 51, 49, 4, 3, "351/100", 3.51, "highly-satisfactory", 0.01, null, 0.01],
    ["3.5", 1, 1, 4, 3, "7/2", 3.5, "satisfactory", 1, 0.01, 0.01],
    ["2.51", 51, 49, 3, 2, "251/100", 2.51, "satisfactory", 0.01, 1, 0.01],
    ["2.505 rounds half-up to 2.51", 101, 99, 3, 2, "501/200", 2.51, "satisfactory", 0.01, 1, 0.01],
    ["2.5", 1, 1, 3, 2, "5/2", 2.5, "unsatisfactory", 1, 0.01, 0.01],
    ["1.51", 51, 49, 2, 1, "151/100", 1.51, "unsatisfactory", 0.01, 1, 0.01],
    ["1.5", 1, 1, 2, 1, "3/2", 1.5, "highly-unsatisfactory", null, 0.01, 0.01],
    ["1.505 rounds half-up to 1.51", 101, 99, 2, 1, "301/200", 1.51, "unsatisfactory", 0.01, 1, 0.01],
    ["301/201 (about 1.4975) rounds to 1.50", 100, 101, 2, 1, "301/201", 1.5, "highly-unsatisfactory", null, 0.01, 0.01],
    ["4", 1, 1, 4, 4, "4", 4, "highly-satisfactory", 0.5, null, 0.5],
    ["0", 1, 1, 0, 0, "0", 0, "highly-unsatisfactory", null, 1.51, 1.51],
  ];
  it.each(cases)("%s", (_label, w1, w2, a, b, exact, score, rating, toLowerBand, toHigherBand, nearest) => {
    const r = twoElementMean(w1, w2, a, b);
    expect(summary(r.mi)).toEqual({ score, exact, rating });
    expect(r.mi.margin).toEqual({ toLowerBand, toHigherBand, nearest });
    // A KPI of one MI has the MI's mean.
    expect(summary(r.kpi)).toEqual({ score, exact, rating });
  });

  it("a KPI of MIs 3.5 and 3.51 has the exact mean 701/200, rated 3.51 highly satisfactory (floats would give 3.50)", () => {
    const policy = policyWith({ miWeights: { "MI1.2.E1": 51, "MI1.2.E2": 49 } });
    const result = run({ kpis: [[2, 2]], policy }, { "MI1.1.E1": 3, "MI1.1.E2": 4, "MI1.2.E1": 4, "MI1.2.E2": 3 });
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 3.5, exact: "7/2", rating: "satisfactory" });
    expect(summary(mi(result, "MI1.2"))).toEqual({ score: 3.51, exact: "351/100", rating: "highly-satisfactory" });
    expect(summary(kpi(result, "KPI1"))).toEqual({ score: 3.51, exact: "701/200", rating: "highly-satisfactory" });
    // Rated 3.51: a fall of 0.01 (to 3.50) leaves the band.
    expect(kpi(result, "KPI1").margin).toEqual({ toLowerBand: 0.01, toHigherBand: null, nearest: 0.01 });
    // The trap the exact arithmetic avoids: the same mean in doubles prints as 3.50.
    expect(((3.5 + 3.51) / 2).toFixed(2)).toBe("3.50");
  });

  it("classifyAfterRounding false classifies the exact 3.505 as satisfactory, with margins from the exact value", () => {
    const r = twoElementMean(101, 99, 4, 3, "mopan-3.1", { classifyAfterRounding: false });
    expect(summary(r.mi)).toEqual({ score: 3.51, exact: "701/200", rating: "satisfactory" });
    // Unrounded: it leaves Satisfactory on falling by anything more than 0.995 (below 2.51).
    expect(r.mi.margin).toEqual({ toLowerBand: 0.995, toHigherBand: 0.005, nearest: 0.005 });
  });

  it("half-even rounding takes 3.505 to 3.50 (satisfactory) and 3.515 to 3.52", () => {
    const down = twoElementMean(101, 99, 4, 3, "mopan-3.1", { mode: "half-even" });
    expect(summary(down.mi)).toEqual({ score: 3.5, exact: "701/200", rating: "satisfactory" });
    const up = twoElementMean(103, 97, 4, 3, "mopan-3.1", { mode: "half-even" });
    expect(summary(up.mi)).toEqual({ score: 3.52, exact: "703/200", rating: "highly-satisfactory" });
  });
});

describe("boundary means under the 3.0 scale (bands from 3.01 / 2.01 / 1.01)", () => {
  const cases: [string, number, number, number, number, string, number, string, number | null, number | null][] = [
    ["3.505", 101, 99, 4, 3, "701/200", 3.51, "highly-satisfactory", 0.51, null],
    ["3.51", 51, 49, 4, 3, "351/100", 3.51, "highly-satisfactory", 0.51, null],
    ["3.5", 1, 1, 4, 3, "7/2", 3.5, "highly-satisfactory", 0.5, null],
    ["3.01", 1, 99, 4, 3, "301/100", 3.01, "highly-satisfactory", 0.01, null],
    ["3.005 rounds half-up to 3.01", 1, 199, 4, 3, "601/200", 3.01, "highly-satisfactory", 0.01, null],
    ["3.0", 1, 1, 3, 3, "3", 3, "satisfactory", 1, 0.01],
    ["2.51", 51, 49, 3, 2, "251/100", 2.51, "satisfactory", 0.51, 0.5],
    ["2.5", 1, 1, 3, 2, "5/2", 2.5, "satisfactory", 0.5, 0.51],
    ["2.01", 1, 99, 3, 2, "201/100", 2.01, "satisfactory", 0.01, 1],
    ["2.0", 1, 1, 2, 2, "2", 2, "unsatisfactory", 1, 0.01],
    ["1.51", 51, 49, 2, 1, "151/100", 1.51, "unsatisfactory", 0.51, 0.5],
    ["1.5", 1, 1, 2, 1, "3/2", 1.5, "unsatisfactory", 0.5, 0.51],
    ["1.01", 1, 99, 2, 1, "101/100", 1.01, "unsatisfactory", 0.01, 1],
    ["1.0", 1, 1, 1, 1, "1", 1, "highly-unsatisfactory", null, 0.01],
    ["0", 1, 1, 0, 0, "0", 0, "highly-unsatisfactory", null, 1.01],
  ];
  it.each(cases)("%s", (_label, w1, w2, a, b, exact, score, rating, toLowerBand, toHigherBand) => {
    const r = twoElementMean(w1, w2, a, b, "mopan-3.0");
    expect(summary(r.mi)).toEqual({ score, exact, rating });
    const options = [toLowerBand, toHigherBand].filter((v): v is number => v !== null);
    expect(r.mi.margin).toEqual({ toLowerBand, toHigherBand, nearest: Math.min(...options) });
    expect(summary(r.kpi)).toEqual({ score, exact, rating });
  });

  it("the scale passed to score() decides the rating: 3.5 is satisfactory under 3.1 and highly satisfactory under 3.0", () => {
    const under31 = twoElementMean(1, 1, 4, 3, "mopan-3.1");
    const under30 = twoElementMean(1, 1, 4, 3, "mopan-3.0");
    expect([under31.mi.rating, under30.mi.rating]).toEqual(["satisfactory", "highly-satisfactory"]);
    expect(under30.kpi.score).toBe(3.5);
  });
});

describe("the framework under test", () => {
  it("loads with the real MOPAN policy and rating scale", () => {
    const framework = makeFramework({ kpis: [[2, "rubric"]] });
    expect(framework.policy).toEqual(MOPAN_POLICY);
    expect(framework.policy.ratingScale).toBe("mopan-3.1");
    expect(framework.performanceAreas[0]!.kpis[0]!.mis.map((m) => [m.id, m.scoring, m.elements.length])).toEqual([
      ["MI1.1", "elements", 2],
      ["MI1.2", "rubric", 0],
    ]);
  });
});
