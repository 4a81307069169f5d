import type { Assessment, Evidence } from "../assessment/schema.js";
import { type Framework, type KpiItem, type MiItem, indexFramework, provenanceSummary } from "../framework/model.js";
import type { ConfidenceLevel, ScoringPolicy } from "../framework/schema.js";
import { ratingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { type Fraction, exact, roundExact, toNumber } from "../util/exact.js";
import { sha256Text } from "../util/sha256.js";
import { ENGINE_VERSION } from "../version.js";
import { type Arithmetic, type Outcome, isFlag } from "./aggregate.js";
import { type ScoringPlan, evaluatePlan, planFor } from "./plan.js";
import type { ConfidenceResult, Coverage, ElementResult, ElementSource, Flag, KpiResult, MiResult, PerformanceAreaResult, ScoreResult, StreamConflict } from "./result.js";
import { type Rational, fromFraction, fromNumber, numberOf, toFraction } from "../util/exact-fast.js";
import { fastExactArithmetic } from "./exact-fast.js";
import { provisionalStatus } from "./provisional.js";
import { type Suggestion, type Triangulation, triangulate } from "./triangulate.js";

export interface ScoreOptions {
  /** Replaces the framework's policy (e.g. to count N/E as the lowest score). */
  readonly policy?: ScoringPolicy;
}

/** Exact rationals under a policy's rounding. */
export const exactArithmetic = (policy: ScoringPolicy): Arithmetic<Fraction> => ({
  fromNumber: (n) => exact(n),
  add: (a, b) => a.add(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  isZero: (a) => a.equals(0),
  round: (a) => roundExact(a, policy.rounding.decimals, policy.rounding.mode),
});

/** What each leaf (element or results MI) scores, and where that came from. */
export interface LeafResolution {
  readonly value: Fraction | Flag;
  readonly source: ElementSource;
  readonly evidence: readonly string[];
  readonly conflict: StreamConflict | null;
}

/**
 * Resolves every leaf of the framework from the assessment: the judgement's score where given,
 * else the triangulated evidence suggestion, else N/E.
 */
export function resolveLeaves(framework: Framework, assessment: Assessment, policy: ScoringPolicy = framework.policy): LeafResolution[] {
  const r = resolve(planFor(framework), assessment, policy);
  return r.values.map((value, i) => ({ value: isFlag(value) ? value : toFraction(value), source: r.sources[i]!, evidence: r.evidence[i]!, conflict: r.conflicts[i]! }));
}

/** `resolveLeaves` as parallel arrays indexed by leaf number, with scores as fast rationals. */
interface Resolved {
  readonly values: readonly (Rational | Flag)[];
  readonly sources: readonly ElementSource[];
  /** Sorted, without repeats. */
  readonly evidence: readonly string[][];
  readonly conflicts: readonly (StreamConflict | null)[];
  /** The same evidence as ranks in `evidenceIds`, ascending: leaf i's are `rankList[rankStart[i]]` up to `rankStart[i + 1]`. */
  readonly rankStart: Int32Array;
  readonly rankList: Int32Array;
  /** Every evidence id a leaf links to, sorted. */
  readonly evidenceIds: readonly string[];
  /** Per rank: the entry's stream as an index into `streams`, or -1 for an id the evidence list lacks. */
  readonly streamIndex: Int32Array;
  /** The evidence list's streams, sorted, without repeats. */
  readonly streams: readonly string[];
}

/**
 * Scratch lists of `resolve`, reused from call to call so that a call allocates little beyond its
 * results (scoring is synchronous, and nothing `resolve` calls resolves again). Written by index;
 * their lengths are capacities, not contents.
 */
const linkLeaves: number[] = [];
const linkEvidence: number[] = [];
const suggestionNext: number[] = [];
const suggestionStreams: Evidence["stream"][] = [];
const suggestionScores: number[] = [];
let grouped = new Int32Array(1024);
/** Scratch grown past this many links is let go after the call, not kept for the next. */
const SCRATCH_KEPT = 1 << 16;

function releaseScratch(): void {
  for (const list of [linkLeaves, linkEvidence, suggestionNext, suggestionStreams, suggestionScores]) list.length = 0;
  grouped = new Int32Array(1024);
}

function resolve(plan: ScoringPlan, assessment: Assessment, policy: ScoringPolicy): Resolved {
  const { leafIndex } = plan;
  const count = plan.leaves.length;
  const evidenceList = assessment.evidence;
  const judgements = assessment.judgements;
  // Evidence ids are numbered as met (the evidence list first, then ids only a judgement cites);
  // the numbers are put in the ids' sorted order once, at the end.
  const numbers = new Map<string, number>();
  const ids: string[] = [];
  const streamById: (string | undefined)[] = [];
  const evidenceNumbers = new Int32Array(evidenceList.length);
  for (let k = 0; k < evidenceList.length; k++) {
    const e = evidenceList[k]!;
    let n = numbers.get(e.id);
    if (n === undefined) {
      numbers.set(e.id, (n = ids.length));
      ids.push(e.id);
      streamById.push(e.stream);
    } else streamById[n] = e.stream;
    evidenceNumbers[k] = n;
  }
  // Per leaf: the judgement that counts (the last one naming it), as its place in the list.
  const judgedBy = new Int32Array(count).fill(-1);
  for (let k = 0; k < judgements.length; k++) {
    const i = leafIndex.get(judgements[k]!.id);
    if (i !== undefined) judgedBy[i] = k;
  }
  // Links of leaves to evidence numbers, repeats included; suggested scores chained per leaf, in the order met.
  let links = 0;
  let suggestions = 0;
  const firstSuggestion = new Int32Array(count).fill(-1);
  const lastSuggestion = new Int32Array(count);
  for (let k = 0; k < evidenceList.length; k++) {
    const e = evidenceList[k]!;
    const n = evidenceNumbers[k]!;
    const elements = e.elements;
    for (let x = 0; x < elements.length; x++) {
      const i = leafIndex.get(elements[x]!);
      if (i === undefined) continue;
      linkLeaves[links] = i;
      linkEvidence[links++] = n;
    }
    const suggested = e.suggestedScores;
    if (suggested === undefined) continue;
    for (const id in suggested) {
      const i = leafIndex.get(id);
      if (i === undefined) continue;
      linkLeaves[links] = i;
      linkEvidence[links++] = n;
      const s = suggestions++;
      suggestionStreams[s] = e.stream;
      suggestionScores[s] = suggested[id]!;
      suggestionNext[s] = -1;
      if (firstSuggestion[i]! < 0) firstSuggestion[i] = s;
      else suggestionNext[lastSuggestion[i]!] = s;
      lastSuggestion[i] = s;
    }
  }
  for (let i = 0; i < count; i++) {
    const k = judgedBy[i]!;
    const cited = k < 0 ? undefined : judgements[k]!.evidence;
    if (cited === undefined) continue;
    for (let x = 0; x < cited.length; x++) {
      const id = cited[x]!;
      let n = numbers.get(id);
      if (n === undefined) {
        numbers.set(id, (n = ids.length));
        ids.push(id);
        streamById.push(undefined);
      }
      linkLeaves[links] = i;
      linkEvidence[links++] = n;
    }
  }

  const order = ids.map((_, n) => n).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const evidenceIds = order.map((n) => ids[n]!);
  const rank = new Int32Array(ids.length);
  order.forEach((n, r) => (rank[n] = r));
  const streams = [...new Set(streamById.filter((s): s is string => s !== undefined))].sort();
  const streamIndex = new Int32Array(ids.length);
  order.forEach((n, r) => {
    const stream = streamById[n];
    streamIndex[r] = stream === undefined ? -1 : streams.indexOf(stream);
  });

  // The links grouped by leaf (a counting sort) as ranks, then each leaf's ranks sorted without
  // repeats, packed: leaf i's are rankList[rankStart[i]] to rankList[rankStart[i + 1] - 1].
  const rankStart = new Int32Array(count + 1);
  for (let p = 0; p < links; p++) rankStart[linkLeaves[p]! + 1]!++;
  for (let i = 0; i < count; i++) rankStart[i + 1]! += rankStart[i]!;
  if (grouped.length < links) grouped = new Int32Array(Math.max(links, 2 * grouped.length));
  const next = rankStart.slice(0, count);
  for (let p = 0; p < links; p++) grouped[next[linkLeaves[p]!]!++] = rank[linkEvidence[p]!]!;
  let packed = 0;
  for (let i = 0; i < count; i++) {
    const from = rankStart[i]!;
    const to = rankStart[i + 1]!;
    rankStart[i] = packed;
    sortRun(grouped, from, to);
    for (let p = from; p < to; p++) if (p === from || grouped[p] !== grouped[p - 1]) grouped[packed++] = grouped[p]!;
  }
  rankStart[count] = packed;
  const rankList = grouped.slice(0, packed);

  const values = new Array<Rational | Flag>(count);
  const sources = new Array<ElementSource>(count);
  const evidence = new Array<string[]>(count);
  const conflicts = new Array<StreamConflict | null>(count);
  const spread = policy.triangulation.conflictSpread;
  for (let i = 0; i < count; i++) {
    const from = rankStart[i]!;
    const cited = new Array<string>(rankStart[i + 1]! - from);
    for (let r = 0; r < cited.length; r++) cited[r] = evidenceIds[rankList[from + r]!]!;
    evidence[i] = cited;
    const k = judgedBy[i]!;
    const judgement = k < 0 ? undefined : judgements[k]!;
    const first = firstSuggestion[i]!;
    const judged = judgement?.score !== undefined;
    // A judged leaf needs the triangulation only for its conflict.
    let t: Triangulation | undefined;
    if (first >= 0 && (!judged || mayConflict(first, spread))) {
      const list: Suggestion[] = [];
      for (let s = first; s >= 0; s = suggestionNext[s]!) list.push({ stream: suggestionStreams[s]!, score: suggestionScores[s]! });
      t = triangulate(list, policy.triangulation, plan.leaves[i]!.results ? policy.resultsScale : policy.elementScale);
    }
    conflicts[i] = t?.conflict ? conflictOf(t) : null;
    if (judged) {
      const score = judgement.score!;
      values[i] = isFlag(score) ? score : fromNumber(score);
      sources[i] = "judgement";
    } else if (t) {
      values[i] = fromFraction(t.score);
      sources[i] = "triangulated";
    } else {
      values[i] = "N/E";
      sources[i] = "unjudged";
    }
  }
  if (links > SCRATCH_KEPT) releaseScratch();
  return { values, sources, evidence, conflicts, rankStart, rankList, evidenceIds, streamIndex, streams };
}

/** Sorts `list[from]` to `list[to - 1]` in place: by insertion when short (most runs hold a handful), else by the typed array's own sort. */
function sortRun(list: Int32Array, from: number, to: number): void {
  if (to - from > 16) {
    list.subarray(from, to).sort();
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const v = list[k]!;
    let j = k - 1;
    while (j >= from && list[j]! > v) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}

/**
 * Whether the suggestions chained from `first` could put two streams `conflictSpread` or more
 * apart. A stream's aggregate (mean or median) lies within its scores, so one stream, or whole
 * scores that are all closer than a whole spread, cannot; otherwise the triangulation decides.
 */
function mayConflict(first: number, conflictSpread: number): boolean {
  let low = suggestionScores[first]!;
  let high = low;
  let streams = 1;
  for (let s = suggestionNext[first]!; s >= 0; s = suggestionNext[s]!) {
    if (suggestionStreams[s] !== suggestionStreams[first]) streams = 2;
    const v = suggestionScores[s]!;
    if (v < low) low = v;
    else if (v > high) high = v;
  }
  if (streams === 1) return false;
  // Safe integers subtract exactly; anything else is left to the exact rule.
  return !(Number.isSafeInteger(low) && Number.isSafeInteger(high) && Number.isSafeInteger(conflictSpread)) || high - low >= conflictSpread;
}

/**
 * A conflict as results show it. Triangulations are shared by items with the same suggestions, so
 * the stream figures are kept beside them and shared too, frozen (copying them per item cost more
 * than the rest of the conflict); each item gets its own conflict object.
 */
const shownConflicts = new WeakMap<Triangulation, StreamConflict>();

function conflictOf(t: Triangulation): StreamConflict {
  let c = shownConflicts.get(t);
  if (!c) {
    c = { streams: Object.freeze(Object.fromEntries([...t.streams].map(([k, v]) => [k, toNumber(v, 4)]))), spread: toNumber(t.spread, 4) };
    shownConflicts.set(t, c);
  }
  return { streams: c.streams, spread: c.spread };
}

/** What `score` reads of a framework besides its plan, built once per framework. */
interface FrameworkFacts {
  readonly mis: readonly MiItem[];
  readonly kpis: readonly KpiItem[];
  readonly miElements: readonly (readonly string[])[];
  readonly kpiMis: readonly (readonly string[])[];
  readonly paKpis: readonly (readonly string[])[];
}

const facts = new WeakMap<Framework, FrameworkFacts>();

function factsOf(framework: Framework, plan: ScoringPlan): FrameworkFacts {
  let f = facts.get(framework);
  if (!f) {
    const index = indexFramework(framework);
    const mis = plan.mis.map((m) => index.mis.get(m.id)!);
    const kpis = plan.kpis.map((k) => index.kpis.get(k.id)!);
    f = {
      mis,
      kpis,
      miElements: mis.map((mi) => mi.elements.map((e) => e.id)),
      kpiMis: kpis.map((kpi) => kpi.mis.map((mi) => mi.id)),
      paKpis: framework.performanceAreas.map((pa) => pa.kpis.map((k) => k.id)),
    };
    facts.set(framework, f);
  }
  return f;
}

/** Every score, rating, coverage and confidence of an assessment. Pure: same input, same bytes. */
export function score(framework: Framework, scale: RatingScale, assessment: Assessment, options: ScoreOptions = {}): ScoreResult {
  const policy = options.policy ?? framework.policy;
  const plan = planFor(framework);
  const known = factsOf(framework, plan);
  const leaves = resolve(plan, assessment, policy);
  // Safe-integer rationals, falling back to fraction.js where a value needs more (see exact-fast.ts).
  const evaluation = evaluatePlan(plan, leaves.values, policy, fastExactArithmetic(policy));
  const authority = ratingAuthority(policy, scale);
  const decimals = policy.rounding.decimals;

  const elements: ElementResult[] = [];
  plan.leaves.forEach((leaf, i) => {
    if (leaf.results) return;
    const value = leaves.values[i]!;
    elements.push({
      id: leaf.id,
      mi: plan.mis[leaf.mi]!.id,
      score: isFlag(value) ? null : numberOf(value, decimals),
      flag: isFlag(value) ? value : null,
      source: leaves.sources[i]!,
      evidence: leaves.evidence[i]!,
      conflict: leaves.conflicts[i]!,
    });
  });

  // Which MI last took each evidence entry and each stream, so each is taken once per MI.
  const takenBy = new Int32Array(leaves.evidenceIds.length).fill(-1);
  const streamTakenBy = new Int32Array(leaves.streams.length).fill(-1);
  const miRanks = new Int32Array(leaves.evidenceIds.length);
  const mis: MiResult[] = plan.mis.map((planMi, m) => {
    const mi = known.mis[m]!;
    let noEvidence = 0;
    let notApplicable = 0;
    let unjudged = 0;
    let conflicts = 0;
    // Evidence entries of the assessment behind the MI's leaves (not ids that only a judgement names), and their streams.
    let taken = 0;
    for (const i of planMi.leaves) {
      const value = leaves.values[i];
      if (value === "N/E") noEvidence++;
      else if (value === "N/A") notApplicable++;
      if (leaves.sources[i] === "unjudged") unjudged++;
      if (leaves.conflicts[i] !== null) conflicts++;
      for (let p = leaves.rankStart[i]!, end = leaves.rankStart[i + 1]!; p < end; p++) {
        const r = leaves.rankList[p]!;
        const stream = leaves.streamIndex[r]!;
        if (stream < 0 || takenBy[r] === m) continue;
        takenBy[r] = m;
        miRanks[taken++] = r;
        streamTakenBy[stream] = m;
      }
    }
    sortRun(miRanks, 0, taken);
    const evidence = new Array<string>(taken);
    for (let x = 0; x < taken; x++) evidence[x] = leaves.evidenceIds[miRanks[x]!]!;
    const streams: string[] = [];
    for (let s = 0; s < leaves.streams.length; s++) if (streamTakenBy[s] === m) streams.push(leaves.streams[s]!);
    const total = planMi.leaves.length;
    const coverage: Coverage = { total, scored: total - noEvidence - notApplicable, noEvidence, notApplicable };
    const outcome = evaluation.mis[m]!;
    const shown = authority.shown(outcome);
    return {
      id: mi.id,
      title: mi.title,
      kpi: mi.kpi,
      unjudged,
      scoring: mi.scoring,
      score: shown.score,
      exact: shown.exact,
      rating: shown.rating,
      margin: shown.margin,
      coverage,
      provisional: provisionalStatus(coverage, policy.provisional, "mi", outcome.kind === "score"),
      confidence: confidence(streams, taken, conflicts, coverage, policy, assessment.statedConfidence?.[mi.id]),
      elements: known.miElements[m]!.slice(),
      evidence,
    };
  });

  const kpis: KpiResult[] = plan.kpis.map((planKpi, k) => {
    const kpi = known.kpis[k]!;
    const own = planKpi.mis.map((m) => mis[m]!);
    const counts: Record<ConfidenceLevel, number> = { high: 0, medium: 0, low: 0 };
    for (const mi of own) if (mi.confidence.computed) counts[mi.confidence.computed]++;
    const coverage = sum(own.map((mi) => mi.coverage));
    const outcome = evaluation.kpis[k]!;
    return {
      id: kpi.id,
      title: kpi.title,
      performanceArea: kpi.performanceArea,
      unjudged: own.reduce((n, mi) => n + mi.unjudged, 0),
      ...authority.shown(outcome),
      coverage,
      provisional: provisionalStatus(coverage, policy.provisional, "kpi", outcome.kind === "score"),
      miCoverage: coverageOfOutcomes(planKpi.mis, evaluation.mis),
      confidence: counts,
      mis: known.kpiMis[k]!.slice(),
    };
  });

  const performanceAreas: PerformanceAreaResult[] = framework.performanceAreas.map((pa, p) => {
    const outcome = evaluation.pas?.[p];
    return {
      id: pa.id,
      title: pa.title,
      kpis: known.paKpis[p]!.slice(),
      ...(outcome
        ? {
            statistic: {
              ...authority.shown(outcome),
              coverage: sum(plan.pas[p]!.kpis.map((k) => kpis[k]!.coverage)),
              note: "Mean of KPI scores declared by this framework; not a MOPAN statistic.",
            },
          }
        : {}),
    };
  });

  const conflicts: ({ id: string } & StreamConflict)[] = [];
  const unjudged: string[] = [];
  plan.leaves.forEach((leaf, i) => {
    const conflict = leaves.conflicts[i];
    if (conflict) conflicts.push({ id: leaf.id, streams: conflict.streams, spread: conflict.spread });
    if (leaves.sources[i] === "unjudged") unjudged.push(leaf.id);
  });

  const confidenceDisagreements: ScoreResult["confidenceDisagreements"][number][] = [];
  for (const mi of mis) {
    const { stated, agrees, computed } = mi.confidence;
    if (stated !== null && agrees === false) confidenceDisagreements.push({ mi: mi.id, stated, computed });
  }

  return {
    organisation: assessment.organisation.name,
    provenance: {
      engine: { name: "mopan-engine", version: ENGINE_VERSION },
      framework: { id: framework.id, version: framework.version, contentHash: framework.contentHash, provenance: framework.provenance.status, items: provenanceSummary(framework) },
      ratingScale: { id: scale.id, methodologies: scale.methodologies, provenance: scale.provenance.status },
      methodology: assessment.methodology,
      assessmentHash: hashAssessment(assessment),
      judgements: assessment.provenance ? { status: assessment.provenance.status, source: assessment.provenance.source ?? null } : null,
      policy,
    },
    performanceAreas,
    kpis,
    mis,
    elements,
    confidenceDisagreements,
    conflicts,
    unjudged,
  };
}

/**
 * sha256 of the assessment as the schema parses it: objects in schema order and records sorted,
 * so the key order of the file does not matter.
 */
export const hashAssessment = (assessment: Assessment): string => sha256Text(JSON.stringify(assessment));

/** The outcomes at the given places, each counted as one item. */
function coverageOfOutcomes(places: readonly number[], outcomes: readonly Outcome<unknown>[]): Coverage {
  let scored = 0;
  let noEvidence = 0;
  let notApplicable = 0;
  for (const place of places) {
    const kind = outcomes[place]!.kind;
    if (kind === "score") scored++;
    else if (kind === "N/E") noEvidence++;
    else notApplicable++;
  }
  return { total: places.length, scored, noEvidence, notApplicable };
}

function sum(list: readonly Coverage[]): Coverage {
  let total = 0;
  let scored = 0;
  let noEvidence = 0;
  let notApplicable = 0;
  for (const c of list) {
    total += c.total;
    scored += c.scored;
    noEvidence += c.noEvidence;
    notApplicable += c.notApplicable;
  }
  return { total, scored, noEvidence, notApplicable };
}

/** The MI's confidence by the policy's first matching rule, beside what the assessors stated. */
function confidence(streams: readonly string[], evidence: number, conflicts: number, coverage: Coverage, policy: ScoringPolicy, stated: ConfidenceLevel | undefined): ConfidenceResult {
  const applicable = coverage.total - coverage.notApplicable;
  const scoredShare = applicable === 0 ? null : coverage.scored / applicable;
  let computed: ConfidenceLevel | null = null;
  if (scoredShare !== null) {
    const rule = policy.confidence.rules.find(
      (r) =>
        (r.minStreams === undefined || streams.length >= r.minStreams) &&
        (r.minEvidence === undefined || evidence >= r.minEvidence) &&
        (r.minScoredShare === undefined || scoredShare >= r.minScoredShare) &&
        (r.maxConflicts === undefined || conflicts <= r.maxConflicts),
    );
    computed = rule ? rule.level : policy.confidence.otherwise;
  }
  return {
    computed,
    stated: stated ?? null,
    agrees: stated === undefined ? null : stated === computed,
    basis: { streams, evidence, scoredShare: scoredShare === null ? null : Math.round(scoredShare * 10000) / 10000, conflicts },
  };
}
