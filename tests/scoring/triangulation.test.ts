import { describe, expect, it } from "vitest";
import { resolveLeaves } from "../../src/scoring/score.js";
import { triangulate } from "../../src/scoring/triangulate.js";
import { MOPAN_POLICY, element, ev, makeAssessment, makeFramework, mi, run, summary } from "./support.js";

const ELEMENT_SCALE = MOPAN_POLICY.elementScale;
const RULE = MOPAN_POLICY.triangulation;

describe("triangulation in scoring (within-stream mean, across-stream median, half-up to the step, conflict at spread >= 2)", () => {
  const evidence = [
    ev("d1", "document", { "MI1.1.E1": 3, "MI1.1.E2": 4, "MI1.1.E3": 4, "MI1.1.E4": 1, "MI1.1.E5": 4 }),
    ev("d2", "document", { "MI1.1.E1": 4 }),
    ev("s1", "survey", { "MI1.1.E1": 2, "MI1.1.E2": 3, "MI1.1.E3": 2, "MI1.1.E4": 4, "MI1.1.E5": 1 }),
    ev("i1", "interview", { "MI1.1.E4": 1 }),
  ];
  const judgements = { "MI1.1.E1": null, "MI1.1.E2": null, "MI1.1.E3": null, "MI1.1.E5": 0 } as const; // E4 not mentioned
  const result = run({ kpis: [[5]] }, judgements, { evidence, cites: { "MI1.1.E5": ["d1"] } });

  it("document [3, 4] (mean 3.5) and survey 2: median 2.75 -> 3, spread 1.5 is no conflict", () => {
    expect(element(result, "MI1.1.E1")).toEqual({ id: "MI1.1.E1", mi: "MI1.1", score: 3, flag: null, source: "triangulated", evidence: ["d1", "d2", "s1"], conflict: null });
  });

  it("document 4 and survey 3: median 3.5 rounds half-up to 4; streams 1 apart are not in conflict", () => {
    expect(element(result, "MI1.1.E2")).toMatchObject({ score: 4, source: "triangulated", conflict: null });
  });

  it("document 4 and survey 2: median 3; streams 2 apart are in conflict", () => {
    expect(element(result, "MI1.1.E3")).toMatchObject({ score: 3, source: "triangulated", conflict: { streams: { document: 4, survey: 2 }, spread: 2 } });
  });

  it("an element no judgement mentions is triangulated too: median of document 1, interview 1, survey 4 is 1", () => {
    expect(element(result, "MI1.1.E4")).toEqual({
      id: "MI1.1.E4",
      mi: "MI1.1",
      score: 1,
      flag: null,
      source: "triangulated",
      evidence: ["d1", "i1", "s1"],
      conflict: { streams: { document: 1, interview: 1, survey: 4 }, spread: 3 },
    });
  });

  it("a judgement's score wins over the evidence, whose conflict is still reported", () => {
    expect(element(result, "MI1.1.E5")).toMatchObject({ score: 0, source: "judgement", evidence: ["d1", "s1"], conflict: { streams: { document: 4, survey: 1 }, spread: 3 } });
  });

  it("the MI averages triangulated and judged scores: [3, 4, 3, 1, 0] = 11/5", () => {
    expect(summary(mi(result, "MI1.1"))).toEqual({ score: 2.2, exact: "11/5", rating: "unsatisfactory" });
    expect(mi(result, "MI1.1").coverage).toEqual({ total: 5, scored: 5, noEvidence: 0, notApplicable: 0 });
  });

  it("lists every conflict, in framework order", () => {
    expect(result.conflicts).toEqual([
      { id: "MI1.1.E3", streams: { document: 4, survey: 2 }, spread: 2 },
      { id: "MI1.1.E4", streams: { document: 1, interview: 1, survey: 4 }, spread: 3 },
      { id: "MI1.1.E5", streams: { document: 4, survey: 1 }, spread: 3 },
    ]);
  });

  it("a judgement of N/E (or N/A) wins over suggested scores", () => {
    const r = run({ kpis: [[2]] }, { "MI1.1.E1": "N/E", "MI1.1.E2": "N/A" }, { evidence: [ev("d1", "document", { "MI1.1.E1": 4, "MI1.1.E2": 4 })] });
    expect(element(r, "MI1.1.E1")).toMatchObject({ score: null, flag: "N/E", source: "judgement", evidence: ["d1"] });
    expect(element(r, "MI1.1.E2")).toMatchObject({ score: null, flag: "N/A", source: "judgement" });
    expect(summary(mi(r, "MI1.1"))).toEqual({ score: null, exact: null, rating: "no-evidence" });
  });

  it("a results MI triangulates on the results scale (1-4): document 1 and survey 2 give 1.5 -> 2", () => {
    const r = run(
      { kpis: [["rubric", "rubric"]] },
      { "MI1.1": null },
      {
        evidence: [ev("d1", "document", { "MI1.1": 1, "MI1.2": 1 }), ev("d2", "document", { "MI1.2": 2 }), ev("s1", "survey", { "MI1.1": 2 })],
      },
    );
    expect(summary(mi(r, "MI1.1"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
    // One stream: document mean of [1, 2] = 1.5 -> 2.
    expect(summary(mi(r, "MI1.2"))).toEqual({ score: 2, exact: "2", rating: "unsatisfactory" });
    expect(r.conflicts).toEqual([]);
  });

  it("resolveLeaves gives every leaf in framework order with its source", () => {
    const framework = makeFramework({ kpis: [[2, "rubric"]] });
    const assessment = makeAssessment(framework, { "MI1.1.E2": 2, "MI1.2": null }, { evidence: [ev("s1", "survey", { "MI1.2": 3 })] });
    const leaves = resolveLeaves(framework, assessment);
    expect(leaves.map((l) => [typeof l.value === "string" ? l.value : l.value.toFraction(), l.source, l.evidence])).toEqual([
      ["N/E", "unjudged", []],
      ["2", "judgement", []],
      ["3", "triangulated", ["s1"]],
    ]);
  });
});

describe("triangulate()", () => {
  const s = (stream: "document" | "survey" | "interview" | "other", score: number) => ({ stream, score });

  it("gives nothing without suggestions", () => {
    expect(triangulate([], RULE, ELEMENT_SCALE)).toBeUndefined();
  });

  it("within-stream mean, across-stream median", () => {
    const t = triangulate([s("survey", 4), s("document", 1), s("document", 1), s("document", 4), s("interview", 4)], RULE, ELEMENT_SCALE)!;
    // document mean 2, interview 4, survey 4 -> median 4
    expect(t.score.toFraction()).toBe("4");
    expect([...t.streams].map(([k, v]) => [k, v.toFraction()])).toEqual([
      ["document", "2"],
      ["interview", "4"],
      ["survey", "4"],
    ]);
    expect(t.spread.toFraction()).toBe("2");
    expect(t.conflict).toBe(true);
  });

  it("within-stream median and across-stream mean, when the rule says so", () => {
    const rule = { withinStream: "median", acrossStreams: "mean", conflictSpread: 2 } as const;
    const t = triangulate([s("survey", 4), s("document", 1), s("document", 1), s("document", 4), s("interview", 4)], rule, ELEMENT_SCALE)!;
    // document median 1, interview 4, survey 4 -> mean 3
    expect(t.score.toFraction()).toBe("3");
    expect(t.spread.toFraction()).toBe("3");
  });

  it("the median of an even number of streams is the mean of the middle two, rounded half-up", () => {
    expect(triangulate([s("document", 2), s("survey", 3)], RULE, ELEMENT_SCALE)!.score.toFraction()).toBe("3");
    expect(triangulate([s("document", 1), s("survey", 2), s("interview", 3), s("other", 4)], RULE, ELEMENT_SCALE)!.score.toFraction()).toBe("3");
    expect(triangulate([s("document", 1), s("survey", 2), s("interview", 2), s("other", 4)], RULE, ELEMENT_SCALE)!.score.toFraction()).toBe("2");
  });

  it("rounds to the scale's step from its minimum", () => {
    const half = { min: 0, max: 4, step: 0.5 };
    // 2.75 is 5.5 steps -> 6 steps = 3; document mean 2.7 is 5.4 steps -> 2.5
    expect(triangulate([s("document", 2.5), s("survey", 3)], RULE, half)!.score.toFraction()).toBe("3");
    expect(triangulate([s("document", 2.5), s("document", 2.5), s("document", 3), s("document", 3), s("document", 2.5)], RULE, half)!.score.toFraction()).toBe("5/2");
    // On the results scale (from 1): 1.5 is half a step above 1 -> 2.
    expect(triangulate([s("document", 1), s("survey", 2)], RULE, MOPAN_POLICY.resultsScale)!.score.toFraction()).toBe("2");
  });

  it("conflict from a spread equal to conflictSpread, not from one just below", () => {
    expect(triangulate([s("document", 4), s("survey", 2)], RULE, ELEMENT_SCALE)!.conflict).toBe(true);
    expect(triangulate([s("document", 4), s("survey", 3)], RULE, ELEMENT_SCALE)!.conflict).toBe(false);
    // document mean 2.5, survey 4: spread 1.5
    const t = triangulate([s("document", 2), s("document", 3), s("survey", 4)], RULE, ELEMENT_SCALE)!;
    expect([t.spread.toFraction(), t.conflict]).toEqual(["3/2", false]);
    // A single stream never conflicts with itself, however spread its entries.
    expect(triangulate([s("document", 0), s("document", 4)], RULE, ELEMENT_SCALE)!.conflict).toBe(false);
  });
});
