/**
 * Monte Carlo simulation of the KPI ratings under judgement uncertainty. Pure: no I/O; progress is
 * reported through a callback the caller may render, and a run stops between chunks of draws when
 * its AbortSignal is aborted.
 *
 * Each scored leaf (element, or results MI) moves by an offset drawn from the distribution of its
 * MI's computed evidence confidence (an uncertainty model: project assumptions, not MOPAN rules),
 * clamped to its scale. N/E and N/A leaves stay as they are, so every draw aggregates the same set
 * of leaves and MIs.
 *
 * The pieces: random numbers and the one sampling loop (`random.ts`), the KPI scores as integer
 * forms in the leaves (`linear-plan.ts`), and statistics (`statistics.ts`). A draw's offsets go to
 * one of two collectors. With a linear plan, a draw is integer additions and the distribution of
 * each KPI's integer N (score = N / L) is kept as a histogram (or, when its range is too wide, as
 * the list of draws); ratings are computed after the loop,
 * once per distinct N, exactly (rounding and classification as `score()` does). Without one (the
 * policy rounds MI scores before the KPI mean, or the integers would not be exact in doubles),
 * each draw is evaluated by `evaluatePlan` with float arithmetic (ratings still by exact rounding
 * of the value snapped to 10 decimals).
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
import { linearPlan } from "./linear-plan.js";
import { Xoshiro128, sampleOffsets, samplingTables } from "./random.js";
import { RatingAuthority } from "../rating/authority.js";
import { type Rated, type RunParameters, leafScale, runParameters } from "./shared.js";
import { countStatistics, fromHistogram, fromList, meanStd, quantileSorted } from "./statistics.js";
import type { UncertaintyModel } from "./uncertainty-schema.js";

export const MAX_DRAWS = 1_000_000;
export const MAX_SEED = 0xffff_ffff;

export interface SimulateOptions {
  readonly draws: number;
  /** 1 to 2^32 - 1. */
  readonly seed: number;
  readonly uncertainty: UncertaintyModel;
  /** Quantiles bounding the reported interval; default 5% and 95%. */
  readonly interval?: readonly [number, number];
  /** Called every `progressEvery` draws (default 1,000, or fewer with more than 1,000 varying leaves) and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
  /** Force the per-draw `evaluatePlan` path (for tests comparing the two). */
  readonly generic?: boolean;
  /** Checked between chunks of `progressEvery` draws: when aborted, the run throws `SimulationStopped`. */
  readonly signal?: AbortSignal;
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

/** A run stopped by its AbortSignal before all draws were made; no result. */
export class SimulationStopped extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`stopped after ${done} of ${total} draws`);
  }
}

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

type Value = Fraction | Flag;

/** Per KPI: the distinct values of N (score = N / L) and their counts, or the list of float scores. */
type Distribution = { kind: "counts"; L: bigint; values: Float64Array; counts: Uint32Array; sum: number } | { kind: "values"; values: Float64Array } | { kind: "flag"; flag: Flag };

/** What takes each draw's offsets and, at the end, gives each KPI's distribution. */
interface Collector {
  readonly method: SimulationResult["parameters"]["method"];
  onDraw(offsets: Int32Array, draw: number): void;
  distributions(): Distribution[];
}

/** A simulation set up and not yet run: its size is known before any draw is made. */
export interface PreparedSimulation {
  /** Scored leaves that vary. */
  readonly varied: number;
  /** Random numbers the run draws: draws times varying leaves. */
  readonly work: number;
  /** Runs it; throws `SimulationStopped` when the signal is aborted between chunks. */
  run(): SimulationResult;
  /** The same run, awaiting `pause()` between chunks (so a signal handler can abort it). */
  runAsync(pause: () => Promise<void>): Promise<SimulationResult>;
}

export function simulate(framework: Framework, scale: RatingScale, assessment: Assessment, options: SimulateOptions): SimulationResult {
  return prepareSimulation(framework, scale, assessment, options).run();
}

export function prepareSimulation(framework: Framework, scale: RatingScale, assessment: Assessment, options: SimulateOptions): PreparedSimulation {
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
  const steps = varying.map((i) => {
    const s = leafScale(policy, plan.leaves[i]!.results);
    const min = exact(s.min);
    const step = exact(s.step);
    return { min, step, k0: (base[i] as Fraction).sub(min).div(step), K: exact(s.max).sub(min).div(step) };
  });
  const onGrid = steps.every((s) => s.k0.d === 1n && s.K.d === 1n);
  const K = Int32Array.from(steps, (s) => (onGrid ? Number(s.K.toString()) : 0));
  const linear = options.generic || !onGrid ? undefined : linearPlan(plan, policy, base, varying, steps, K);
  // By default a chunk is 1,000 draws, or fewer so that it makes at most a million random draws.
  const every = Math.max(1, options.progressEvery ?? Math.min(1000, Math.floor(1_000_000 / Math.max(1, varying.length))));
  const nk = plan.kpis.length;

  const newCollector = (): Collector => {
    if (linear) {
      const { A, kpiOf, B, ranges } = linear;
      const k0 = Int32Array.from(steps, (s) => Number(s.k0.toString()));
      const N = new Float64Array(nk);
      const hists = ranges.map((r) => (r?.histogram ? new Uint32Array(r.max - r.min + 1) : undefined));
      const lists = ranges.map((r) => (r && !r.histogram ? new Float64Array(draws) : undefined));
      const mins = Float64Array.from(ranges, (r) => r?.min ?? 0);
      const counted = ranges.flatMap((r, k) => (r?.histogram ? [k] : []));
      const listed = ranges.flatMap((r, k) => (r && !r.histogram ? [k] : []));
      const sums = new Float64Array(nk);
      return {
        method: "linear-integer",
        onDraw: (offsets, d) => {
          N.set(B);
          for (let v = 0; v < nv; v++) {
            let k = k0[v]! + offsets[v]!;
            if (k < 0) k = 0;
            else if (k > K[v]!) k = K[v]!;
            const t = kpiOf[v]!;
            N[t] = N[t]! + A[v]! * k;
          }
          for (const t of counted) {
            const n = N[t]!;
            const h = hists[t]!;
            const at = n - mins[t]!;
            h[at] = h[at]! + 1;
            sums[t] = sums[t]! + n;
          }
          for (const t of listed) {
            lists[t]![d] = N[t]!;
            sums[t] = sums[t]! + N[t]!;
          }
        },
        distributions: () =>
          plan.kpis.map((_, k): Distribution => {
            const r = ranges[k];
            const o = linear.outcomes[k]!;
            if (!r) return { kind: "flag", flag: o.kind === "score" ? "N/E" : (o.kind as Flag) };
            return { kind: "counts", L: r.L, sum: sums[k]!, ...(r.histogram ? fromHistogram(hists[k]!, r.min) : fromList(lists[k]!)) };
          }),
      };
    }
    const far = floatArithmetic(policy);
    const values: (number | Flag)[] = base.map((v) => (v instanceof Fraction ? Number(v.toString()) : v));
    const x0 = varying.map((i) => values[i] as number);
    const lows = steps.map((s) => Number(s.min.toString()));
    const highs = steps.map((s) => Number(s.min.add(s.K.mul(s.step)).toString()));
    const stepSizes = steps.map((s) => Number(s.step.toString()));
    const outcomes0 = evaluatePlan(plan, values, policy, far).kpis;
    const series = outcomes0.map((o) => (o.kind === "score" ? new Float64Array(draws) : undefined));
    return {
      method: "evaluate-float",
      onDraw: (offsets, d) => {
        for (let v = 0; v < nv; v++) {
          const x = x0[v]! + offsets[v]! * stepSizes[v]!;
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
            exactKpis ??= evaluatePlan(
              plan,
              values.map((v) => (typeof v === "number" ? exact(v) : v)),
              policy,
              exactArithmetic(policy),
            ).kpis;
            const e = exactKpis[k]!;
            x = e.kind === "score" ? toNumber(e.value, 12) : Number.NaN;
          }
          series[k]![d] = x;
        }
      },
      distributions: () => outcomes0.map((o, k): Distribution => (o.kind === "score" ? { kind: "values", values: series[k]!.sort() } : { kind: "flag", flag: o.kind })),
    };
  };

  const summarise = (collector: Collector): SimulationResult => ({
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
      method: collector.method,
      confidence: Object.fromEntries(plan.mis.map((mi, m) => [mi.id, confidence[m] ?? null])),
      varied: nv,
    },
    kpis: kpiSummaries(collector.distributions()),
  });

  const kpiSummaries = (dists: readonly Distribution[]): KpiSimulation[] => {
    const authority = new RatingAuthority(policy, scale);
    const places = policy.rounding.decimals + 2;
    const out = (x: number) => Number(x.toFixed(places));
    const share = (count: number) => Number((count / draws).toFixed(6));
    return plan.kpis.map((planKpi, k) => {
      const det = scored.kpis[k]!;
      const deterministic: Rated = { score: det.score, exact: det.exact, rating: det.rating };
      const dist = dists[k]!;
      if (dist.kind === "flag") {
        const code = det.rating;
        return { id: planKpi.id, deterministic, counts: { [code]: draws }, probabilities: { [code]: 1 }, stability: 1, mean: null, std: null, interval: null };
      }
      const counts: Record<string, number> = Object.fromEntries(authority.bands.map((b) => [b.code, 0]));
      const rate = (value: Fraction) => authority.rateScore(value).rating;
      let stats: { mean: number; std: number; quantile: (p: number) => number };
      if (dist.kind === "counts") {
        for (let i = 0; i < dist.values.length; i++) counts[rate(new Fraction(BigInt(dist.values[i]!), dist.L))]! += dist.counts[i]!;
        stats = countStatistics(dist.values, dist.counts, Number(dist.L), dist.sum, draws);
      } else {
        const values = dist.values;
        const ratings = new Map<number, string>();
        for (const x of values) {
          let r = ratings.get(x);
          if (r === undefined) ratings.set(x, (r = rate(snap(x))));
          counts[r]!++;
        }
        stats = { ...meanStd(values), quantile: (p) => quantileSorted(values, p) };
      }
      return {
        id: planKpi.id,
        deterministic,
        counts,
        probabilities: Object.fromEntries(Object.entries(counts).map(([code, c]) => [code, share(c)])),
        stability: share(counts[det.rating] ?? 0),
        mean: out(stats.mean),
        std: out(stats.std),
        interval: { low: out(stats.quantile(interval[0])), median: out(stats.quantile(0.5)), high: out(stats.quantile(interval[1])) },
      };
    });
  };

  const chunks = (collector: Collector) => sampleOffsets(Xoshiro128.fromSeed(seed), samplingTables(levels, uncertainty), draws, every, collector.onDraw);
  const afterChunk = (done: number) => {
    options.onProgress?.(done, draws);
    if (done < draws && options.signal?.aborted) throw new SimulationStopped(done, draws);
  };
  return {
    varied: nv,
    work: draws * nv,
    run() {
      const collector = newCollector();
      for (const done of chunks(collector)) afterChunk(done);
      return summarise(collector);
    },
    async runAsync(pause) {
      const collector = newCollector();
      for (const done of chunks(collector)) {
        await pause();
        afterChunk(done);
      }
      return summarise(collector);
    },
  };
}
