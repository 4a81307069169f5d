import { type Framework, indexFramework } from "../framework/model.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { type Arithmetic, type Outcome, aggregate, leafOutcome } from "./aggregate.js";
import type { Flag } from "../vocabulary/schema.js";

/**
 * The framework's aggregation structure as index arrays: leaves (elements, and results MIs,
 * which are judged directly) roll up into MIs, MIs into KPIs, KPIs into performance areas.
 * Built once, evaluated with any arithmetic.
 */
export interface ScoringPlan {
  readonly leaves: readonly { readonly id: string; readonly mi: number; readonly results: boolean }[];
  readonly mis: readonly { readonly id: string; readonly kpi: number; readonly leaves: readonly number[] }[];
  readonly kpis: readonly { readonly id: string; readonly pa: number; readonly mis: readonly number[] }[];
  readonly pas: readonly { readonly id: string; readonly kpis: readonly number[] }[];
  readonly leafIndex: ReadonlyMap<string, number>;
}

const plans = new WeakMap<Framework, ScoringPlan>();

export function planFor(framework: Framework): ScoringPlan {
  const cached = plans.get(framework);
  if (cached) return cached;
  const leaves: ScoringPlan["leaves"][number][] = [];
  const mis: ScoringPlan["mis"][number][] = [];
  const kpis: ScoringPlan["kpis"][number][] = [];
  const pas: ScoringPlan["pas"][number][] = [];
  for (const pa of framework.performanceAreas) {
    const paKpis: number[] = [];
    for (const kpi of pa.kpis) {
      const kpiMis: number[] = [];
      for (const mi of kpi.mis) {
        const miIndex = mis.length;
        const ids = mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id);
        const miLeaves = ids.map((id) => leaves.push({ id, mi: miIndex, results: mi.scoring === "rubric" }) - 1);
        mis.push({ id: mi.id, kpi: kpis.length, leaves: miLeaves });
        kpiMis.push(miIndex);
      }
      paKpis.push(kpis.push({ id: kpi.id, pa: pas.length, mis: kpiMis }) - 1);
    }
    pas.push({ id: pa.id, kpis: paKpis });
  }
  indexFramework(framework);
  const plan: ScoringPlan = { leaves, mis, kpis, pas, leafIndex: new Map(leaves.map((l, i) => [l.id, i])) };
  plans.set(framework, plan);
  return plan;
}

export interface Evaluation<T> {
  readonly mis: Outcome<T>[];
  readonly kpis: Outcome<T>[];
  /** Only for frameworks that declare a performance-area aggregation. */
  readonly pas: Outcome<T>[] | undefined;
}

/** Each child's weight in its parent's mean under a policy (1 unless the policy names it). */
interface Weights {
  readonly mis: readonly (readonly number[])[];
  readonly kpis: readonly (readonly number[])[];
  readonly pas: readonly (readonly number[])[];
}

const weightCache = new WeakMap<ScoringPlan, WeakMap<ScoringPolicy, Weights>>();

function weightsFor(plan: ScoringPlan, policy: ScoringPolicy): Weights {
  let byPolicy = weightCache.get(plan);
  if (!byPolicy) weightCache.set(plan, (byPolicy = new WeakMap()));
  let weights = byPolicy.get(policy);
  if (weights) return weights;
  const { aggregation } = policy;
  const w = (table: Readonly<Record<string, number>> | undefined, id: string) => table?.[id] ?? 1;
  weights = {
    mis: plan.mis.map((mi) => mi.leaves.map((l) => (plan.leaves[l]!.results ? 1 : w(aggregation.mi.weights, plan.leaves[l]!.id)))),
    kpis: plan.kpis.map((kpi) => kpi.mis.map((m) => w(aggregation.kpi.weights, plan.mis[m]!.id))),
    pas: plan.pas.map((pa) => pa.kpis.map((k) => w(aggregation.performanceArea?.weights, plan.kpis[k]!.id))),
  };
  byPolicy.set(policy, weights);
  return weights;
}

/** Every MI, KPI (and declared PA) outcome from leaf values: the one definition of aggregation. */
export function evaluatePlan<T>(plan: ScoringPlan, leafValues: readonly (T | Flag)[], policy: ScoringPolicy, ar: Arithmetic<T>): Evaluation<T> {
  const forward = (o: Outcome<T>): Outcome<T> =>
    o.kind === "score" && policy.rounding.roundBeforeAggregating ? { kind: "score", value: ar.round(o.value) } : o;
  const weights = weightsFor(plan, policy);
  const weightsCache = new Map<number, T>();
  const w = (n: number) => {
    let v = weightsCache.get(n);
    if (v === undefined) weightsCache.set(n, (v = ar.fromNumber(n)));
    return v;
  };
  const mis = plan.mis.map((mi, m) =>
    aggregate(mi.leaves.map((leaf, i) => ({ outcome: leafOutcome(leafValues[leaf]!, policy, ar, plan.leaves[leaf]!.results), weight: w(weights.mis[m]![i]!) })), ar),
  );
  const kpis = plan.kpis.map((kpi, k) => aggregate(kpi.mis.map((m, i) => ({ outcome: forward(mis[m]!), weight: w(weights.kpis[k]![i]!) })), ar));
  const pas = policy.aggregation.performanceArea
    ? plan.pas.map((pa, p) => aggregate(pa.kpis.map((k, i) => ({ outcome: forward(kpis[k]!), weight: w(weights.pas[p]![i]!) })), ar))
    : undefined;
  return { mis, kpis, pas };
}
