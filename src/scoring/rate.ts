import type { ScoringPolicy } from "../framework/schema.js";
import { classify } from "../rating/classify.js";
import type { RatingBand, RatingScale } from "../rating/schema.js";
import { type Fraction, roundExact, toNumber } from "../util/exact.js";
import type { Outcome } from "./aggregate.js";

/** An outcome as results show it, and what it was classified on. */
export interface Rate {
  /** Rounded by the policy; null for flags. */
  readonly score: number | null;
  /** The exact mean as a fraction ("7/2"); null for flags. */
  readonly exact: string | null;
  /** Band code, or the scale's no-evidence / not-applicable code. */
  readonly rating: string;
  /** The value the scale classified (rounded or exact, as the policy says); null for flags. */
  readonly basis: Fraction | null;
  readonly band: RatingBand | null;
  /** The exact score; null for flags. */
  readonly value: Fraction | null;
}

/** Rounds an outcome by the policy and classifies it by the scale: the one place ratings come from. */
export function rateOutcome(outcome: Outcome<Fraction>, policy: ScoringPolicy, scale: RatingScale): Rate {
  if (outcome.kind !== "score") {
    const flag = outcome.kind === "N/E" ? scale.flags.noEvidence : scale.flags.notApplicable;
    return { score: null, exact: null, rating: flag.code, basis: null, band: null, value: null };
  }
  const { decimals, mode, classifyAfterRounding } = policy.rounding;
  const rounded = roundExact(outcome.value, decimals, mode);
  const basis = classifyAfterRounding ? rounded : outcome.value;
  const band = classify(basis, scale);
  return { score: toNumber(rounded, decimals), exact: outcome.value.toFraction(), rating: band.code, basis, band, value: outcome.value };
}
