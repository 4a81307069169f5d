/**
 * How close each MI and KPI rating is to changing, and what would change it. Pure: no I/O.
 *
 * Every score here comes from the scoring engine: leaves from `resolveLeaves`, means from
 * `evaluatePlan` with exact arithmetic, ratings by the policy's rounding and the rating scale.
 * No MOPAN number is written here: scales, bands, decimals and flag treatments all come from the
 * framework policy and the rating scales passed in.
 *
 * Smallest change sets. The score of an MI is a weighted mean of its scored leaves; the score of
 * a KPI a weighted mean of its scored MIs. Moving scored leaves within their scale never changes
 * which leaves and MIs are scored, so every denominator stays fixed and the score is
 * s = s0 + sum(c_i * (x_i' - x_i)) with c_i > 0 (unless the policy rounds MI scores before the
 * KPI mean). The most leaf i can move s upward is g_i = c_i * (max_i - x_i); a set S of k leaves
 * can reach at most s0 + sum over S of g_i, and the k largest g_i maximise that sum. Ratings are
 * monotone in s, so the smallest k for which the k leaves with the largest possible effect (all
 * moved to the scale's end) cross the band limit is the minimum number of leaves that can cross
 * it: greedy by largest possible effect is exact. The effect g_i is measured by moving leaf i in
 * the plan's own aggregation, kept as running sums (`incrementalPlan`), not by formula; a move
 * costs O(1), so an item of n leaves costs O(n log n). Crossing is monotone in k, so k is found
 * by bisection; then
 * each chosen leaf's move is cut back to the smallest step that still crosses. Downward is the
 * mirror image (moves to the scale's minimum). When the policy rounds MI scores before the KPI
 * mean, KPI scores are no longer linear in the leaves: the same search is used and the result is
 * marked `minimal: false` (a greedy answer, not proven smallest).
 */
import type { Assessment } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import type { FlagTreatment, ScoringPolicy } from "../framework/schema.js";
import { RatingAuthority, type Rating } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import type { Outcome } from "../scoring/aggregate.js";
import { type Evaluation, type IncrementalEvaluation, type ScoringPlan, evaluatePlan, incrementalPlan, planFor } from "../scoring/plan.js";
import type { Flag } from "../vocabulary/schema.js";
import { fastExactArithmetic } from "../scoring/exact-fast.js";
import { type Rational, abs, compare, fromFraction, fromNumber, sub, toFraction } from "../util/exact-fast.js";
import { exactArithmetic, resolveLeaves, score } from "../scoring/score.js";
import { Fraction, exact } from "../util/exact.js";
import { type Rated, type RunParameters, itemPlan, leafScale, leavesOfKpi, num, rated, runParameters, scaleValues } from "./shared.js";

export interface SensitivityOptions {
  /** Known rating scales; each one other than the assessment's is compared (e.g. 3.0 against 3.1). */
  readonly scales?: readonly RatingScale[];
  /**
   * The N/E treatment to compare with the policy's. Default: counted as the element scale's
   * minimum when the policy leaves N/E out, left out when the policy counts it.
   */
  readonly noEvidenceAlternative?: FlagTreatment;
}

/** How far the rated score is from a neighbouring band. */
export interface BandDistance {
  /** The neighbouring band's code. */
  readonly band: string;
  /** The rated score that first falls in that band: its lower limit going up; the top of the band below, at the policy's decimals, going down. */
  readonly threshold: number;
  /** How much the rated score must rise (up) or fall (down) to reach the threshold. */
  readonly distance: number;
  /** The distance as an exact fraction. */
  readonly exact: string;
}

export interface ElementChange {
  readonly id: string;
  readonly from: number;
  readonly to: number;
}

export type Crossing =
  | {
      readonly reached: true;
      /** The band aimed for (the next one); the result may land beyond it. */
      readonly target: string;
      /** Fewest leaves (elements, or results MIs) to move, each by the least that still crosses. */
      readonly changes: readonly ElementChange[];
      /** Whether `changes` is proven to be a smallest set (see the module comment). */
      readonly minimal: boolean;
      readonly result: Rated;
    }
  | { readonly reached: false; readonly reason: string };

export interface ItemSensitivity {
  readonly id: string;
  readonly level: "mi" | "kpi";
  /** The KPI of an MI; null for KPIs. */
  readonly kpi: string | null;
  readonly current: Rated;
  /** Why the current rating is provisional under the policy's coverage rule (from `score`); null when firm. */
  readonly provisional: string | null;
  readonly margin: { readonly up: BandDistance | null; readonly down: BandDistance | null };
  readonly changes: { readonly up: Crossing; readonly down: Crossing };
  /** With N/E leaves beneath: the score and rating if each took its scale's maximum (best) or minimum (worst). */
  readonly noEvidence: { readonly leaves: readonly string[]; readonly best: Rated; readonly worst: Rated } | null;
  /** Under the alternative N/E treatment. */
  readonly noEvidencePolicy: Rated & { readonly changed: boolean };
  /** The same score rated by each other known scale. */
  readonly otherScales: readonly { readonly scale: string; readonly rating: string; readonly changed: boolean }[];
}

export interface RatingChange {
  readonly id: string;
  readonly level: "mi" | "kpi";
  readonly from: Rated;
  readonly to: Rated;
}

export interface SensitivityResult {
  readonly organisation: string;
  readonly parameters: RunParameters & {
    readonly assessmentHash: string;
    readonly policy: ScoringPolicy;
    readonly noEvidence: { readonly policy: FlagTreatment; readonly alternative: FlagTreatment };
    readonly comparedScales: readonly string[];
    readonly changeSearch: string;
  };
  readonly kpis: readonly ItemSensitivity[];
  readonly mis: readonly ItemSensitivity[];
  readonly noEvidencePolicy: { readonly policy: FlagTreatment; readonly alternative: FlagTreatment; readonly ratingChanges: readonly RatingChange[] };
  readonly scales: readonly { readonly scale: string; readonly ratingChanges: readonly RatingChange[] }[];
}

type Value = Fraction | Flag;

export function sensitivity(framework: Framework, scale: RatingScale, assessment: Assessment, options: SensitivityOptions = {}): SensitivityResult {
  const policy = framework.policy;
  const ar = exactArithmetic(policy);
  const plan = planFor(framework);
  const base: Value[] = resolveLeaves(framework, assessment, policy).map((l) => l.value);
  const baseline = evaluatePlan(plan, base, policy, ar);
  const fastBase = base.map((v) => (v instanceof Fraction ? fromFraction(v) : v));
  const scored = score(framework, scale, assessment);
  const authority = new RatingAuthority(policy, scale);
  const rate = (o: Outcome<Fraction>) => authority.rate(o);

  // The analyses rate outcomes themselves; they must agree with score() on every item.
  plan.mis.forEach((mi, m) => assertSame(mi.id, rate(baseline.mis[m]!).rating, scored.mis[m]!.rating));
  plan.kpis.forEach((kpi, k) => assertSame(kpi.id, rate(baseline.kpis[k]!).rating, scored.kpis[k]!.rating));

  // N/E bounds: every N/E leaf at its scale's maximum, resp. minimum.
  const fill = (end: "max" | "min") =>
    evaluatePlan(
      plan,
      base.map((v, i) => (v === "N/E" ? exact(leafScale(policy, plan.leaves[i]!.results)[end]) : v)),
      policy,
      ar,
    );
  const best = fill("max");
  const worst = fill("min");

  // The other N/E treatment.
  const alternative: FlagTreatment = options.noEvidenceAlternative ?? (policy.flags["N/E"].treatment === "exclude" ? { treatment: "score", score: policy.elementScale.min } : { treatment: "exclude" });
  const altPolicy: ScoringPolicy = { ...policy, flags: { ...policy.flags, "N/E": alternative } };
  const altEval = evaluatePlan(plan, base, altPolicy, exactArithmetic(altPolicy));
  const altAuthority = new RatingAuthority(altPolicy, scale);
  const rateAlt = (o: Outcome<Fraction>) => altAuthority.rate(o);

  const others = (options.scales ?? []).filter((s) => s.id !== scale.id).map((s) => new RatingAuthority(policy, s));
  const minimalForKpis = !policy.rounding.roundBeforeAggregating;

  const analyse = (level: "mi" | "kpi", index: number): ItemSensitivity => {
    const isMi = level === "mi";
    const id = isMi ? plan.mis[index]!.id : plan.kpis[index]!.id;
    const itemSub = itemPlan(plan, isMi ? { mi: index } : { kpi: index });
    const incremental = () => incrementalPlan(itemSub, fastBase, policy, fastExactArithmetic(policy));
    const full = (e: Evaluation<Fraction>) => (isMi ? e.mis[index]! : e.kpis[index]!);
    const current = rate(full(baseline));
    const leaves = isMi ? plan.mis[index]!.leaves : leavesOfKpi(plan, index);
    const ne = leaves.filter((i) => base[i] === "N/E");
    const alt = rateAlt(full(altEval));
    const search = { plan, policy, base, leaves, incremental, rate, current, minimal: isMi || minimalForKpis };
    return {
      id,
      level,
      kpi: isMi ? plan.kpis[plan.mis[index]!.kpi]!.id : null,
      current: rated(current),
      provisional: (isMi ? scored.mis[index]! : scored.kpis[index]!).provisional?.reason ?? null,
      margin: margins(current, authority),
      changes: {
        up: cross(search, 1, current.rank === null ? undefined : authority.bands[current.rank + 1]?.code),
        down: cross(search, -1, current.rank === null ? undefined : authority.bands[current.rank - 1]?.code),
      },
      noEvidence: ne.length === 0 ? null : { leaves: ne.map((i) => plan.leaves[i]!.id), best: rated(rate(full(best))), worst: rated(rate(full(worst))) },
      noEvidencePolicy: { ...rated(alt), changed: alt.rating !== current.rating },
      otherScales: others.map((other) => {
        const r = other.rate(full(baseline)).rating;
        return { scale: other.scale.id, rating: r, changed: r !== current.rating };
      }),
    };
  };

  const kpis = plan.kpis.map((_, k) => analyse("kpi", k));
  const mis = plan.mis.map((_, m) => analyse("mi", m));
  const items = [...kpis, ...mis];
  const changesBy = (get: (item: ItemSensitivity) => Rated | undefined): RatingChange[] =>
    items.flatMap((item) => {
      const to = get(item);
      return to && to.rating !== item.current.rating ? [{ id: item.id, level: item.level, from: item.current, to: { score: to.score, exact: to.exact, rating: to.rating } }] : [];
    });

  return {
    organisation: assessment.organisation.name,
    parameters: {
      ...runParameters(framework, scale),
      assessmentHash: scored.provenance.assessmentHash,
      policy,
      noEvidence: { policy: policy.flags["N/E"], alternative },
      comparedScales: others.map((other) => other.scale.id),
      changeSearch:
        "Fewest scored leaves moved within their scale (elements on the element scale, results MIs on the results scale); N/E and N/A leaves stay as they are. " +
        "Leaves are ranked by the largest effect they can have; the smallest k whose top k cross the band limit is the minimum for a weighted mean with fixed denominators. " +
        (minimalForKpis ? "Proven minimal for MIs and KPIs." : "Proven minimal for MIs; for KPIs a greedy answer, since MI scores are rounded before the KPI mean."),
    },
    kpis,
    mis,
    noEvidencePolicy: {
      policy: policy.flags["N/E"],
      alternative,
      ratingChanges: changesBy((item) => item.noEvidencePolicy),
    },
    scales: others.map(({ scale: other }) => ({
      scale: other.id,
      ratingChanges: items.flatMap((item) => {
        const o = item.otherScales.find((x) => x.scale === other.id)!;
        return o.changed ? [{ id: item.id, level: item.level, from: item.current, to: { ...item.current, rating: o.rating } }] : [];
      }),
    })),
  };
}

function assertSame(id: string, analysed: string, scored: string): void {
  if (analysed !== scored) throw new Error(`internal: ${id} rated ${analysed} by the analysis but ${scored} by score()`);
}

/** Distance of the rated score to the neighbouring bands, as `score()` reports it: exact, and at the authority's one margin precision. */
function margins(current: Rating, authority: RatingAuthority): ItemSensitivity["margin"] {
  const { up, down } = authority.steps(current);
  const distance = (d: NonNullable<typeof up>): BandDistance => ({
    band: d.band.code,
    threshold: authority.scoreNumber(d.threshold),
    distance: authority.marginNumber(d.distance),
    exact: d.distance.toFraction(),
  });
  return { up: up ? distance(up) : null, down: down ? distance(down) : null };
}

interface Search {
  readonly plan: ScoringPlan;
  readonly policy: ScoringPolicy;
  readonly base: readonly Value[];
  readonly leaves: readonly number[];
  /** A fresh running evaluation of the item at the base values, in safe-integer exact rationals. */
  readonly incremental: () => IncrementalEvaluation<Rational>;
  readonly rate: (o: Outcome<Fraction>) => Rating;
  readonly current: Rating;
  readonly minimal: boolean;
}

/** The fewest leaf moves that take the item into the next band up (dir 1) or down (dir -1). */
function cross(s: Search, dir: 1 | -1, target: string | undefined): Crossing {
  const word = dir > 0 ? "up" : "down";
  if (s.current.value === null || s.current.rank === null) return { reached: false, reason: "The item has no score." };
  if (target === undefined) return { reached: false, reason: `Already in the ${dir > 0 ? "highest" : "lowest"} band.` };
  const from = s.current.value;
  // Every move below goes through running sums: one move costs O(1), so the search is O(n log n).
  const running = s.incremental();
  const start = fromFraction(from);
  const valuesOf = new Map<boolean, { exact: Fraction; fast: Rational }[]>();
  const scaleOf = (results: boolean) => {
    let values = valuesOf.get(results);
    if (!values) valuesOf.set(results, (values = scaleValues(leafScale(s.policy, results)).map((v) => ({ exact: v, fast: fromFraction(v) }))));
    return values;
  };
  const candidates = s.leaves
    .filter((i) => s.base[i] instanceof Fraction)
    .map((i) => {
      const values = scaleOf(s.plan.leaves[i]!.results);
      const x = s.base[i] as Fraction;
      const toward = dir > 0 ? values.filter((v) => v.exact.gt(x)) : values.filter((v) => v.exact.lt(x)).reverse();
      return { leaf: i, x: { exact: x, fast: fromFraction(x) }, toward };
    })
    .filter((c) => c.toward.length > 0)
    .map((c) => {
      running.set(c.leaf, c.toward.at(-1)!.fast);
      const o = running.outcome();
      running.set(c.leaf, c.x.fast);
      const effect = o.kind === "score" ? abs(sub(o.value, start)) : fromNumber(0);
      return { ...c, effect };
    })
    .sort((a, b) => compare(b.effect, a.effect) || a.leaf - b.leaf);

  const outcome = (): Outcome<Fraction> => {
    const o = running.outcome();
    return o.kind === "score" ? { kind: "score", value: toFraction(o.value) } : o;
  };
  const crosses = () => {
    const r = s.rate(outcome());
    return r.rank !== null && (r.rank - s.current.rank!) * dir > 0;
  };
  // The top `applied` candidates sit at their scale's end; moving to k costs |k - applied| moves.
  let applied = 0;
  const topK = (k: number) => {
    for (; applied < k; applied++) running.set(candidates[applied]!.leaf, candidates[applied]!.toward.at(-1)!.fast);
    for (; applied > k; applied--) running.set(candidates[applied - 1]!.leaf, candidates[applied - 1]!.x.fast);
  };
  topK(candidates.length);
  if (candidates.length === 0 || !crosses()) {
    const n = s.leaves.filter((i) => s.base[i] instanceof Fraction).length;
    return {
      reached: false,
      reason: n === 0 ? "No scored leaf to move." : `Not reachable: even with all ${n} scored leaves at the ${dir > 0 ? "top" : "bottom"} of their scale the rating does not go ${word}.`,
    };
  }
  let lo = 1;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    topK(mid);
    if (crosses()) hi = mid;
    else lo = mid + 1;
  }
  // Cut each move back to the least that still crosses, the smallest effect first.
  topK(lo);
  const chosen = candidates.slice(0, lo);
  const final = new Map<number, Fraction>(chosen.map((c) => [c.leaf, c.toward.at(-1)!.exact]));
  for (const c of [...chosen].reverse()) {
    for (const v of [c.x, ...c.toward]) {
      running.set(c.leaf, v.fast);
      final.set(c.leaf, v.exact);
      if (crosses()) break;
    }
  }
  const changes = chosen
    .filter((c) => !final.get(c.leaf)!.equals(c.x.exact))
    .map((c) => {
      const sc = leafScale(s.policy, s.plan.leaves[c.leaf]!.results);
      const places = decimalsOf(sc.step);
      return { id: s.plan.leaves[c.leaf]!.id, from: num(c.x.exact, places), to: num(final.get(c.leaf)!, places) };
    });
  return { reached: true, target, changes, minimal: s.minimal, result: rated(s.rate(outcome())) };
}

const decimalsOf = (step: number): number => {
  const text = String(step);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
};
