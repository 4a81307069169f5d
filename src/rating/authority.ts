/**
 * The rating authority: the one place a score becomes a rating. Built from a policy's rounding
 * and a rating scale, it owns classification (before or after rounding, as the policy says), the
 * order of the bands, the margins to the neighbouring bands and the one precision they are printed
 * at, and the flags that stand for no score. Scoring, comparison, published-figure checks, the
 * analyses, the renderers and the charts all ask it; nothing else sorts bands or rounds a score
 * to rate it.
 */
import { Fraction, exact, roundExact, toNumber } from "../util/exact.js";
import { PairCache } from "../util/pair-cache.js";
import { type Rational, compare, fractionText, fromFraction, numberOf, round, sub } from "../util/exact-fast.js";
import type { Flag } from "../vocabulary/schema.js";
import type { RatingBand, RatingFlag, RatingScale, Rounding } from "./schema.js";

/** What rating needs of a scoring policy: how it rounds. */
export interface RatingPolicy {
  readonly rounding: Pick<Rounding, "decimals" | "mode" | "classifyAfterRounding">;
}

/** A score to rate, or why there is none. */
export type Ratable = { readonly kind: "score"; readonly value: Fraction } | { readonly kind: Flag };

/** A score in either exact form (fraction.js, or a rational in safe integers), or why there is none. */
export type RatableRational = { readonly kind: "score"; readonly value: Rational } | { readonly kind: Flag };

/** What a score result shows of a rating: the fields of `Rating` it prints, and the margins. */
export interface ShownRating {
  readonly score: number | null;
  readonly exact: string | null;
  readonly rating: string;
  readonly margin: Margin | null;
}

/** An outcome as results show it, and what it was classified on. */
export interface Rating {
  /** Rounded by the policy; null for flags. */
  readonly score: number | null;
  /** The exact score as a fraction ("7/2"); null for flags. */
  readonly exact: string | null;
  /** Band code, or the scale's no-evidence / not-applicable code. */
  readonly rating: string;
  /** The value the scale classified (rounded or exact, as the policy says); null for flags. */
  readonly basis: Fraction | null;
  readonly band: RatingBand | null;
  /** Position of the band from the bottom of the scale (0 lowest); null for flags. */
  readonly rank: number | null;
  /** The exact score; null for flags. */
  readonly value: Fraction | null;
}

/** How far a rated score is from a neighbouring band, exactly. */
export interface BandStep {
  readonly band: RatingBand;
  /** The rated value that first falls in that band. */
  readonly threshold: Fraction;
  /** How far the rated value must move to reach the threshold. */
  readonly distance: Fraction;
}

/**
 * How far the rated score sits from the neighbouring bands: the rise that reaches the band above,
 * and the fall that reaches the band below; null where there is no band. Printed at the
 * authority's `marginPlaces`.
 */
export interface Margin {
  readonly toLowerBand: number | null;
  readonly toHigherBand: number | null;
  readonly nearest: number | null;
}

/** A scale's bands from the lowest up, with their exact lower limits; built once per scale. */
interface Ladder {
  readonly bands: readonly RatingBand[];
  readonly mins: readonly Fraction[];
  /** The same limits as rationals in safe integers where they fit (see util/exact-fast.ts). */
  readonly rationalMins: readonly Rational[];
}

const ladders = new WeakMap<RatingScale, Ladder>();

function ladderOf(scale: RatingScale): Ladder {
  let ladder = ladders.get(scale);
  if (!ladder) {
    const bands = [...scale.bands].sort((a, b) => a.min - b.min);
    const mins = bands.map((b) => exact(b.min));
    ladder = { bands, mins, rationalMins: mins.map(fromFraction) };
    ladders.set(scale, ladder);
  }
  return ladder;
}

export class RatingAuthority {
  /** The scale's bands, lowest first. */
  readonly bands: readonly RatingBand[];
  /** Decimals of a printed margin: the policy's, and two more, so an unrounded distance is not hidden. */
  readonly marginPlaces: number;
  readonly #mins: readonly Fraction[];
  readonly #unit: Fraction;
  readonly #rationalMins: readonly Rational[];
  /** Per band, the value that leaves it downwards: its lower limit, less one unit when classifying after rounding. */
  readonly #rationalTops: readonly Rational[];

  constructor(
    readonly policy: RatingPolicy,
    readonly scale: RatingScale,
  ) {
    const ladder = ladderOf(scale);
    this.bands = ladder.bands;
    this.#mins = ladder.mins;
    this.marginPlaces = policy.rounding.decimals + 2;
    this.#unit = new Fraction(1n, 10n ** BigInt(scale.decimals));
    this.#rationalMins = ladder.rationalMins;
    const below = fromFraction(policy.rounding.classifyAfterRounding ? this.#unit : new Fraction(0));
    this.#rationalTops = ladder.rationalMins.map((min) => sub(min, below));
  }

  /** A scale's bands, lowest first (its order does not depend on a policy). */
  static bandsOf(scale: RatingScale): readonly RatingBand[] {
    return ladderOf(scale).bands;
  }

  /** A score rounded by the policy. */
  round(value: Fraction): Fraction {
    const { decimals, mode } = this.policy.rounding;
    return roundExact(value, decimals, mode);
  }

  /** Rates an outcome: rounds it by the policy and classifies the rounded or the exact value, as the policy says. */
  rate(outcome: Ratable): Rating {
    if (outcome.kind !== "score") {
      return { score: null, exact: null, rating: this.flag(outcome.kind).code, basis: null, band: null, rank: null, value: null };
    }
    const rounded = this.round(outcome.value);
    const basis = this.policy.rounding.classifyAfterRounding ? rounded : outcome.value;
    const rank = this.#rankOf(basis);
    const band = this.bands[rank]!;
    return { score: toNumber(rounded, this.policy.rounding.decimals), exact: outcome.value.toFraction(), rating: band.code, basis, band, rank, value: outcome.value };
  }

  /**
   * What a score result shows of an outcome: `rate` and `margin` in one step, on a rational in
   * safe integers where it fits, so no fraction.js value is built for it. Every operation of
   * util/exact-fast.ts falls back to fraction.js on its own when a value could leave the safe
   * range, so this is the same rating as `rate` gives, on every value (tests/scoring/fast-paths.test.ts).
   */
  shown(outcome: RatableRational): ShownRating {
    if (outcome.kind !== "score") return { score: null, exact: null, rating: this.flag(outcome.kind).code, margin: null };
    const { decimals, mode, classifyAfterRounding } = this.policy.rounding;
    const value = outcome.value;
    const rounded = round(value, decimals, mode);
    const basis = classifyAfterRounding ? rounded : value;
    const mins = this.#rationalMins;
    const rank = this.#rankOf(basis);
    const toHigherBand = rank + 1 < mins.length ? numberOf(sub(mins[rank + 1]!, basis), this.marginPlaces) : null;
    const toLowerBand = rank > 0 ? numberOf(sub(basis, this.#rationalTops[rank]!), this.marginPlaces) : null;
    const nearest = toLowerBand === null ? toHigherBand : toHigherBand === null ? toLowerBand : Math.min(toLowerBand, toHigherBand);
    return { score: numberOf(rounded, decimals), exact: fractionText(value), rating: this.bands[rank]!.code, margin: { toLowerBand, toHigherBand, nearest } };
  }

  /** The rating of an exact score. */
  rateScore(value: Fraction | number): Rating {
    return this.rate({ kind: "score", value: exact(value) });
  }

  /** The flag that stands for an item without a score. */
  flag(kind: Flag): RatingFlag {
    return kind === "N/E" ? this.scale.flags.noEvidence : this.scale.flags.notApplicable;
  }

  /** Whether a rating code is one of the scale's flags (no evidence, not applicable). */
  isFlag(code: string): boolean {
    return code === this.scale.flags.noEvidence.code || code === this.scale.flags.notApplicable.code;
  }

  /** Position of a band code from the bottom of the scale; undefined for flags and unknown codes. */
  rank(code: string): number | undefined {
    const i = this.bands.findIndex((b) => b.code === code);
    return i < 0 ? undefined : i;
  }

  /** Every code a rating may take: the bands, lowest first, then the two flags. */
  codes(): string[] {
    return [...this.bands.map((b) => b.code), this.scale.flags.noEvidence.code, this.scale.flags.notApplicable.code];
  }

  /** True when the other scale draws the same bands at the same limits, so a rating means the same on both. */
  sameBands(other: RatingScale): boolean {
    const key = (bands: readonly RatingBand[]) => JSON.stringify(bands.map((b) => [b.code, b.min, b.max]));
    return key(this.bands) === key(ladderOf(other).bands);
  }

  /**
   * How far a rated score sits from the neighbouring bands, exactly: the rise that reaches the
   * next band's lower limit, and the fall that leaves the band. A rounded score leaves it on
   * reaching the top of the band below (the lower limit less one unit of the scale's precision);
   * an unrounded one on falling by anything more than its distance to the lower limit.
   */
  steps(rating: Rating): { readonly up: BandStep | null; readonly down: BandStep | null } {
    if (rating.basis === null || rating.rank === null) return { up: null, down: null };
    const value = rating.basis;
    const i = rating.rank;
    const above = this.bands[i + 1];
    const below = i > 0 ? this.bands[i - 1] : undefined;
    const top = this.#mins[i]!.sub(this.policy.rounding.classifyAfterRounding ? this.#unit : new Fraction(0));
    return {
      up: above ? { band: above, threshold: this.#mins[i + 1]!, distance: this.#mins[i + 1]!.sub(value) } : null,
      down: below ? { band: below, threshold: top, distance: value.sub(top) } : null,
    };
  }

  /** The margins of a rated score, at the one printed precision; null for flags. */
  margin(rating: Rating): Margin | null {
    if (rating.basis === null) return null;
    const { up, down } = this.steps(rating);
    const toLowerBand = down ? this.marginNumber(down.distance) : null;
    const toHigherBand = up ? this.marginNumber(up.distance) : null;
    const sides = [toLowerBand, toHigherBand].filter((v): v is number => v !== null);
    return { toLowerBand, toHigherBand, nearest: sides.length > 0 ? Math.min(...sides) : null };
  }

  /** A distance to a band as a JSON number, at the one precision margins are printed at. */
  marginNumber(distance: Fraction): number {
    return toNumber(distance, this.marginPlaces);
  }

  /** A margin as text: at least the policy's decimals, at most `marginPlaces`. */
  formatMargin(margin: number): string {
    const text = String(toNumber(exact(margin), this.marginPlaces));
    const [whole, fraction = ""] = text.split(".");
    return `${whole}.${fraction.padEnd(this.policy.rounding.decimals, "0")}`.replace(/\.$/, "");
  }

  /** A score as a JSON number at the policy's decimals (a band limit, a threshold). */
  scoreNumber(value: Fraction): number {
    return toNumber(value, this.policy.rounding.decimals);
  }

  /** The band a value falls in, from the bottom (0 lowest): the highest whose lower limit it reaches. */
  #rankOf(basis: Rational): number {
    const mins = this.#rationalMins;
    for (let i = mins.length - 1; i > 0; i--) if (compare(basis, mins[i]!) >= 0) return i;
    return 0;
  }
}

const authorities = new PairCache<RatingPolicy, RatingScale, RatingAuthority>();

/** The rating authority of a policy and a scale, made once per pair (it is immutable). */
export const ratingAuthority = (policy: RatingPolicy, scale: RatingScale): RatingAuthority => authorities.get(policy, scale, () => new RatingAuthority(policy, scale));
