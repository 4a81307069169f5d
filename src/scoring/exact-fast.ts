import type { ScoringPolicy } from "../framework/schema.js";
import { type Rational, add, div, fromNumber, isZero, mul, round } from "../util/exact-fast.js";
import type { Arithmetic } from "./aggregate.js";

/** Exact arithmetic for `evaluatePlan`, in safe integers where the values allow it. */
export const fastExactArithmetic = (policy: ScoringPolicy): Arithmetic<Rational> => ({
  fromNumber,
  add,
  mul,
  div,
  isZero,
  round: (a) => round(a, policy.rounding.decimals, policy.rounding.mode),
});
