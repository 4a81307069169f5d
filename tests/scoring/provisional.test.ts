import { describe, expect, it } from "vitest";
import type { ProvisionalRule, ScoringPolicy } from "../../src/framework/schema.js";
import { provisionalStatus } from "../../src/scoring/provisional.js";
import { MOPAN_POLICY, clone, kpi, mi, run } from "./support.js";

const coverage = (total: number, scored: number, notApplicable = 0) => ({ total, scored, noEvidence: total - scored - notApplicable, notApplicable });
const rule = (mi: ProvisionalRule["mi"], kpi?: ProvisionalRule["kpi"], enabled = true): ProvisionalRule => ({ enabled, status: "project", mi, ...(kpi ? { kpi } : {}) });

describe("provisionalStatus: the coverage rule at its boundaries", () => {
  it("a share exactly at the threshold is firm; one item less is provisional", () => {
    const half = rule({ minScoredShare: 0.5 });
    expect(provisionalStatus(coverage(6, 3), half, "mi", true)).toBeNull();
    expect(provisionalStatus(coverage(6, 2), half, "mi", true)).toEqual({
      scored: 2,
      applicable: 6,
      reason: "2 of 6 applicable items scored (33.3%); the project coverage rule for an MI asks for at least 50% scored",
    });
  });

  it("just below a share threshold (4 of 9 is 44.4%, 5 of 9 is 55.6%) and N/A items leave the denominator", () => {
    const half = rule({ minScoredShare: 0.5 });
    expect(provisionalStatus(coverage(9, 4), half, "mi", true)?.reason).toMatch(/^4 of 9 applicable items scored \(44\.4%\)/);
    expect(provisionalStatus(coverage(9, 5), half, "mi", true)).toBeNull();
    // 4 scored, 2 N/A, 3 N/E: 4 of 7 applicable is above half.
    expect(provisionalStatus(coverage(9, 4, 2), half, "mi", true)).toBeNull();
  });

  it("a count exactly at the threshold is firm; one less is provisional; an item with fewer applicable items needs all of them", () => {
    const two = rule({ minScored: 2 });
    expect(provisionalStatus(coverage(5, 2), two, "mi", true)).toBeNull();
    expect(provisionalStatus(coverage(5, 1), two, "mi", true)?.reason).toBe("1 of 5 applicable items scored (20%); the project coverage rule for an MI asks for at least 2 scored");
    expect(provisionalStatus(coverage(1, 1), two, "mi", true)).toBeNull();
    expect(provisionalStatus(coverage(3, 1, 2), two, "mi", true)).toBeNull();
  });

  it("names every threshold that is missed", () => {
    const both = rule({ minScoredShare: 0.5, minScored: 2 });
    expect(provisionalStatus(coverage(7, 1), both, "mi", true)?.reason).toBe(
      "1 of 7 applicable items scored (14.3%); the project coverage rule for an MI asks for at least 50% scored and at least 2 scored",
    );
  });

  it("applies each level's own thresholds", () => {
    const levels = rule({ minScoredShare: 0.5 }, { minScoredShare: 0.25 });
    expect(provisionalStatus(coverage(10, 3), levels, "mi", true)).not.toBeNull();
    expect(provisionalStatus(coverage(10, 3), levels, "kpi", true)).toBeNull();
    expect(provisionalStatus(coverage(10, 2), levels, "kpi", true)?.reason).toMatch(/for a KPI asks for at least 25% scored$/);
    expect(provisionalStatus(coverage(10, 1), rule({ minScoredShare: 0.5 }), "kpi", true)).toBeNull();
  });

  it("is off when the rule is absent or switched off, and for an item without a computed score", () => {
    expect(provisionalStatus(coverage(6, 1), undefined, "mi", true)).toBeNull();
    expect(provisionalStatus(coverage(6, 1), rule({ minScoredShare: 0.5 }, undefined, false), "mi", true)).toBeNull();
    expect(provisionalStatus(coverage(6, 0), rule({ minScoredShare: 0.5 }), "mi", false)).toBeNull();
  });

  it("counts a score computed from N/E counted as a value: 0 of 4 scored is provisional", () => {
    expect(provisionalStatus(coverage(4, 0), rule({ minScoredShare: 0.5 }), "mi", true)?.reason).toMatch(/^0 of 4 applicable items scored \(0%\)/);
  });
});

describe("score() marks provisional ratings and keeps the score", () => {
  const withRule = (r: ProvisionalRule | undefined): ScoringPolicy => {
    const p = clone(MOPAN_POLICY) as { provisional?: ProvisionalRule };
    if (r === undefined) delete p.provisional;
    else p.provisional = r;
    return p as ScoringPolicy;
  };
  const policy = withRule(rule({ minScoredShare: 0.5, minScored: 2 }, { minScoredShare: 0.5, minScored: 3 }));

  it("an MI with 2 of 4 elements scored is firm; with 1 of 4 it is provisional, with its score and rating unchanged", () => {
    const firm = run({ kpis: [[4, 4]], policy }, { "MI1.1.E1": 3, "MI1.1.E2": 2, "MI1.1.E3": "N/E", "MI1.1.E4": "N/E", "MI1.2.E1": 4, "MI1.2.E2": "N/E", "MI1.2.E3": "N/E", "MI1.2.E4": "N/E" });
    expect(mi(firm, "MI1.1").provisional).toBeNull();
    const thin = mi(firm, "MI1.2");
    expect(thin.score).toBe(4);
    expect(thin.rating).toBe("highly-satisfactory");
    expect(thin.provisional?.reason).toBe("1 of 4 applicable items scored (25%); the project coverage rule for an MI asks for at least 50% scored and at least 2 scored");
    // The KPI: 3 of 8 elements scored, below half.
    expect(kpi(firm, "KPI1").provisional).toMatchObject({ scored: 3, applicable: 8 });
    expect(kpi(firm, "KPI1").score).toBe(3.25);
  });

  it("a KPI exactly at both thresholds is firm", () => {
    const r = run({ kpis: [[3, 3]], policy }, { "MI1.1.E1": 3, "MI1.1.E2": 3, "MI1.1.E3": "N/E", "MI1.2.E1": 2, "MI1.2.E2": "N/E", "MI1.2.E3": "N/A" });
    // 3 of 5 applicable elements (one N/A), at least 3: firm.
    expect(kpi(r, "KPI1").provisional).toBeNull();
    expect(mi(r, "MI1.2").provisional).not.toBeNull();
  });

  it("records the rule with its thresholds in the result's provenance, and marks nothing when it is off", () => {
    const judged = { "MI1.1.E1": 3, "MI1.1.E2": "N/E", "MI1.1.E3": "N/E", "MI1.1.E4": "N/E" } as const;
    const on = run({ kpis: [[4]], policy }, judged);
    expect(on.provenance.policy.provisional).toEqual(policy.provisional);
    expect(mi(on, "MI1.1").provisional).not.toBeNull();
    const off = run({ kpis: [[4]], policy: withRule({ ...policy.provisional!, enabled: false }) }, judged);
    expect(mi(off, "MI1.1").provisional).toBeNull();
    expect(kpi(off, "KPI1").provisional).toBeNull();
    expect(mi(off, "MI1.1").score).toBe(mi(on, "MI1.1").score);
    const none = run({ kpis: [[4]], policy: withRule(undefined) }, judged);
    expect(mi(none, "MI1.1").provisional).toBeNull();
  });

  it("never marks an item without a score", () => {
    const r = run({ kpis: [[3, "rubric"]], policy }, { "MI1.1.E1": "N/E", "MI1.1.E2": "N/E", "MI1.1.E3": "N/A", "MI1.2": "N/E" });
    for (const item of [...r.mis, ...r.kpis]) expect(item.provisional, item.id).toBeNull();
  });
});
