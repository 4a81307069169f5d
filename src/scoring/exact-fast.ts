import type { ScoringPolicy } from "../framework/schema.js";
import { type Rational, add, div, fromNumber, isZero, mul, round } from "../util/exact-fast.js";
import type { Arithmetic } from "./aggregate.js";

const arithmetics = new WeakMap<ScoringPolicy, Arithmetic<Rational>>();

/** Exact arithmetic for `evaluatePlan`, in safe integers where the values allow it; one per policy. */
export function fastExactArithmetic(policy: ScoringPolicy): Arithmetic<Rational> {
  let ar = arithmetics.get(policy);
  if (!ar) {
    ar = { fromNumber, add, mul, div, isZero, round: (a) => round(a, policy.rounding.decimals, policy.rounding.mode) };
    arithmetics.set(policy, ar);
  }
  return ar;
}
