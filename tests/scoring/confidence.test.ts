import { describe, expect, it } from "vitest";
import { type Judged, ev, kpi, mi, run } from "./support.js";

/**
 * MOPAN 3.1 policy: high = >= 3 streams, scored share >= 0.75, no conflict;
 * medium = >= 2 streams, share >= 0.5, <= 1 conflict; otherwise low.
 */
const DOC = ev("doc", "document");
const SUR = ev("sur", "survey");
const INT = ev("int", "interview");
const ids = ["MI1.1.E1", "MI1.1.E2", "MI1.1.E3", "MI1.1.E4"];

/** MI1.1 (4 elements) judged as given, every judgement citing the given evidence. */
function confidenceOf(scores: Judged[], evidence: Record<string, unknown>[], extraEvidence: Record<string, unknown>[] = []) {
  const judgements = Object.fromEntries(ids.map((id, i) => [id, scores[i]!]));
  const cites = Object.fromEntries(ids.map((id) => [id, evidence.map((e) => e["id"] as string)]));
  const result = run({ kpis: [[4]] }, judgements, { evidence: [...evidence, ...extraEvidence], cites });
  return mi(result, "MI1.1").confidence;
}

describe("computed confidence", () => {
  it("high: three streams, everything scored, no conflict", () => {
    expect(confidenceOf([3, 3, 2, 4], [DOC, SUR, INT])).toEqual({
      computed: "high",
      stated: null,
      agrees: null,
      basis: { streams: ["document", "interview", "survey"], evidence: 3, scoredShare: 1, conflicts: 0 },
    });
  });

  it("high at exactly the 0.75 scored share", () => {
    const c = confidenceOf([3, 3, 2, "N/E"], [DOC, SUR, INT]);
    expect([c.computed, c.basis.scoredShare]).toEqual(["high", 0.75]);
  });

  it("medium: three streams but only half scored", () => {
    const c = confidenceOf([3, 3, "N/E", "N/E"], [DOC, SUR, INT]);
    expect([c.computed, c.basis.scoredShare]).toEqual(["medium", 0.5]);
  });

  it("N/A elements are left out of the scored share: 1 scored, 1 N/E, 2 N/A is a share of 0.5", () => {
    const c = confidenceOf([3, "N/E", "N/A", "N/A"], [DOC, SUR, INT]);
    expect([c.computed, c.basis.scoredShare]).toEqual(["medium", 0.5]);
  });

  it("low: three streams, a quarter scored", () => {
    const c = confidenceOf([3, "N/E", "N/E", "N/E"], [DOC, SUR, INT]);
    expect([c.computed, c.basis.scoredShare]).toEqual(["low", 0.25]);
  });

  it("medium with two streams; low with one", () => {
    expect(confidenceOf([3, 3, 3, 3], [DOC, SUR]).computed).toBe("medium");
    expect(confidenceOf([3, 3, 3, 3], [DOC, ev("doc2", "document")])).toMatchObject({
      computed: "low",
      basis: { streams: ["document"], evidence: 2, scoredShare: 1, conflicts: 0 },
    });
    expect(confidenceOf([3, 3, 3, 3], []).basis).toEqual({ streams: [], evidence: 0, scoredShare: 1, conflicts: 0 });
  });

  it("one conflict drops three streams to medium; two conflicts drop it to low", () => {
    const oneConflict = [ev("c1", "document", { "MI1.1.E1": 4 }), ev("c2", "survey", { "MI1.1.E1": 2 })];
    const one = confidenceOf([3, 3, 3, 3], [DOC, SUR, INT], oneConflict);
    expect(one).toMatchObject({ computed: "medium", basis: { evidence: 5, conflicts: 1 } });
    const twoConflicts = [ev("c1", "document", { "MI1.1.E1": 4, "MI1.1.E2": 0 }), ev("c2", "survey", { "MI1.1.E1": 2, "MI1.1.E2": 3 })];
    expect(confidenceOf([3, 3, 3, 3], [DOC, SUR, INT], twoConflicts)).toMatchObject({ computed: "low", basis: { conflicts: 2 } });
  });

  it("a spread of 1 between streams is no conflict and keeps high", () => {
    const close = [ev("c1", "document", { "MI1.1.E1": 4 }), ev("c2", "survey", { "MI1.1.E1": 3 })];
    expect(confidenceOf([3, 3, 3, 3], [DOC, SUR, INT], close)).toMatchObject({ computed: "high", basis: { conflicts: 0 } });
  });

  it("evidence counts through an evidence entry's elements list as well as citations", () => {
    const result = run(
      { kpis: [[2]] },
      { "MI1.1.E1": 3, "MI1.1.E2": 3 },
      {
        evidence: [ev("d", "document", {}, ["MI1.1.E1"]), ev("s", "survey", {}, ["MI1.1.E2"]), ev("o", "other", {}, ["MI1.1.E2"])],
      },
    );
    expect(mi(result, "MI1.1").confidence).toMatchObject({ computed: "high", basis: { streams: ["document", "other", "survey"], evidence: 3 } });
  });

  it("an MI with every element N/A has no computed confidence", () => {
    const c = confidenceOf(["N/A", "N/A", "N/A", "N/A"], [DOC, SUR, INT]);
    expect(c).toMatchObject({ computed: null, basis: { scoredShare: null } });
  });
});

describe("stated confidence", () => {
  const judgements = { "MI1.1.E1": 3, "MI1.2.E1": 3, "MI1.3.E1": "N/A", "MI1.4.E1": 2 } as const;
  const result = run({ kpis: [[1, 1, 1, 1]] }, judgements, {
    evidence: [DOC, SUR, INT],
    cites: { "MI1.1.E1": ["doc", "sur", "int"], "MI1.2.E1": ["doc"], "MI1.4.E1": ["doc", "sur"] },
    statedConfidence: { "MI1.1": "high", "MI1.2": "high", "MI1.3": "low" },
  });

  it("agrees or disagrees with the computed confidence", () => {
    expect(mi(result, "MI1.1").confidence).toMatchObject({ computed: "high", stated: "high", agrees: true });
    expect(mi(result, "MI1.2").confidence).toMatchObject({ computed: "low", stated: "high", agrees: false });
    expect(mi(result, "MI1.3").confidence).toMatchObject({ computed: null, stated: "low", agrees: false });
    expect(mi(result, "MI1.4").confidence).toMatchObject({ computed: "medium", stated: null, agrees: null });
  });

  it("lists every disagreement in confidenceDisagreements, and nothing else", () => {
    expect(result.confidenceDisagreements).toEqual([
      { mi: "MI1.2", stated: "high", computed: "low" },
      { mi: "MI1.3", stated: "low", computed: null },
    ]);
  });

  it("counts the KPI's MIs by computed confidence", () => {
    expect(kpi(result, "KPI1").confidence).toEqual({ high: 1, medium: 1, low: 1 });
  });
});
