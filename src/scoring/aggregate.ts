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
 * A leaf's outcome under the policy: a flag is left out, or counted as the score the policy gives
 * it. The flag policy is about elements; a results MI without a rating is always left out.
 */
export function leafOutcome<T>(value: T | Flag, policy: ScoringPolicy, ar: Arithmetic<T>, results = false): Outcome<T> {
  if (!isFlag(value)) return { kind: "score", value };
  if (results) return { kind: value };
  const treatment: FlagTreatment = policy.flags[value];
  return treatment.treatment === "exclude" ? { kind: value } : { kind: "score", value: ar.fromNumber(treatment.score) };
}

/**
 * Weighted mean of the children that carry a score. With none: not applicable when every
 * child is N/A (or there are no children), otherwise no evidence.
 */
export function aggregate<T>(children: readonly { outcome: Outcome<T>; weight: T }[], ar: Arithmetic<T>): Outcome<T> {
  let sum: T | undefined;
  let weights: T | undefined;
  let anyNoEvidence = false;
  for (const { outcome, weight } of children) {
    if (outcome.kind === "score") {
      const term = ar.mul(outcome.value, weight);
      sum = sum === undefined ? term : ar.add(sum, term);
      weights = weights === undefined ? weight : ar.add(weights, weight);
    } else if (outcome.kind === "N/E") anyNoEvidence = true;
  }
  if (sum === undefined || weights === undefined || ar.isZero(weights)) return { kind: anyNoEvidence ? "N/E" : "N/A" };
  return { kind: "score", value: ar.div(sum, weights) };
}

export const isFlag = (value: unknown): value is Flag => value === "N/E" || value === "N/A";
