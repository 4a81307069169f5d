import { type Framework, indexFramework, judgedIdsOf } from "../framework/model.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { type Arithmetic, type Outcome, aggregate, isFlag, leafValue } from "./aggregate.js";
import { PairCache } from "../util/pair-cache.js";
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
        const ids = judgedIdsOf(mi);
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

const weightCache = new PairCache<ScoringPlan, ScoringPolicy, Weights>();

const weightsFor = (plan: ScoringPlan, policy: ScoringPolicy): Weights =>
  weightCache.get(plan, policy, () => {
    const { aggregation } = policy;
    const w = (table: Readonly<Record<string, number>> | undefined, id: string) => table?.[id] ?? 1;
    return {
      mis: plan.mis.map((mi) => mi.leaves.map((l) => (plan.leaves[l]!.results ? 1 : w(aggregation.mi.weights, plan.leaves[l]!.id)))),
      kpis: plan.kpis.map((kpi) => kpi.mis.map((m) => w(aggregation.kpi.weights, plan.mis[m]!.id))),
      pas: plan.pas.map((pa) => pa.kpis.map((k) => w(aggregation.performanceArea?.weights, plan.kpis[k]!.id))),
    };
  });

/** A policy's weights as numbers of an arithmetic, converted once per arithmetic. */
interface ConvertedWeights<T> {
  readonly mis: readonly (readonly T[])[];
  readonly kpis: readonly (readonly T[])[];
  readonly pas: readonly (readonly T[])[];
}

const converted = new PairCache<Arithmetic<unknown>, Weights, ConvertedWeights<unknown>>();

function convertedWeights<T>(weights: Weights, ar: Arithmetic<T>): ConvertedWeights<T> {
  return converted.get(ar as Arithmetic<unknown>, weights, () => {
    const numbers = new Map<number, T>();
    const w = (n: number) => {
      let v = numbers.get(n);
      if (v === undefined) numbers.set(n, (v = ar.fromNumber(n)));
      return v;
    };
    const convert = (lists: readonly (readonly number[])[]) => lists.map((list) => list.map(w));
    return { mis: convert(weights.mis), kpis: convert(weights.kpis), pas: convert(weights.pas) };
  }) as ConvertedWeights<T>;
}

/** Every MI, KPI (and declared PA) outcome from leaf values: the one definition of aggregation. */
export function evaluatePlan<T>(plan: ScoringPlan, leafValues: readonly (T | Flag)[], policy: ScoringPolicy, ar: Arithmetic<T>): Evaluation<T> {
  const roundFirst = policy.rounding.roundBeforeAggregating;
  const forward = (o: Outcome<T>): T | Flag => (o.kind !== "score" ? o.kind : roundFirst ? ar.round(o.value) : o.value);
  const weights = convertedWeights(weightsFor(plan, policy), ar);
  const mis = plan.mis.map((mi, m) => {
    const values: (T | Flag)[] = [];
    for (const leaf of mi.leaves) values.push(leafValue(leafValues[leaf]!, policy, ar, plan.leaves[leaf]!.results));
    return aggregate(values, weights.mis[m]!, ar);
  });
  const kpis = plan.kpis.map((kpi, k) =>
    aggregate(
      kpi.mis.map((m) => forward(mis[m]!)),
      weights.kpis[k]!,
      ar,
    ),
  );
  const pas = policy.aggregation.performanceArea
    ? plan.pas.map((pa, p) =>
        aggregate(
          pa.kpis.map((k) => forward(kpis[k]!)),
          weights.pas[p]!,
          ar,
        ),
      )
    : undefined;
  return { mis, kpis, pas };
}

/** An item's outcome kept up to date as single leaves move: `set` costs a few arithmetic operations. */
export interface IncrementalEvaluation<T> {
  /** Moves one scored leaf to another score (a leaf of the plan that is scored before and after). */
  set(leaf: number, value: T): void;
  /** The plan's first KPI outcome, or its first MI outcome when it has no KPI (see `itemPlan`). */
  outcome(): Outcome<T>;
}

/**
 * The same aggregation as `evaluatePlan`, kept as running sums: each MI's weighted leaf sum and
 * each KPI's weighted sum of (forwarded) MI scores. Moving a scored leaf within its scale never
 * changes which leaves and MIs are scored (flags stay flags), so every denominator is fixed and
 * a move updates one MI sum and one KPI sum. With exact arithmetic the result equals
 * `evaluatePlan` on the moved values (sums of rationals do not depend on their order); tests
 * check this on random plans, policies and moves.
 */
export function incrementalPlan<T>(plan: ScoringPlan, leafValues: readonly (T | Flag)[], policy: ScoringPolicy, ar: Arithmetic<T>): IncrementalEvaluation<T> {
  const start = evaluatePlan(plan, leafValues, policy, ar);
  const weights = weightsFor(plan, policy);
  const forward = (v: T) => (policy.rounding.roundBeforeAggregating ? ar.round(v) : v);
  const values = [...leafValues];
  const leafAt = new Map<number, { mi: number; weight: T }>();
  const miSum: (T | undefined)[] = [];
  const miWeight: (T | undefined)[] = [];
  const miValue: (T | undefined)[] = [];
  /** Weighted sum and total weight of the children that have a value; each child's weight passed to `seen`. */
  const sums = (children: readonly number[], childWeights: readonly number[], valueAt: (child: number) => T | undefined, seen: (child: number, weight: T) => void) => {
    let sum: T | undefined;
    let total: T | undefined;
    children.forEach((child, i) => {
      const weight = ar.fromNumber(childWeights[i]!);
      seen(child, weight);
      const v = valueAt(child);
      if (v === undefined) return;
      const term = ar.mul(v, weight);
      sum = sum === undefined ? term : ar.add(sum, term);
      total = total === undefined ? weight : ar.add(total, weight);
    });
    return { sum, total };
  };
  const scoredLeaf = (leaf: number) => {
    const v = leafValue(leafValues[leaf]!, policy, ar, plan.leaves[leaf]!.results);
    return isFlag(v) ? undefined : v;
  };
  plan.mis.forEach((mi, m) => {
    const { sum, total } = sums(mi.leaves, weights.mis[m]!, scoredLeaf, (leaf, weight) => leafAt.set(leaf, { mi: m, weight }));
    miSum.push(sum);
    miWeight.push(total);
    const o = start.mis[m]!;
    miValue.push(o.kind === "score" ? forward(o.value) : undefined);
  });
  const kpiOfMi = new Map<number, { kpi: number; weight: T }>();
  const kpiSum: (T | undefined)[] = [];
  const kpiWeight: (T | undefined)[] = [];
  plan.kpis.forEach((kpi, k) => {
    const { sum, total } = sums(
      kpi.mis,
      weights.kpis[k]!,
      (m) => miValue[m],
      (m, weight) => kpiOfMi.set(m, { kpi: k, weight }),
    );
    kpiSum.push(sum);
    kpiWeight.push(total);
  });
  const minus = ar.fromNumber(-1);
  const difference = (a: T, b: T) => ar.add(a, ar.mul(b, minus));
  return {
    set(leaf, value) {
      const old = values[leaf];
      const at = leafAt.get(leaf);
      if (at === undefined || old === undefined || isFlag(old) || isFlag(value)) throw new RangeError(`leaf ${leaf} is not a scored leaf of this plan`);
      values[leaf] = value;
      const m = at.mi;
      miSum[m] = ar.add(miSum[m]!, ar.mul(difference(value, old), at.weight));
      const before = miValue[m]!;
      const after = forward(ar.div(miSum[m]!, miWeight[m]!));
      miValue[m] = after;
      const up = kpiOfMi.get(m);
      if (up !== undefined) kpiSum[up.kpi] = ar.add(kpiSum[up.kpi]!, ar.mul(difference(after, before), up.weight));
    },
    outcome() {
      const k = plan.kpis.length > 0 ? 0 : undefined;
      if (k !== undefined) {
        const o = start.kpis[k]!;
        return o.kind === "score" ? { kind: "score", value: ar.div(kpiSum[k]!, kpiWeight[k]!) } : o;
      }
      const o = start.mis[0]!;
      return o.kind === "score" ? { kind: "score", value: ar.div(miSum[0]!, miWeight[0]!) } : o;
    },
  };
}
