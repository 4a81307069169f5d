/**
 * Monte Carlo simulation of the KPI ratings under judgement uncertainty. Pure: no I/O; progress is
 * reported through a callback the caller may render.
 *
 * Each scored leaf (element, or results MI) moves by an offset drawn from the distribution of its
 * MI's computed evidence confidence (an uncertainty model: project assumptions, not MOPAN rules),
 * clamped to its scale. N/E and N/A leaves stay as they are, so every draw aggregates the same set
 * of leaves and MIs.
 *
 * Fast path. Aggregation is evaluated once by the scoring engine (`evaluatePlan`) with a symbolic
 * arithmetic whose values are linear forms in the varying leaves: that yields each KPI score as
 * b + sum(c_i * x_i) with exact rational coefficients, i.e. the engine's own definition of the
 * mean, weights and flag treatment. Writing x_i = min_i + k_i * step_i and scaling by the common
 * denominator L gives an integer N = B + sum(A_i * k_i) per KPI; a draw is then a typed-array loop
 * of integer additions (exact in doubles), the KPI score is N / L, and the distribution of N is
 * kept as a histogram. Ratings are computed after the loop, once per distinct N, exactly (rounding
 * and classification as `score()` does). When the policy rounds MI scores before the KPI mean (not
 * linear) or the integers would not be exact in doubles, each draw is evaluated by `evaluatePlan`
 * with float arithmetic instead (ratings still by exact rounding of the value snapped to 10
 * decimals).
 *
 * Statistics (mean, sample standard deviation, quantiles by linear interpolation between order
 * statistics, as mathjs `quantileSeq` and R type 7 define them) are computed here: the mathjs
 * factory import alone costs about a second on a cold start, far over the 300 ms budget for the
 * handful of functions needed; tests check these against mathjs.
 */
import type { Assessment } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import type { ConfidenceLevel, ScoringPolicy } from "../framework/schema.js";
import type { RatingScale } from "../rating/schema.js";
import type { Arithmetic, Outcome } from "../scoring/aggregate.js";
import { evaluatePlan, planFor } from "../scoring/plan.js";
import type { Flag } from "../vocabulary/schema.js";
import { exactArithmetic, resolveLeaves, score } from "../scoring/score.js";
import { Fraction, exact, roundExact, toNumber } from "../util/exact.js";
import { RatingAuthority } from "../rating/authority.js";
import { type Rated, type RunParameters, leafScale, runParameters } from "./shared.js";
import { type UncertaintyModel, offsetsOf } from "./uncertainty-schema.js";

export const MAX_DRAWS = 1_000_000;
export const MAX_SEED = 0xffff_ffff;

export interface SimulateOptions {
  readonly draws: number;
  /** 1 to 2^32 - 1. */
  readonly seed: number;
  readonly uncertainty: UncertaintyModel;
  /** Quantiles bounding the reported interval; default 5% and 95%. */
  readonly interval?: readonly [number, number];
  /** Called every `progressEvery` draws (default 1,000) and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
  /** Force the per-draw `evaluatePlan` path (for tests comparing the two). */
  readonly generic?: boolean;
}

export interface KpiSimulation {
  readonly id: string;
  /** The score and rating without uncertainty, as `score()` gives them. */
  readonly deterministic: Rated;
  /** Draws per rating code, every band of the scale from lowest to highest. */
  readonly counts: Readonly<Record<string, number>>;
  readonly probabilities: Readonly<Record<string, number>>;
  /** Share of draws rated as the deterministic rating. */
  readonly stability: number;
  readonly mean: number | null;
  readonly std: number | null;
  readonly interval: { readonly low: number; readonly median: number; readonly high: number } | null;
}

export interface SimulationResult {
  readonly organisation: string;
  readonly parameters: RunParameters & {
    readonly assessmentHash: string;
    readonly policy: ScoringPolicy;
    readonly draws: number;
    readonly seed: number;
    readonly rng: string;
    readonly uncertainty: UncertaintyModel;
    readonly interval: readonly [number, number];
    readonly statistics: string;
    readonly method: "linear-integer" | "evaluate-float";
    /** Computed evidence confidence per MI: which distribution its leaves drew from. */
    readonly confidence: Readonly<Record<string, ConfidenceLevel | null>>;
    readonly varied: number;
  };
  readonly kpis: readonly KpiSimulation[];
}

// ---------------------------------------------------------------------------------------------
// Random numbers: xoshiro128** (Blackman and Vigna), state filled by SplitMix32 from the seed.

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export class Xoshiro128 {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#d = d | 0;
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  static fromSeed(seed: number): Xoshiro128 {
    let s = seed | 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    return new Xoshiro128(split(), split(), split(), split());
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Arithmetics for evaluatePlan.

/** A value linear in the varying leaves: c + sum(t[i] * x_i). */
interface Linear {
  readonly c: Fraction;
  readonly t: ReadonlyMap<number, Fraction>;
}

class NonLinear extends Error {}

const NO_TERMS: ReadonlyMap<number, Fraction> = new Map();
const scaleLinear = (a: Linear, f: Fraction): Linear => ({ c: a.c.mul(f), t: new Map([...a.t].map(([k, v]) => [k, v.mul(f)])) });

/** Symbolic arithmetic: evaluating the plan with it gives every score as a linear form in the leaves. */
const linearArithmetic = (policy: ScoringPolicy): Arithmetic<Linear> => ({
  fromNumber: (n) => ({ c: exact(n), t: NO_TERMS }),
  add: (a, b) => {
    const t = new Map(a.t);
    for (const [k, v] of b.t) t.set(k, (t.get(k) ?? new Fraction(0)).add(v));
    return { c: a.c.add(b.c), t };
  },
  mul: (a, b) => {
    if (a.t.size === 0) return scaleLinear(b, a.c);
    if (b.t.size === 0) return scaleLinear(a, b.c);
    throw new NonLinear();
  },
  div: (a, b) => {
    if (b.t.size > 0) throw new NonLinear();
    return scaleLinear(a, new Fraction(1).div(b.c));
  },
  isZero: (a) => a.t.size === 0 && a.c.equals(0),
  round: (a) => {
    if (a.t.size > 0) throw new NonLinear();
    return { c: roundExact(a.c, policy.rounding.decimals, policy.rounding.mode), t: NO_TERMS };
  },
});

/** A float as the exact decimal it stands for, snapped to 10 places (float noise removed). */
const snap = (x: number): Fraction => new Fraction(x.toFixed(10));

/** Floats for simulation draws; rounding is the policy's, applied to the snapped value. */
export function floatArithmetic(policy: ScoringPolicy): Arithmetic<number> {
  const { decimals, mode } = policy.rounding;
  const cache = new Map<number, number>();
  return {
    fromNumber: (n) => n,
    add: (a, b) => a + b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    isZero: (a) => a === 0,
    round: (a) => {
      let r = cache.get(a);
      if (r === undefined) cache.set(a, (r = Number(roundExact(snap(a), decimals, mode).toString())));
      return r;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/** Quantile of sorted data by linear interpolation (mathjs quantileSeq, R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  return quantileAt((i) => sorted[i]!, sorted.length, p);
}

function quantileAt(at: (i: number) => number, n: number, p: number): number {
  if (n === 0) throw new RangeError("no data");
  const index = p * (n - 1);
  const lo = Math.floor(index);
  const f = index % 1;
  if (f === 0) return at(index);
  return at(lo) * (1 - f) + at(lo + 1) * f;
}

/** Mean and sample standard deviation (n - 1), two passes. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(sq / (n - 1)) : 0 };
}

// ---------------------------------------------------------------------------------------------

type Value = Fraction | Flag;

interface Tables {
  /** Per varying leaf: where its level's table starts. */
  readonly start: Int32Array;
  /** Cumulative thresholds on 0..2^32 (last one 2^32) and the step offset of each. */
  readonly cum: Float64Array;
  readonly delta: Int32Array;
}

function samplingTables(levels: readonly ConfidenceLevel[], model: UncertaintyModel): Tables {
  const order: ConfidenceLevel[] = ["high", "medium", "low"];
  const starts = new Map<ConfidenceLevel, number>();
  const cum: number[] = [];
  const delta: number[] = [];
  const TWO32 = new Fraction(2n ** 32n);
  for (const level of order) {
    starts.set(level, cum.length);
    const entries = offsetsOf(model.levels[level]);
    let acc = new Fraction(0);
    entries.forEach((e, i) => {
      acc = acc.add(exact(e.p));
      cum.push(i === entries.length - 1 ? 2 ** 32 : Number(acc.mul(TWO32).floor().toString()));
      delta.push(e.offset);
    });
  }
  return { start: Int32Array.from(levels, (l) => starts.get(l)!), cum: Float64Array.from(cum), delta: Int32Array.from(delta) };
}

/** Per KPI: a histogram of N (score = N / L) or the list of float scores. */
type Distribution = { kind: "histogram"; L: bigint; min: number; hist: Uint32Array; sum: number } | { kind: "values"; values: Float64Array } | { kind: "flag"; flag: Flag };

export function simulate(framework: Framework, scale: RatingScale, assessment: Assessment, options: SimulateOptions): SimulationResult {
  const { draws, seed, uncertainty } = options;
  if (!Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS) throw new RangeError(`draws must be an integer from 1 to ${MAX_DRAWS}`);
  if (!Number.isInteger(seed) || seed < 1 || seed > MAX_SEED) throw new RangeError(`seed must be an integer from 1 to ${MAX_SEED}`);
  const interval = options.interval ?? [0.05, 0.95];
  const policy = framework.policy;
  const plan = planFor(framework);
  const scored = score(framework, scale, assessment);
  const base: Value[] = resolveLeaves(framework, assessment, policy).map((l) => l.value);
  const confidence = scored.mis.map((mi) => mi.confidence.computed);

  // The varying leaves, in plan order (the order random numbers are drawn in).
  const varying: number[] = [];
  const levels: ConfidenceLevel[] = [];
  base.forEach((v, i) => {
    const level = confidence[plan.leaves[i]!.mi];
    if (v instanceof Fraction && level) {
      varying.push(i);
      levels.push(level);
    }
  });
  const nv = varying.length;
  const tables = samplingTables(levels, uncertainty);
  const steps = varying.map((i) => {
    const s = leafScale(policy, plan.leaves[i]!.results);
    const min = exact(s.min);
    const step = exact(s.step);
    return { min, step, k0: (base[i] as Fraction).sub(min).div(step), K: exact(s.max).sub(min).div(step) };
  });
  const onGrid = steps.every((s) => s.k0.d === 1n && s.K.d === 1n);
  const k0 = Int32Array.from(steps, (s) => (onGrid ? Number(s.k0.toString()) : 0));
  const K = Int32Array.from(steps, (s) => (onGrid ? Number(s.K.toString()) : 0));

  const fast = options.generic || !onGrid ? undefined : linearPlan(framework, base, varying, steps, K);
  const rng = Xoshiro128.fromSeed(seed);
  const every = Math.max(1, options.progressEvery ?? 1000);
  const nk = plan.kpis.length;
  const dists: Distribution[] = [];

  if (fast) {
    const { A, kpiOf, B, ranges } = fast;
    const N = new Float64Array(nk);
    const hists = ranges.map((r) => (r ? new Uint32Array(r.max - r.min + 1) : new Uint32Array(0)));
    const mins = Float64Array.from(ranges, (r) => r?.min ?? 0);
    const active = ranges.flatMap((r, k) => (r ? [k] : []));
    const sums = new Float64Array(nk);
    const { start, cum, delta } = tables;
    for (let d = 0; d < draws; ) {
      const end = Math.min(draws, d + every);
      for (; d < end; d++) {
        N.set(B);
        for (let v = 0; v < nv; v++) {
          const r = rng.next();
          let j = start[v]!;
          while (r >= cum[j]!) j++;
          let k = k0[v]! + delta[j]!;
          if (k < 0) k = 0;
          else if (k > K[v]!) k = K[v]!;
          const t = kpiOf[v]!;
          N[t] = N[t]! + A[v]! * k;
        }
        for (const t of active) {
          const n = N[t]!;
          const h = hists[t]!;
          const at = n - mins[t]!;
          h[at] = h[at]! + 1;
          sums[t] = sums[t]! + n;
        }
      }
      options.onProgress?.(d, draws);
    }
    plan.kpis.forEach((_, k) => {
      const r = ranges[k];
      const o = fast.outcomes[k]!;
      dists.push(r ? { kind: "histogram", L: r.L, min: r.min, hist: hists[k]!, sum: sums[k]! } : { kind: "flag", flag: o.kind === "score" ? "N/E" : o.kind });
    });
  } else {
    const far = floatArithmetic(policy);
    const values: (number | Flag)[] = base.map((v) => (v instanceof Fraction ? Number(v.toString()) : v));
    const x0 = varying.map((i) => values[i] as number);
    const lows = steps.map((s) => Number(s.min.toString()));
    const highs = steps.map((s) => Number(s.min.add(s.K.mul(s.step)).toString()));
    const stepSizes = steps.map((s) => Number(s.step.toString()));
    const outcomes0 = evaluatePlan(plan, values, policy, far).kpis;
    const series = outcomes0.map((o) => (o.kind === "score" ? new Float64Array(draws) : undefined));
    const { start, cum, delta } = tables;
    for (let d = 0; d < draws; ) {
      const end = Math.min(draws, d + every);
      for (; d < end; d++) {
        for (let v = 0; v < nv; v++) {
          const r = rng.next();
          let j = start[v]!;
          while (r >= cum[j]!) j++;
          const x = x0[v]! + delta[j]! * stepSizes[v]!;
          values[varying[v]!] = x < lows[v]! ? lows[v]! : x > highs[v]! ? highs[v]! : x;
        }
        const kpis = evaluatePlan(plan, values, policy, far).kpis;
        let exactKpis: readonly Outcome<Fraction>[] | undefined;
        for (let k = 0; k < nk; k++) {
          const o = kpis[k]!;
          if (o.kind !== "score") continue;
          let x = o.value;
          if (!Number.isFinite(x)) {
            // Weights so far apart (1e-300 beside 1e300) that floats overflow: this draw exactly.
            exactKpis ??= evaluatePlan(plan, values.map((v) => (typeof v === "number" ? exact(v) : v)), policy, exactArithmetic(policy)).kpis;
            const e = exactKpis[k]!;
            x = e.kind === "score" ? toNumber(e.value, 12) : Number.NaN;
          }
          series[k]![d] = x;
        }
      }
      options.onProgress?.(d, draws);
    }
    outcomes0.forEach((o, k) => dists.push(o.kind === "score" ? { kind: "values", values: series[k]!.sort() } : { kind: "flag", flag: o.kind }));
  }

  const authority = new RatingAuthority(policy, scale);
  const places = policy.rounding.decimals + 2;
  const out = (x: number) => Number(x.toFixed(places));
  const share = (count: number) => Number((count / draws).toFixed(6));
  const kpis: KpiSimulation[] = plan.kpis.map((planKpi, k) => {
    const det = scored.kpis[k]!;
    const deterministic: Rated = { score: det.score, exact: det.exact, rating: det.rating };
    const dist = dists[k]!;
    if (dist.kind === "flag") {
      const code = det.rating;
      return { id: planKpi.id, deterministic, counts: { [code]: draws }, probabilities: { [code]: 1 }, stability: 1, mean: null, std: null, interval: null };
    }
    const counts: Record<string, number> = Object.fromEntries(authority.bands.map((b) => [b.code, 0]));
    const rate = (value: Fraction) => authority.rateScore(value).rating;
    let mean: number;
    let std: number;
    let q: (p: number) => number;
    if (dist.kind === "histogram") {
      const L = Number(dist.L);
      const { hist, min } = dist;
      mean = dist.sum / (draws * L);
      let sq = 0;
      for (let i = 0; i < hist.length; i++) {
        const c = hist[i]!;
        if (c === 0) continue;
        counts[rate(new Fraction(BigInt(min + i), dist.L))]! += c;
        sq += c * ((min + i) / L - mean) ** 2;
      }
      std = draws > 1 ? Math.sqrt(sq / (draws - 1)) : 0;
      // The i-th smallest draw, from the cumulative histogram.
      const cumulative = new Float64Array(hist.length);
      let acc = 0;
      for (let i = 0; i < hist.length; i++) cumulative[i] = acc += hist[i]!;
      const at = (rank: number) => {
        let lo = 0;
        let hi = hist.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > rank) hi = mid;
          else lo = mid + 1;
        }
        return (min + lo) / L;
      };
      q = (p) => quantileAt(at, draws, p);
    } else {
      const values = dist.values;
      ({ mean, std } = meanStd(values));
      const ratings = new Map<number, string>();
      for (const x of values) {
        let r = ratings.get(x);
        if (r === undefined) ratings.set(x, (r = rate(snap(x))));
        counts[r]!++;
      }
      q = (p) => quantileSorted(values, p);
    }
    return {
      id: planKpi.id,
      deterministic,
      counts,
      probabilities: Object.fromEntries(Object.entries(counts).map(([code, c]) => [code, share(c)])),
      stability: share(counts[det.rating] ?? 0),
      mean: out(mean),
      std: out(std),
      interval: { low: out(q(interval[0])), median: out(q(0.5)), high: out(q(interval[1])) },
    };
  });

  return {
    organisation: assessment.organisation.name,
    parameters: {
      ...runParameters(framework, scale),
      assessmentHash: scored.provenance.assessmentHash,
      policy,
      draws,
      seed,
      rng: "xoshiro128** seeded by SplitMix32; one 32-bit draw per varying leaf per draw, in framework order",
      uncertainty,
      interval,
      statistics: "mean; sample standard deviation (n - 1); quantiles by linear interpolation between order statistics (R type 7, as mathjs quantileSeq)",
      method: fast ? "linear-integer" : "evaluate-float",
      confidence: Object.fromEntries(plan.mis.map((mi, m) => [mi.id, confidence[m] ?? null])),
      varied: nv,
    },
    kpis,
  };
}

/** 2^53: integers below it are exact in doubles. */
const SAFE = 2 ** 53;
/** Largest histogram per KPI. */
const MAX_RANGE = 1 << 22;

/**
 * Each KPI score as an integer form N = B + sum(A_v * k_v) over the varying leaves (k_v: steps
 * above the scale minimum), score = N / L. Undefined when not linear or not exact in doubles.
 */
function linearPlan(framework: Framework, base: readonly Value[], varying: readonly number[], steps: readonly { min: Fraction; step: Fraction }[], K: Int32Array) {
  const plan = planFor(framework);
  const policy = framework.policy;
  const position = new Map(varying.map((leaf, v) => [leaf, v]));
  const symbolic: (Linear | Flag)[] = base.map((value, i) => {
    if (!(value instanceof Fraction)) return value;
    return position.has(i) ? { c: new Fraction(0), t: new Map([[i, new Fraction(1)]]) } : { c: value, t: NO_TERMS };
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
  const ranges: ({ L: bigint; min: number; max: number } | undefined)[] = [];
  for (let k = 0; k < plan.kpis.length; k++) {
    const o = outcomes[k]!;
    if (o.kind !== "score") {
      ranges.push(undefined);
      continue;
    }
    // score = c + sum(t_i * (min_i + k_i * step_i)) = b + sum(a_i * k_i)
    let b = o.value.c;
    const terms: { v: number; a: Fraction }[] = [];
    for (const [leaf, coefficient] of o.value.t) {
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
    if (max * 1_000_000n >= BigInt(SAFE) || hi - lo + 1n > BigInt(MAX_RANGE) || L >= BigInt(SAFE)) return undefined;
    B[k] = Number(Bk);
    ranges.push({ L, min: Number(lo), max: Number(hi) });
  }
  return { A, kpiOf, B, ranges, outcomes };
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;
