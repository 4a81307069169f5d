import type { Assessment, Evidence, Judgement } from "../assessment/schema.js";
import { type Framework, type KpiItem, type MiItem, indexFramework, provenanceSummary } from "../framework/model.js";
import type { ConfidenceLevel, ScoringPolicy } from "../framework/schema.js";
import { RatingAuthority } from "../rating/authority.js";
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
import { type Triangulation, triangulate } from "./triangulate.js";

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
  /** The same evidence as ranks in `evidenceIds`, ascending. */
  readonly evidenceRanks: readonly number[][];
  /** Every evidence id a leaf links to, sorted. */
  readonly evidenceIds: readonly string[];
  /** Per rank: the entry's stream as an index into `streams`, or -1 for an id the evidence list lacks. */
  readonly streamIndex: Int32Array;
  /** The evidence list's streams, sorted, without repeats. */
  readonly streams: readonly string[];
}

type Suggestion = { readonly stream: Evidence["stream"]; readonly score: number };

function resolve(plan: ScoringPlan, assessment: Assessment, policy: ScoringPolicy): Resolved {
  const { leafIndex } = plan;
  const count = plan.leaves.length;
  // Evidence ids are numbered as met (the evidence list first, then ids only a judgement cites), so
  // leaves collect small integers; the numbers are put in the ids' sorted order once, at the end.
  const numbers = new Map<string, number>();
  const ids: string[] = [];
  const streamById: (string | undefined)[] = [];
  const numberOf = (id: string) => {
    let n = numbers.get(id);
    if (n === undefined) {
      numbers.set(id, (n = ids.length));
      ids.push(id);
      streamById.push(undefined);
    }
    return n;
  };
  const evidenceNumbers: number[] = [];
  for (const e of assessment.evidence) {
    const n = numberOf(e.id);
    streamById[n] = e.stream;
    evidenceNumbers.push(n);
  }
  const judgements: (Judgement | undefined)[] = new Array(count).fill(undefined);
  for (const j of assessment.judgements) {
    const i = leafIndex.get(j.id);
    if (i !== undefined) judgements[i] = j;
  }
  // Per leaf: the evidence linked to it (few per leaf, so a list checked for repeats) and the suggested scores.
  const linked: (number[] | undefined)[] = new Array(count).fill(undefined);
  const suggestions: (Suggestion[] | undefined)[] = new Array(count).fill(undefined);
  const link = (leaf: number, evidence: number) => {
    const list = linked[leaf];
    if (!list) linked[leaf] = [evidence];
    else if (!list.includes(evidence)) list.push(evidence);
  };
  assessment.evidence.forEach((e, k) => {
    const n = evidenceNumbers[k]!;
    for (const id of e.elements) {
      const i = leafIndex.get(id);
      if (i !== undefined) link(i, n);
    }
    if (e.suggestedScores === undefined) return;
    for (const id in e.suggestedScores) {
      const i = leafIndex.get(id);
      if (i === undefined) continue;
      link(i, n);
      const entry = { stream: e.stream, score: e.suggestedScores[id]! };
      const list = suggestions[i];
      if (list) list.push(entry);
      else suggestions[i] = [entry];
    }
  });
  for (let i = 0; i < count; i++) {
    const cited = judgements[i]?.evidence;
    if (cited) for (const id of cited) link(i, numberOf(id));
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

  const values: (Rational | Flag)[] = [];
  const sources: ElementSource[] = [];
  const evidence: string[][] = [];
  const evidenceRanks: number[][] = [];
  const conflicts: (StreamConflict | null)[] = [];
  for (let i = 0; i < count; i++) {
    const ranks = linked[i] ?? [];
    for (let k = 0; k < ranks.length; k++) ranks[k] = rank[ranks[k]!]!;
    sortNumbers(ranks);
    evidenceRanks.push(ranks);
    evidence.push(ranks.map((r) => evidenceIds[r]!));
    const judgement = judgements[i];
    const suggested = suggestions[i];
    const judged = judgement?.score !== undefined;
    // A judged leaf needs the triangulation only for its conflict.
    const t =
      suggested === undefined || (judged && !mayConflict(suggested, policy.triangulation.conflictSpread))
        ? undefined
        : triangulate(suggested, policy.triangulation, plan.leaves[i]!.results ? policy.resultsScale : policy.elementScale);
    conflicts.push(t?.conflict ? conflictOf(t) : null);
    if (judged) {
      const score = judgement.score!;
      values.push(isFlag(score) ? score : fromNumber(score));
      sources.push("judgement");
    } else if (t) {
      values.push(fromFraction(t.score));
      sources.push("triangulated");
    } else {
      values.push("N/E");
      sources.push("unjudged");
    }
  }
  return { values, sources, evidence, conflicts, evidenceRanks, evidenceIds, streamIndex, streams };
}

/** Sorts a short list of integers in place (insertion sort: these lists hold a handful). */
function sortNumbers(list: number[]): void {
  for (let k = 1; k < list.length; k++) {
    const v = list[k]!;
    let j = k - 1;
    while (j >= 0 && list[j]! > v) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}

/**
 * Whether the suggestions could put two streams `conflictSpread` or more apart. A stream's
 * aggregate (mean or median) lies within its scores, so one stream, or whole scores that are all
 * closer than a whole spread, cannot; otherwise the triangulation decides.
 */
function mayConflict(suggestions: readonly Suggestion[], conflictSpread: number): boolean {
  const first = suggestions[0]!;
  let low = first.score;
  let high = first.score;
  let streams = 1;
  for (let k = 1; k < suggestions.length; k++) {
    const s = suggestions[k]!;
    if (s.stream !== first.stream) streams = 2;
    if (s.score < low) low = s.score;
    else if (s.score > high) high = s.score;
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
  const authority = new RatingAuthority(policy, scale);
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
  const mis: MiResult[] = plan.mis.map((planMi, m) => {
    const mi = known.mis[m]!;
    let noEvidence = 0;
    let notApplicable = 0;
    let unjudged = 0;
    let conflicts = 0;
    // Evidence entries of the assessment behind the MI's leaves (not ids that only a judgement names), and their streams.
    const ranks: number[] = [];
    for (const i of planMi.leaves) {
      const value = leaves.values[i];
      if (value === "N/E") noEvidence++;
      else if (value === "N/A") notApplicable++;
      if (leaves.sources[i] === "unjudged") unjudged++;
      if (leaves.conflicts[i] !== null) conflicts++;
      for (const r of leaves.evidenceRanks[i]!) {
        const stream = leaves.streamIndex[r]!;
        if (stream < 0 || takenBy[r] === m) continue;
        takenBy[r] = m;
        ranks.push(r);
        streamTakenBy[stream] = m;
      }
    }
    sortNumbers(ranks);
    const streams = leaves.streams.filter((_, s) => streamTakenBy[s] === m);
    const total = planMi.leaves.length;
    const coverage: Coverage = { total, scored: total - noEvidence - notApplicable, noEvidence, notApplicable };
    const outcome = evaluation.mis[m]!;
    return {
      id: mi.id,
      title: mi.title,
      kpi: mi.kpi,
      unjudged,
      scoring: mi.scoring,
      ...authority.shown(outcome),
      coverage,
      provisional: provisionalStatus(coverage, policy.provisional, "mi", outcome.kind === "score"),
      confidence: confidence(streams, ranks.length, conflicts, coverage, policy, assessment.statedConfidence?.[mi.id]),
      elements: known.miElements[m]!.slice(),
      evidence: ranks.map((r) => leaves.evidenceIds[r]!),
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
      miCoverage: sum(planKpi.mis.map((m) => coverageOfOutcome(evaluation.mis[m]!))),
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

/** An MI's outcome counted as one item of its KPI. */
const coverageOfOutcome = (o: Outcome<unknown>): Coverage => ({ total: 1, scored: o.kind === "score" ? 1 : 0, noEvidence: o.kind === "N/E" ? 1 : 0, notApplicable: o.kind === "N/A" ? 1 : 0 });

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
