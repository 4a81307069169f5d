import type { Evidence } from "../assessment/schema.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { type Fraction, exact, mean, median, roundExact } from "../util/exact.js";

export interface Triangulation {
  /** The derived score, on the scale's step. */
  readonly score: Fraction;
  /** The aggregate suggestion of each stream. */
  readonly streams: ReadonlyMap<string, Fraction>;
  /** Largest minus smallest stream value. */
  readonly spread: Fraction;
  readonly conflict: boolean;
}

/**
 * Derives a score from the scores evidence entries suggest for one item, by the policy's rule:
 * aggregate within each stream, then across streams, then round half-up to the scale's step.
 */
export function triangulate(
  suggestions: readonly { stream: Evidence["stream"]; score: number }[],
  rule: ScoringPolicy["triangulation"],
  scale: ScoringPolicy["elementScale"],
): Triangulation | undefined {
  if (suggestions.length === 0) return undefined;
  const byStream = new Map<string, Fraction[]>();
  for (const s of suggestions) {
    const list = byStream.get(s.stream) ?? [];
    list.push(exact(s.score));
    byStream.set(s.stream, list);
  }
  const pick = (how: "mean" | "median", values: Fraction[]) => (how === "mean" ? mean(values) : median(values))!;
  const streams = new Map([...byStream.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, pick(rule.withinStream, v)]));
  const values = [...streams.values()];
  const combined = pick(rule.acrossStreams, values);
  const min = exact(scale.min);
  const step = exact(scale.step);
  const steps = roundExact(combined.sub(min).div(step), 0, "half-up");
  const score = clamp(min.add(steps.mul(step)), min, exact(scale.max));
  const sorted = [...values].sort((a, b) => a.compare(b));
  const spread = sorted.at(-1)!.sub(sorted[0]!);
  return { score, streams, spread, conflict: spread.gte(exact(rule.conflictSpread)) };
}

const clamp = (v: Fraction, lo: Fraction, hi: Fraction) => (v.lt(lo) ? lo : v.gt(hi) ? hi : v);
