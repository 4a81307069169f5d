/**
 * Exact rationals in safe integers, with fraction.js behind them. Scores are small rationals
 * (element scores 0-4, means over a few dozen leaves, small whole weights): a numerator and a
 * denominator that are safe integers (|x| <= 2^53 - 1) hold them exactly, with no BigInt and no
 * allocation beyond one small object. Every operation checks that each integer it forms stays in
 * the safe range; the moment one could leave it, the operation is done by fraction.js instead and
 * its result is kept as a `Fraction` (made small again only when it fits). The value is therefore
 * the same rational as the arbitrary-precision path gives, on every input: a property test in
 * tests/scoring/exact-fast.test.ts checks each operation and whole evaluations against fraction.js,
 * at the boundaries of the safe range as well.
 *
 * Why the checks are enough: the product or sum of two safe integers is computed by IEEE
 * arithmetic rounded to nearest. When the exact result is a safe integer it is representable, so
 * it is computed exactly; when it is not (|x| >= 2^53), rounding is monotone and 2^53 is
 * representable, so the computed value is at least 2^53 in magnitude and `Number.isSafeInteger`
 * is false. `%` on integers is exact (fmod), so quotients are formed as (a - a % b) / b.
 */
import { Fraction, type RoundingMode, exact, roundExact, toNumber } from "./exact.js";

/** n/d in lowest terms, d > 0, both safe integers. */
export class SmallRational {
  constructor(
    readonly n: number,
    readonly d: number,
  ) {}
}

export type Rational = SmallRational | Fraction;

const safe = Number.isSafeInteger;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Greatest common divisor of two safe integers (non-negative result). */
function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

const INTEGERS: readonly SmallRational[] = Array.from({ length: 101 }, (_, i) => new SmallRational(i, 1));

/** n/d reduced; n and d safe, d > 0. */
function reduced(n: number, d: number): SmallRational {
  if (n === 0) return INTEGERS[0]!;
  if (d === 1) return n >= 0 && n < INTEGERS.length ? INTEGERS[n]! : new SmallRational(n, 1);
  const g = gcd(n, d);
  return g === 1 ? new SmallRational(n, d) : new SmallRational(n / g, d / g);
}

/** A fraction.js value as a small rational when its numerator and denominator fit. */
export function fromFraction(f: Fraction): Rational {
  if (f.n > MAX_SAFE || f.d > MAX_SAFE) return f;
  const n = Number(f.n);
  return reduced(f.s < 0n ? -n : n, Number(f.d));
}

export function toFraction(q: Rational): Fraction {
  return q instanceof SmallRational ? new Fraction(q.n, q.d) : q;
}

/** The exact value of a JSON number (as `exact()` reads it). */
export function fromNumber(value: number): Rational {
  if (safe(value)) return value >= 0 && value < INTEGERS.length ? INTEGERS[value]! : new SmallRational(value, 1);
  return fromFraction(exact(value));
}

export function add(a: Rational, b: Rational): Rational {
  if (a instanceof SmallRational && b instanceof SmallRational) {
    if (a.d === b.d) {
      const n = a.n + b.n;
      if (safe(n)) return reduced(n, a.d);
    } else {
      const x = a.n * b.d;
      const y = b.n * a.d;
      const d = a.d * b.d;
      const n = x + y;
      if (safe(x) && safe(y) && safe(d) && safe(n)) return reduced(n, d);
    }
  }
  return fromFraction(toFraction(a).add(toFraction(b)));
}

export function mul(a: Rational, b: Rational): Rational {
  if (a instanceof SmallRational && b instanceof SmallRational) {
    // Weights are mostly 1.
    if (b === INTEGERS[1]) return a;
    if (a === INTEGERS[1]) return b;
    // Cross-cancel first, so the result is in lowest terms and the products are as small as they can be.
    // Denominators are >= 1, so g1 and g2 are >= 1.
    const g1 = gcd(a.n, b.d);
    const g2 = gcd(b.n, a.d);
    const n = (a.n / g1) * (b.n / g2);
    const d = (a.d / g2) * (b.d / g1);
    if (safe(n) && safe(d)) return n === 0 ? INTEGERS[0]! : new SmallRational(n, d);
  }
  return fromFraction(toFraction(a).mul(toFraction(b)));
}

export function div(a: Rational, b: Rational): Rational {
  if (b instanceof SmallRational && b.n !== 0) {
    const inverse = b.n < 0 ? new SmallRational(-b.d, -b.n) : new SmallRational(b.d, b.n);
    return mul(a, inverse);
  }
  // Division by zero throws as fraction.js does.
  return fromFraction(toFraction(a).div(toFraction(b)));
}

const MINUS_ONE = new SmallRational(-1, 1);

export const sub = (a: Rational, b: Rational): Rational => add(a, b instanceof SmallRational ? new SmallRational(0 - b.n, b.d) : mul(b, MINUS_ONE));

export const abs = (a: Rational): Rational => (a instanceof SmallRational ? (a.n < 0 ? new SmallRational(-a.n, a.d) : a) : fromFraction(a.abs()));

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Rational, b: Rational): number {
  if (a instanceof SmallRational && b instanceof SmallRational) {
    const x = a.n * b.d;
    const y = b.n * a.d;
    if (safe(x) && safe(y)) return x < y ? -1 : x > y ? 1 : 0;
  }
  return Math.sign(toFraction(a).compare(toFraction(b)));
}

export const isZero = (a: Rational): boolean => (a instanceof SmallRational ? a.n === 0 : a.equals(0));

/**
 * The whole number of units of 10^-decimals nearest to a small rational, rounded as `roundExact`
 * rounds; undefined when an integer on the way would leave the safe range.
 */
function unitsOf(a: SmallRational, decimals: number, mode: RoundingMode): number | undefined {
  const scale = 10 ** decimals;
  const magnitude = Math.abs(a.n) * scale;
  if (!safe(scale) || !safe(magnitude)) return undefined;
  const rest = magnitude % a.d;
  let units = (magnitude - rest) / a.d;
  // rest > d - rest is 2 * rest > d without forming 2 * rest.
  const twice = rest - (a.d - rest);
  if (twice > 0 || (twice === 0 && (mode === "half-up" || units % 2 === 1))) units += 1;
  if (!safe(units)) return undefined;
  // 0 - units, not -units: a negative value that rounds to zero gives 0, as the BigInt path does, not -0.
  return a.n < 0 ? 0 - units : units;
}

/** `roundExact` (the whole number of units of 10^-decimals nearest to the value, as a rational). */
export function round(a: Rational, decimals: number, mode: RoundingMode): Rational {
  if (a instanceof SmallRational) {
    const units = unitsOf(a, decimals, mode);
    if (units !== undefined) return reduced(units, 10 ** decimals);
  }
  return fromFraction(roundExact(toFraction(a), decimals, mode));
}

/** `toNumber` of util/exact.ts: the value as a JSON number with at most `decimals` places, rounded half-up. */
export function numberOf(a: Rational, decimals: number): number {
  if (a instanceof SmallRational) {
    if (a.d === 1) return a.n;
    const units = unitsOf(a, decimals, "half-up");
    if (units !== undefined) return units / 10 ** decimals;
  }
  return toNumber(toFraction(a), decimals);
}

/** The value as fraction.js writes it with `toFraction()`: "7/2", "-1/3", "3". */
export const fractionText = (a: Rational): string => (a instanceof SmallRational ? (a.d === 1 ? String(a.n) : `${a.n}/${a.d}`) : a.toFraction());
