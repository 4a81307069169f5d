import type { FlagTreatment, ScoringPolicy } from "../framework/schema.js";
import type { Flag } from "../vocabulary/schema.js";

/** The number type scoring runs on: exact rationals for results, floats for simulation draws. */
export interface Arithmetic<T> {
  fromNumber(n: number): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  isZero(a: T): boolean;
  /** The policy's rounding, applied where the policy rounds before aggregating. */
  round(a: T): T;
}

/** A score, or why there is none. */
export type Outcome<T> = { readonly kind: "score"; readonly value: T } | { readonly kind: Flag };

/**
 * A leaf's value under the policy: a flag left out stays a flag; a flag counted as a score becomes
 * that score. The flag policy is about elements; a results MI without a rating is always left out.
 */
export function leafValue<T>(value: T | Flag, policy: ScoringPolicy, ar: Arithmetic<T>, results = false): T | Flag {
  if (!isFlag(value) || results) return value;
  const treatment: FlagTreatment = policy.flags[value];
  return treatment.treatment === "exclude" ? value : ar.fromNumber(treatment.score);
}

/**
 * Weighted mean of the children that carry a score (`values[i]` weighs `weights[i]`; a flag is
 * left out). With none: not applicable when every child is N/A (or there are no children),
 * otherwise no evidence.
 */
export function aggregate<T>(values: readonly (T | Flag)[], weights: readonly T[], ar: Arithmetic<T>): Outcome<T> {
  let sum: T | undefined;
  let total: T | undefined;
  let anyNoEvidence = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === "N/E") anyNoEvidence = true;
    else if (value !== "N/A") {
      const weight = weights[i]!;
      const term = ar.mul(value as T, weight);
      sum = sum === undefined ? term : ar.add(sum, term);
      total = total === undefined ? weight : ar.add(total, weight);
    }
  }
  if (sum === undefined || total === undefined || ar.isZero(total)) return { kind: anyNoEvidence ? "N/E" : "N/A" };
  return { kind: "score", value: ar.div(sum, total) };
}

export const isFlag = (value: unknown): value is Flag => value === "N/E" || value === "N/A";
