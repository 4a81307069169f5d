import Fraction from "fraction.js";

export { Fraction };

/** A JSON number as the exact decimal it was written as (3.51 is 351/100, not the nearest double). */
export const exact = (value: number | Fraction): Fraction =>
  value instanceof Fraction ? value : new Fraction(String(value));

export type RoundingMode = "half-up" | "half-even";

/** Rounds a rational to `decimals` places; half-up rounds ties away from zero. */
export function roundExact(value: Fraction, decimals: number, mode: RoundingMode): Fraction {
  const unit = new Fraction(1, 10n ** BigInt(decimals));
  const scaled = value.div(unit);
  const floor = scaled.floor();
  const rest = scaled.sub(floor);
  const half = new Fraction(1, 2);
  let rounded: Fraction;
  const c = rest.compare(half);
  if (c < 0) rounded = floor;
  else if (c > 0) rounded = floor.add(1);
  else if (mode === "half-even") rounded = floor.mod(2).equals(0) ? floor : floor.add(1);
  else rounded = value.s < 0n ? floor : floor.add(1);
  return rounded.mul(unit);
}

/** Weighted mean of exact values; undefined for an empty list (callers decide what "nothing" means). */
export function weightedMean(items: readonly { value: Fraction; weight: Fraction }[]): Fraction | undefined {
  if (items.length === 0) return undefined;
  let sum = new Fraction(0);
  let weights = new Fraction(0);
  for (const { value, weight } of items) {
    sum = sum.add(value.mul(weight));
    weights = weights.add(weight);
  }
  return weights.equals(0) ? undefined : sum.div(weights);
}

export function mean(values: readonly Fraction[]): Fraction | undefined {
  return weightedMean(values.map((value) => ({ value, weight: ONE })));
}

export function median(values: readonly Fraction[]): Fraction | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a.compare(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.add(sorted[mid]!).div(2);
}

/** Exact value as a JSON number with at most `decimals` places, rounded half-up (for output only). */
export const toNumber = (value: Fraction, decimals: number): number =>
  Number(roundExact(value, decimals, "half-up").toString());

export const ONE = new Fraction(1);
