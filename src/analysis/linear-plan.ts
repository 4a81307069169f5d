/**
 * Each KPI score as an integer form in the varying leaves, derived by the scoring engine itself.
 * Pure: no I/O.
 *
 * Aggregation is evaluated once by `evaluatePlan` with a symbolic arithmetic whose values are
 * linear forms in the varying leaves: that yields each KPI score as b + sum(c_i * x_i) with exact
 * rational coefficients, i.e. the engine's own definition of the mean, weights and flag
 * treatment. Writing x_i = min_i + k_i * step_i and scaling by the common denominator L gives an
 * integer N = B + sum(A_i * k_i) per KPI; a draw then costs integer additions (exact in doubles)
 * and the KPI score is N / L. When the policy rounds MI scores before the KPI mean (not linear)
 * or the integers would not be exact in doubles, there is no linear plan.
 */
import type { ScoringPolicy } from "../framework/schema.js";
import type { Arithmetic, Outcome } from "../scoring/aggregate.js";
import { type ScoringPlan, evaluatePlan } from "../scoring/plan.js";
import type { Flag } from "../vocabulary/schema.js";
import { Fraction, exact, roundExact } from "../util/exact.js";

/**
 * A value linear in the varying leaves: c + sum(coefficient_i * x_i). The terms are kept as a tree
 * of sums and scalings, built in O(1) per operation and flattened once at the end (copying term
 * maps at each addition would cost O(n^2) for a KPI of n leaves).
 */
interface Linear {
  readonly c: Fraction;
  readonly terms: Terms | null;
}

type Terms =
  | { readonly kind: "leaf"; readonly leaf: number }
  | { readonly kind: "sum"; readonly a: Terms; readonly b: Terms }
  | { readonly kind: "scale"; readonly terms: Terms; readonly factor: Fraction };

class NonLinear extends Error {}

const scaleLinear = (a: Linear, f: Fraction): Linear => ({ c: a.c.mul(f), terms: a.terms && { kind: "scale", terms: a.terms, factor: f } });

/** Symbolic arithmetic: evaluating the plan with it gives every score as a linear form in the leaves. */
const linearArithmetic = (policy: ScoringPolicy): Arithmetic<Linear> => ({
  fromNumber: (n) => ({ c: exact(n), terms: null }),
  add: (a, b) => ({ c: a.c.add(b.c), terms: a.terms && b.terms ? { kind: "sum", a: a.terms, b: b.terms } : (a.terms ?? b.terms) }),
  mul: (a, b) => {
    if (a.terms === null) return scaleLinear(b, a.c);
    if (b.terms === null) return scaleLinear(a, b.c);
    throw new NonLinear();
  },
  div: (a, b) => {
    if (b.terms !== null) throw new NonLinear();
    return scaleLinear(a, new Fraction(1).div(b.c));
  },
  isZero: (a) => a.terms === null && a.c.equals(0),
  round: (a) => {
    if (a.terms !== null) throw new NonLinear();
    return { c: roundExact(a.c, policy.rounding.decimals, policy.rounding.mode), terms: null };
  },
});

const ONE = new Fraction(1);

/** Each leaf's coefficient in a tree of terms, in one pass (no recursion: trees can be deep). */
function coefficients(terms: Terms | null): Map<number, Fraction> {
  const out = new Map<number, Fraction>();
  const stack: { terms: Terms; factor: Fraction }[] = terms ? [{ terms, factor: ONE }] : [];
  while (stack.length > 0) {
    const { terms: t, factor } = stack.pop()!;
    if (t.kind === "leaf") {
      const known = out.get(t.leaf);
      out.set(t.leaf, known ? known.add(factor) : factor);
    } else if (t.kind === "sum") {
      stack.push({ terms: t.b, factor }, { terms: t.a, factor });
    } else stack.push({ terms: t.terms, factor: factor.mul(t.factor) });
  }
  return out;
}

/** 2^53: integers below it are exact in doubles. */
const SAFE = 2 ** 53;
/** Largest histogram per KPI; a wider range of N keeps each draw's N instead. */
const MAX_HISTOGRAM = 1 << 22;

export interface LinearPlan {
  /** Per varying leaf: its coefficient A_v in its KPI's integer, and that KPI. */
  readonly A: Float64Array;
  readonly kpiOf: Int32Array;
  /** Per KPI: the constant B (the integer with every varying leaf at its scale minimum). */
  readonly B: Float64Array;
  /** Per KPI with a score: the denominator L and the range of N; undefined for flags. */
  readonly ranges: readonly ({ readonly L: bigint; readonly min: number; readonly max: number; readonly histogram: boolean } | undefined)[];
  readonly outcomes: readonly Outcome<unknown>[];
}

/**
 * The integer forms N = B + sum(A_v * k_v) over the varying leaves (k_v: steps above the scale
 * minimum, from 0 to K_v), score = N / L. Undefined when not linear or not exact in doubles.
 */
export function linearPlan(
  plan: ScoringPlan,
  policy: ScoringPolicy,
  base: readonly (Fraction | Flag)[],
  varying: readonly number[],
  steps: readonly { readonly min: Fraction; readonly step: Fraction }[],
  K: Int32Array,
): LinearPlan | undefined {
  const position = new Map(varying.map((leaf, v) => [leaf, v]));
  const symbolic: (Linear | Flag)[] = base.map((value, i) => {
    if (!(value instanceof Fraction)) return value;
    return position.has(i) ? { c: new Fraction(0), terms: { kind: "leaf", leaf: i } } : { c: value, terms: null };
  });
  let outcomes: Outcome<Linear>[];
  try {
    outcomes = evaluatePlan(plan, symbolic, policy, linearArithmetic(policy)).kpis;
  } catch (error) {
    if (error instanceof NonLinear) return undefined;
    throw error;
  }
  const A = new Float64Array(varying.length);
  const kpiOf = new Int32Array(varying.length);
  const B = new Float64Array(plan.kpis.length);
  const ranges: ({ L: bigint; min: number; max: number; histogram: boolean } | undefined)[] = [];
  for (let k = 0; k < plan.kpis.length; k++) {
    const o = outcomes[k]!;
    if (o.kind !== "score") {
      ranges.push(undefined);
      continue;
    }
    // score = c + sum(t_i * (min_i + k_i * step_i)) = b + sum(a_i * k_i)
    let b = o.value.c;
    const terms: { v: number; a: Fraction }[] = [];
    for (const [leaf, coefficient] of coefficients(o.value.terms)) {
      const v = position.get(leaf)!;
      b = b.add(coefficient.mul(steps[v]!.min));
      terms.push({ v, a: coefficient.mul(steps[v]!.step) });
    }
    let L = b.d;
    for (const { a } of terms) L = lcm(L, a.d);
    const Bk = b.mul(new Fraction(L)).n * (b.s < 0n ? -1n : 1n);
    let lo = Bk;
    let hi = Bk;
    for (const { v, a } of terms) {
      const Ai = a.mul(new Fraction(L));
      const signed = Ai.n * (Ai.s < 0n ? -1n : 1n);
      const reach = signed * BigInt(K[v]!);
      if (reach < 0n) lo += reach;
      else hi += reach;
      A[v] = Number(signed);
      kpiOf[v] = k;
    }
    const max = hi > -lo ? hi : -lo;
    // Sums of N over up to a million draws must stay exact too.
    if (max * 1_000_000n >= BigInt(SAFE) || L >= BigInt(SAFE)) return undefined;
    B[k] = Number(Bk);
    ranges.push({ L, min: Number(lo), max: Number(hi), histogram: hi - lo + 1n <= BigInt(MAX_HISTOGRAM) });
  }
  return { A, kpiOf, B, ranges, outcomes };
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;
