import type { Published } from "../assessment/schema.js";
import { RatingAuthority, type RatingPolicy } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import type { ScoreResult } from "../scoring/result.js";
import { Fraction, exact, toNumber } from "../util/exact.js";
import { type Crosswalk, invertCrosswalk } from "./crosswalk-schema.js";

/** One scored item as a comparison reads it. */
export interface ComparableItem {
  readonly id: string;
  readonly title: string;
  readonly score: number | null;
  /** The exact score ("401/200") where known; a's score is rated on b's scale from it, as `score()` rates. */
  readonly exact?: string | null;
  readonly rating: string;
  /** Why the rating is provisional under the coverage rule; absent or null when it is firm. */
  readonly provisional?: { readonly reason: string } | null;
}

/** What a comparison reads of a result; every ScoreResult is one, and so is a published block (`publishedComparable`). */
export interface Comparable {
  readonly organisation: string;
  readonly provenance: {
    readonly framework: { readonly id: string; readonly version: string };
    readonly methodology: string;
    readonly ratingScale: { readonly id: string };
    readonly policy: RatingPolicy;
  };
  readonly kpis: readonly ComparableItem[];
  readonly mis: readonly ComparableItem[];
}

export interface CompareOptions {
  /** Rating scale of a (the one its ratings were made on). */
  readonly scaleA: RatingScale;
  /** Rating scale of b; a's scores are also rated on it to separate scale effects from changes in performance. */
  readonly scaleB: RatingScale;
  /** Needed when a and b use different frameworks; either direction between them. */
  readonly crosswalk?: Crosswalk;
  /** Names of the two sides in output, e.g. "IOM 2019" and "IOM 2023". */
  readonly labels?: { readonly a: string; readonly b: string };
}

/**
 * Why an item's rating differs between a and b:
 * - performance: the score moved across a band limit (a's score on b's scale already differs from b's rating);
 * - scale: the score did not cross a limit, the limits moved (a's rating differs from a's score on b's scale, which equals b's rating);
 * - performance-and-scale: both (they may cancel out, leaving the rating unchanged);
 * - coverage: one side has no score (N/E or N/A);
 * - none: same rating, for the same reason.
 */
export type RatingChangeCause = "none" | "performance" | "scale" | "performance-and-scale" | "coverage";

export interface Side {
  readonly label: string;
  readonly organisation: string;
  readonly framework: { readonly id: string; readonly version: string };
  readonly methodology: string;
  readonly ratingScale: string;
}

export interface ComparedItem {
  readonly level: "kpi" | "mi";
  /** Id in b. */
  readonly id: string;
  /** Id in a (differs from `id` only through a crosswalk). */
  readonly idA: string;
  /** Title in b. */
  readonly title: string;
  /** `provisional`: why that side's rating is provisional under its coverage rule; null when firm. */
  readonly a: { readonly score: number | null; readonly rating: string; readonly provisional: string | null };
  readonly b: { readonly score: number | null; readonly rating: string; readonly provisional: string | null };
  /** b minus a, exactly, at the larger of the two precisions; null unless both have a score. */
  readonly change: number | null;
  readonly ratingChanged: boolean;
  /** a's score rated on b's scale; null when the scales are the same or a has no score. */
  readonly aOnScaleB: string | null;
  readonly ratingChange: RatingChangeCause;
  /** +1 when b's rating is a higher band than a's, -1 lower, 0 same band or not comparable (flags). */
  readonly direction: -1 | 0 | 1;
  /** What the crosswalk says changed in this item between the frameworks. */
  readonly frameworkNote?: string;
}

export type UnmatchedReason = "not-in-crosswalk" | "no-counterpart" | "missing";

export interface UnmatchedItem {
  readonly level: "kpi" | "mi";
  readonly id: string;
  readonly title: string;
  /** not-in-crosswalk: the crosswalk does not name it; no-counterpart: mapped to null; missing: the other side has no such item. */
  readonly reason: UnmatchedReason;
}

export interface LevelSummary {
  readonly compared: number;
  readonly scoreChanged: number;
  readonly ratingChanged: number;
  /** Items whose band differs on b's scale alone (scale or performance-and-scale). */
  readonly scaleEffects: number;
}

export interface Comparison {
  readonly a: Side;
  readonly b: Side;
  /** The two ratings scales' bands differ, so a's scores are also rated on b's scale. */
  readonly scaleChanged: boolean;
  readonly crosswalk: { readonly from: string; readonly to: string } | null;
  /** Sorted by absolute change, largest first; items without a change (a side unscored) last. */
  readonly kpis: readonly ComparedItem[];
  readonly mis: readonly ComparedItem[];
  readonly unmatched: { readonly a: readonly UnmatchedItem[]; readonly b: readonly UnmatchedItem[] };
  readonly summary: { readonly kpis: LevelSummary; readonly mis: LevelSummary };
}

/**
 * Compares the KPIs and MIs of two results: both scores, the change, both ratings and why a rating
 * changed, sorted by absolute change. Across frameworks the crosswalk pairs items; anything it
 * cannot pair is listed in `unmatched`. Pure.
 */
export function compareResults(a: Comparable, b: Comparable, options: CompareOptions): Comparison {
  const { scaleA, scaleB } = options;
  const fa = a.provenance.framework.id;
  const fb = b.provenance.framework.id;
  let crosswalk: Crosswalk | undefined;
  /** Items of b the crosswalk declares without counterpart (mapped to null when it is read b -> a). */
  let noCounterpartB: { readonly kpis: ReadonlySet<string>; readonly mis: ReadonlySet<string> } = { kpis: new Set(), mis: new Set() };
  if (fa !== fb) {
    const c = options.crosswalk;
    if (!c) throw new Error(`Comparing ${fa} with ${fb} needs a crosswalk between them.`);
    if (c.from === fa && c.to === fb) crosswalk = c;
    else if (c.from === fb && c.to === fa) {
      crosswalk = invertCrosswalk(c);
      const nulls = (map: Readonly<Record<string, string | null>>) =>
        new Set(
          Object.entries(map)
            .filter(([, to]) => to === null)
            .map(([from]) => from),
        );
      noCounterpartB = { kpis: nulls(c.kpis), mis: nulls(c.mis) };
    } else throw new Error(`The crosswalk maps ${c.from} to ${c.to}, not ${fa} to ${fb}.`);
  }
  const ratingA = new RatingAuthority(a.provenance.policy, scaleA);
  const ratingB = new RatingAuthority(b.provenance.policy, scaleB);
  /** a's scores rated on b's scale, by a's policy: what a's rating would have been under b's limits. */
  const aOnB = new RatingAuthority(a.provenance.policy, scaleB);
  const scaleChanged = !ratingA.sameBands(scaleB);
  const decimals = Math.max(a.provenance.policy.rounding.decimals, b.provenance.policy.rounding.decimals);
  const unmatchedA: UnmatchedItem[] = [];
  const unmatchedB: UnmatchedItem[] = [];

  const level = (kind: "kpi" | "mi", itemsA: readonly ComparableItem[], itemsB: readonly ComparableItem[]): ComparedItem[] => {
    const map = crosswalk ? (kind === "kpi" ? crosswalk.kpis : crosswalk.mis) : undefined;
    const byIdB = new Map(itemsB.map((item, i) => [item.id, { item, i }]));
    const matchedB = new Set<string>();
    const rows: { row: ComparedItem; order: number }[] = [];
    for (const itemA of itemsA) {
      let target: string | null | undefined = itemA.id;
      if (map) target = Object.hasOwn(map, itemA.id) ? map[itemA.id] : undefined;
      if (target === undefined || target === null) {
        unmatchedA.push({ level: kind, id: itemA.id, title: itemA.title, reason: target === null ? "no-counterpart" : "not-in-crosswalk" });
        continue;
      }
      const found = byIdB.get(target);
      if (!found) {
        unmatchedA.push({ level: kind, id: itemA.id, title: itemA.title, reason: "missing" });
        continue;
      }
      matchedB.add(target);
      const note = crosswalk?.changed?.[target];
      rows.push({ row: compareItem(kind, itemA, found.item, note), order: found.i });
    }
    for (const itemB of itemsB) {
      if (matchedB.has(itemB.id)) continue;
      const mappedFrom = map ? Object.entries(map).some(([, to]) => to === itemB.id) : false;
      const declared = (kind === "kpi" ? noCounterpartB.kpis : noCounterpartB.mis).has(itemB.id);
      unmatchedB.push({ level: kind, id: itemB.id, title: itemB.title, reason: declared ? "no-counterpart" : map && !mappedFrom ? "not-in-crosswalk" : "missing" });
    }
    const magnitude = (r: ComparedItem) => (r.change === null ? -1 : Math.abs(r.change));
    return rows.sort((x, y) => magnitude(y.row) - magnitude(x.row) || Number(y.row.ratingChanged) - Number(x.row.ratingChanged) || x.order - y.order).map((r) => r.row);
  };

  const compareItem = (kind: "kpi" | "mi", x: ComparableItem, y: ComparableItem, note: string | undefined): ComparedItem => {
    const bothScored = x.score !== null && y.score !== null;
    const change = bothScored ? toNumber(exact(y.score!).sub(exact(x.score!)), decimals) : null;
    const ratingChanged = x.rating !== y.rating;
    let aOnScaleB: string | null = null;
    let ratingChange: RatingChangeCause;
    if (x.score !== null && scaleChanged) aOnScaleB = aOnB.rateScore(typeof x.exact === "string" ? new Fraction(x.exact) : exact(x.score)).rating;
    if (bothScored) {
      const scaleEffect = aOnScaleB !== null && aOnScaleB !== x.rating;
      const performance = (aOnScaleB ?? x.rating) !== y.rating;
      ratingChange = scaleEffect && performance ? "performance-and-scale" : scaleEffect ? "scale" : performance ? "performance" : "none";
    } else if (!ratingChanged) ratingChange = "none";
    else ratingChange = ratingA.isFlag(x.rating) || ratingB.isFlag(y.rating) ? "coverage" : "performance";
    const ra = ratingA.rank(x.rating);
    const rb = ratingB.rank(y.rating);
    const direction = ra === undefined || rb === undefined || ra === rb ? 0 : rb > ra ? 1 : -1;
    return {
      level: kind,
      id: y.id,
      idA: x.id,
      title: y.title,
      a: { score: x.score, rating: x.rating, provisional: x.provisional?.reason ?? null },
      b: { score: y.score, rating: y.rating, provisional: y.provisional?.reason ?? null },
      change,
      ratingChanged,
      aOnScaleB,
      ratingChange,
      direction,
      ...(note === undefined ? {} : { frameworkNote: note }),
    };
  };

  const kpis = level("kpi", a.kpis, b.kpis);
  const mis = level("mi", a.mis, b.mis);
  const summarise = (rows: readonly ComparedItem[]): LevelSummary => ({
    compared: rows.length,
    scoreChanged: rows.filter((r) => r.change !== null && r.change !== 0).length,
    ratingChanged: rows.filter((r) => r.ratingChanged).length,
    scaleEffects: rows.filter((r) => r.ratingChange === "scale" || r.ratingChange === "performance-and-scale").length,
  });
  const side = (c: Comparable, label: string): Side => ({
    label,
    organisation: c.organisation,
    framework: { id: c.provenance.framework.id, version: c.provenance.framework.version },
    methodology: c.provenance.methodology,
    ratingScale: c.provenance.ratingScale.id,
  });
  return {
    a: side(a, options.labels?.a ?? "a"),
    b: side(b, options.labels?.b ?? "b"),
    scaleChanged,
    crosswalk: crosswalk ? { from: crosswalk.from, to: crosswalk.to } : null,
    kpis,
    mis,
    unmatched: { a: unmatchedA, b: unmatchedB },
    summary: { kpis: summarise(kpis), mis: summarise(mis) },
  };
}

/**
 * A published block as a comparable result: the KPIs and MIs it gives a score or rating for, titled
 * from the computed result. A score without a rating is rated on the scale (after the result's
 * rounding); an entry with neither is left out, so the item shows as unmatched.
 */
export function publishedComparable(published: Published, result: ScoreResult, scale: RatingScale): Comparable {
  const { rounding } = result.provenance.policy;
  const authority = new RatingAuthority(result.provenance.policy, scale);
  const items = (entries: Published["kpis"], computed: readonly ComparableItem[]): ComparableItem[] =>
    computed.flatMap((item) => {
      const entry = entries?.[item.id];
      if (!entry) return [];
      const score = typeof entry.score === "number" ? entry.score : null;
      const rating = entry.rating ?? (score === null ? undefined : authority.rateScore(score).rating);
      return rating === undefined ? [] : [{ id: item.id, title: item.title, score, rating }];
    });
  return {
    organisation: result.organisation,
    provenance: {
      framework: result.provenance.framework,
      methodology: result.provenance.methodology,
      ratingScale: { id: scale.id },
      policy: { rounding },
    },
    kpis: items(published.kpis, result.kpis),
    mis: items(published.mis, result.mis),
  };
}
