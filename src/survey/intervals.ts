import { Xoshiro128 } from "../analysis/random.js";
import { quantileSorted } from "../analysis/statistics.js";

/** The interval levels a survey may declare (survey.json's interval.level). */
export const INTERVAL_LEVELS = [0.9, 0.95, 0.99] as const;
export type IntervalLevel = (typeof INTERVAL_LEVELS)[number];

/** The two-sided standard normal quantile of each level (its type makes it cover INTERVAL_LEVELS exactly). */
export const Z_FOR_LEVEL: Readonly<Record<IntervalLevel, number>> = {
  0.9: 1.6448536269514722,
  0.95: 1.959963984540054,
  0.99: 2.5758293035489004,
};

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Wilson score interval for `successes` out of `n` (null for n = 0). */
export function wilsonInterval(successes: number, n: number, z: number): Interval | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** FNV-1a of a text: a stable 32-bit number, so each cell draws its own stream from the seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Percentile bootstrap interval of the mean: `resamples` resamples with replacement of the values,
 * drawn by xoshiro128** seeded from `seed` and `stream` (e.g. question and group), so each cell's
 * interval depends only on its own values, never on the order they were read in (they are sorted
 * first) or on the other cells. Quantiles as simulate's (`quantileSorted`, R type 7).
 */
export function bootstrapMeanInterval(values: readonly number[], level: number, resamples: number, seed: number, stream: string): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  if (sorted[0] === sorted[n - 1]) return { low: sorted[0]!, high: sorted[0]! };
  const rng = Xoshiro128.fromSeed((seed ^ fnv1a(stream)) | 0 || 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[Math.floor((rng.next() * n) / 4294967296)]!;
    means[r] = sum / n;
  }
  means.sort();
  const alpha = (1 - level) / 2;
  return { low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha) };
}
