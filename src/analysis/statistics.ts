/**
 * Statistics of simulated scores: mean, sample standard deviation (n - 1), and quantiles by
 * linear interpolation between order statistics (R type 7, as mathjs `quantileSeq` defines
 * them), over a sorted list or a histogram of integers. The survey's bootstrap intervals take
 * their quantiles from here too. Computed here because importing mathjs costs about a second at
 * start-up; tests check these against mathjs. Pure: no I/O.
 */

/** Quantile of sorted data by linear interpolation (mathjs quantileSeq, R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  return quantileAt((i) => sorted[i]!, sorted.length, p);
}

/** Quantile p of n ordered values, the i-th smallest given by `at(i)`. */
function quantileAt(at: (i: number) => number, n: number, p: number): number {
  if (n === 0) throw new RangeError("no data");
  const index = p * (n - 1);
  const lo = Math.floor(index);
  const f = index % 1;
  if (f === 0) return at(index);
  return at(lo) * (1 - f) + at(lo + 1) * f;
}

/** Mean and sample standard deviation (n - 1), two passes. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(sq / (n - 1)) : 0 };
}

/**
 * The same statistics of values v_i / L drawn counts[i] times each, with `values` the distinct
 * integers in ascending order and `sum` the sum of the integers over all draws.
 */
export function countStatistics(values: Float64Array, counts: Uint32Array, L: number, sum: number, draws: number): { mean: number; std: number; quantile: (p: number) => number } {
  const mean = sum / (draws * L);
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += counts[i]! * (values[i]! / L - mean) ** 2;
  const std = draws > 1 ? Math.sqrt(sq / (draws - 1)) : 0;
  // The rank-th smallest draw, from the cumulative counts.
  const cumulative = new Float64Array(values.length);
  let acc = 0;
  for (let i = 0; i < values.length; i++) cumulative[i] = acc += counts[i]!;
  const at = (rank: number) => {
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]! / L;
  };
  return { mean, std, quantile: (p) => quantileAt(at, draws, p) };
}

/** The distinct values of a histogram (bin i counts min + i) and their counts, empty bins left out. */
export function fromHistogram(hist: Uint32Array, min: number): { values: Float64Array; counts: Uint32Array } {
  let n = 0;
  for (let i = 0; i < hist.length; i++) if (hist[i] !== 0) n++;
  const values = new Float64Array(n);
  const counts = new Uint32Array(n);
  for (let i = 0, j = 0; i < hist.length; i++) {
    if (hist[i] === 0) continue;
    values[j] = min + i;
    counts[j++] = hist[i]!;
  }
  return { values, counts };
}

/** The distinct values of a list and their counts (the list is sorted in place). */
export function fromList(list: Float64Array): { values: Float64Array; counts: Uint32Array } {
  list.sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && list[i] === list[i - 1]) counts[counts.length - 1]!++;
    else {
      values.push(list[i]!);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Uint32Array.from(counts) };
}
