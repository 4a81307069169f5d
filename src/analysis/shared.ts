/**
 * Pieces the analyses (sensitivity, simulation, what-if) share. Pure: no I/O. Scores come only
 * from the scoring engine (`evaluatePlan` over `planFor`); this module only selects parts of a
 * plan; ratings come from the rating authority, as in `score()`.
 */
import type { ScoringPolicy } from "../framework/schema.js";
import type { Rating } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import type { ScoringPlan } from "../scoring/plan.js";
import type { Framework } from "../framework/model.js";
import { type Fraction, exact, toNumber } from "../util/exact.js";
import { ENGINE_VERSION } from "../version.js";

/** A score as results show it: rounded by the policy, the exact fraction, and the rating code. */
export interface Rated {
  readonly score: number | null;
  readonly exact: string | null;
  readonly rating: string;
}

/** What every analysis records about the run it made, beside its own parameters. */
export interface RunParameters {
  readonly engine: { readonly name: string; readonly version: string };
  readonly framework: { readonly id: string; readonly version: string; readonly contentHash: string };
  readonly ratingScale: string;
}

export const runParameters = (framework: Framework, scale: RatingScale): RunParameters => ({
  engine: { name: "mopan-engine", version: ENGINE_VERSION },
  framework: { id: framework.id, version: framework.version, contentHash: framework.contentHash },
  ratingScale: scale.id,
});

export const rated = (r: Rating): Rated => ({ score: r.score, exact: r.exact, rating: r.rating });

/**
 * The part of a plan that one KPI (or one of its MIs) depends on, with the same leaf indices,
 * so `evaluatePlan` computes just that item. Without `mi`, the KPI and its MIs; with `mi` (a plan
 * MI index), that MI alone.
 */
export function itemPlan(plan: ScoringPlan, item: { readonly kpi: number } | { readonly mi: number }): ScoringPlan {
  if ("mi" in item) {
    const mi = plan.mis[item.mi]!;
    return { leaves: plan.leaves, mis: [mi], kpis: [], pas: [], leafIndex: plan.leafIndex };
  }
  const kpi = plan.kpis[item.kpi]!;
  return {
    leaves: plan.leaves,
    mis: kpi.mis.map((m) => plan.mis[m]!),
    kpis: [{ ...kpi, mis: kpi.mis.map((_, i) => i) }],
    pas: [],
    leafIndex: plan.leafIndex,
  };
}

/** The leaves (plan indices) an MI or KPI aggregates. */
export const leavesOfKpi = (plan: ScoringPlan, kpi: number): number[] => plan.kpis[kpi]!.mis.flatMap((m) => plan.mis[m]!.leaves);

/** The scale a leaf is judged on: results MIs on the results scale, elements on the element scale. */
export const leafScale = (policy: ScoringPolicy, results: boolean): ScoringPolicy["elementScale"] => (results ? policy.resultsScale : policy.elementScale);

/** Every value of a scale, lowest first, exactly. */
export function scaleValues(s: ScoringPolicy["elementScale"]): Fraction[] {
  const out: Fraction[] = [];
  const max = exact(s.max);
  const step = exact(s.step);
  for (let v = exact(s.min); v.lte(max); v = v.add(step)) out.push(v);
  return out;
}

/** A fraction as a JSON number with the given places (for output). */
export const num = (value: Fraction, places: number): number => toNumber(value, places);
