import Fraction from "fraction.js";

export { Fraction };

/** Fractions are immutable: the small whole numbers every score is made of are built once. */
const SMALL: readonly Fraction[] = Array.from({ length: 101 }, (_, i) => new Fraction(i));

/** A JSON number as the exact decimal it was written as (3.51 is 351/100, not the nearest double). */
export function exact(value: number | Fraction): Fraction {
  if (value instanceof Fraction) return value;
  if (Number.isSafeInteger(value)) {
    if (value >= 0 && value < SMALL.length) return SMALL[value]!;
    return new Fraction(value);
  }
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  return new Fraction(decimalString(value));
}

/** The shortest decimal that reads back as `value`, without exponent notation (fraction.js reads no exponents). */
function decimalString(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const [mantissa = "", exponentText = "0"] = text.toLowerCase().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const [whole = "", fraction = ""] = mantissa.replace("-", "").split(".");
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const body = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : point >= digits.length ? digits + "0".repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}

export type RoundingMode = "half-up" | "half-even";

/** The whole number of units of 10^-decimals nearest to `value`; half-up rounds ties away from zero. */
function roundedUnits(value: Fraction, decimals: number, mode: RoundingMode): bigint {
  const scale = 10n ** BigInt(decimals);
  const numerator = value.n * scale;
  const denominator = value.d;
  const quotient = numerator / denominator;
  const twiceRest = 2n * (numerator - quotient * denominator);
  let units = quotient;
  if (twiceRest > denominator || (twiceRest === denominator && (mode === "half-up" || quotient % 2n === 1n))) units += 1n;
  return value.s < 0n ? -units : units;
}

/** Rounds a rational to `decimals` places. */
export function roundExact(value: Fraction, decimals: number, mode: RoundingMode): Fraction {
  return new Fraction(roundedUnits(value, decimals, mode), 10n ** BigInt(decimals));
}

export function mean(values: readonly Fraction[]): Fraction | undefined {
  if (values.length === 0) return undefined;
  let sum = new Fraction(0);
  for (const v of values) sum = sum.add(v);
  return sum.div(values.length);
}

export function median(values: readonly Fraction[]): Fraction | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a.compare(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.add(sorted[mid]!).div(2);
}

/**
 * Exact value as a JSON number with at most `decimals` places, rounded half-up (for output only).
 * units / 10^decimals is one correctly rounded division: the same double as the decimal text.
 */
export const toNumber = (value: Fraction, decimals: number): number => (value.d === 1n ? value.valueOf() : Number(roundedUnits(value, decimals, "half-up")) / 10 ** decimals);

/** Whether `value` is `min + k * step` for a whole k, compared exactly. */
export function onStep(value: number, min: number, step: number): boolean {
  if (Number.isSafeInteger(value) && Number.isSafeInteger(min) && Number.isSafeInteger(step)) {
    return value >= min && (value - min) % step === 0;
  }
  const k = exact(value).sub(exact(min)).div(exact(step));
  return k.d === 1n && k.s >= 0n;
}
