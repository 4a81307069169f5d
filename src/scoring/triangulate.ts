import { EVIDENCE_STREAMS, type Evidence } from "../assessment/schema.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { onStep } from "../util/exact.js";
import { PairCache } from "../util/pair-cache.js";
import { Fraction, exact, mean, median, roundExact } from "../util/exact.js";

const ZERO = new Fraction(0);

/** A score an evidence entry suggests for an item, with the entry's stream. */
export type Suggestion = { readonly stream: Evidence["stream"]; readonly score: number };

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
export function triangulate(suggestions: readonly Suggestion[], rule: ScoringPolicy["triangulation"], scale: ScoringPolicy["elementScale"]): Triangulation | undefined {
  if (suggestions.length === 0) return undefined;
  const only = suggestions.length === 1 ? suggestions[0]! : undefined;
  if (only && only.score >= scale.min && only.score <= scale.max && onStep(only.score, scale.min, scale.step)) {
    const value = exact(only.score);
    return { score: value, streams: new Map([[only.stream, value]]), spread: ZERO, conflict: false };
  }
  // Items share a few patterns of suggestions (scores are small whole numbers): derive each once.
  const cache = cacheFor(rule, scale);
  const key = numberKey(suggestions) ?? textKey(suggestions);
  const known = cache.get(key);
  if (known) return known;
  const derived = derive(suggestions, rule, scale);
  if (cache.size < CACHE_LIMIT) cache.set(key, derived);
  return derived;
}

const CACHE_LIMIT = 10_000;
const caches = new PairCache<object, object, Map<string | number, Triangulation>>();

/** The suggestions as a multiset, in text: "stream:score" sorted. */
const textKey = (suggestions: readonly Suggestion[]): string =>
  suggestions
    .map((s) => `${s.stream}:${s.score}`)
    .sort()
    .join(" ");

const STREAM_CODES: ReadonlyMap<string, number> = new Map(EVIDENCE_STREAMS.map((s, i) => [s, i]));
/** A suggestion's code is 1 + stream * 1000 + score (a whole score in 0-999), so 1 to 4000: a digit in base 4096. */
const DIGIT = 4096;

/**
 * The same multiset as one number, for up to four suggestions of whole scores 0-999: the codes
 * sorted and read as digits of base 4096 (no digit is 0, so lengths cannot collide; 4 digits
 * stay below 2^48). Undefined where that does not fit, and `textKey` is used.
 */
function numberKey(suggestions: readonly Suggestion[]): number | undefined {
  const count = suggestions.length;
  if (count > 4) return undefined;
  const codes = CODES;
  for (let k = 0; k < count; k++) {
    const s = suggestions[k]!;
    const stream = STREAM_CODES.get(s.stream);
    if (stream === undefined || !Number.isInteger(s.score) || s.score < 0 || s.score > 999) return undefined;
    // Insertion into the sorted codes so far.
    const code = 1 + stream * 1000 + s.score;
    let j = k - 1;
    for (; j >= 0 && codes[j]! > code; j--) codes[j + 1] = codes[j]!;
    codes[j + 1] = code;
  }
  let key = 0;
  for (let k = 0; k < count; k++) key = key * DIGIT + codes[k]!;
  return key;
}

/** Scratch space of `numberKey` (four codes), reused: triangulation runs once per leaf. */
const CODES = [0, 0, 0, 0];

let last: { rule: object; scale: object; cache: Map<string | number, Triangulation> } | undefined;

function cacheFor(rule: object, scale: object): Map<string | number, Triangulation> {
  // Scoring asks for the same rule and scale leaf after leaf (the last pair is held: one policy's rule and scale).
  if (last?.rule === rule && last.scale === scale) return last.cache;
  const cache = caches.get(rule, scale, () => new Map());
  last = { rule, scale, cache };
  return cache;
}

function derive(suggestions: readonly Suggestion[], rule: ScoringPolicy["triangulation"], scale: ScoringPolicy["elementScale"]): Triangulation {
  const byStream = new Map<string, number[]>();
  for (const s of suggestions) {
    const list = byStream.get(s.stream);
    if (list) list.push(s.score);
    else byStream.set(s.stream, [s.score]);
  }
  const streams = new Map<string, Fraction>();
  for (const stream of [...byStream.keys()].sort()) streams.set(stream, combine(rule.withinStream, byStream.get(stream)!.map(exact)));
  const values = [...streams.values()];
  const combined = values.length === 1 ? values[0]! : combine(rule.acrossStreams, values);
  const min = exact(scale.min);
  const step = exact(scale.step);
  const steps = roundExact(combined.sub(min).div(step), 0, "half-up");
  const score = clamp(min.add(steps.mul(step)), min, exact(scale.max));
  let low = values[0]!;
  let high = values[0]!;
  for (const v of values) {
    if (v.lt(low)) low = v;
    if (v.gt(high)) high = v;
  }
  const spread = high.sub(low);
  return { score, streams, spread, conflict: spread.gte(exact(rule.conflictSpread)) };
}

const combine = (how: "mean" | "median", values: Fraction[]): Fraction => (values.length === 1 ? values[0]! : (how === "mean" ? mean(values) : median(values))!);

const clamp = (v: Fraction, lo: Fraction, hi: Fraction) => (v.lt(lo) ? lo : v.gt(hi) ? hi : v);
