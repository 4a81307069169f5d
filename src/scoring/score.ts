import type { Assessment } from "../assessment/schema.js";
import { type Framework, indexFramework, provenanceSummary } from "../framework/model.js";
import type { ConfidenceLevel, ScoringPolicy } from "../framework/schema.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { type Fraction, exact, roundExact, toNumber } from "../util/exact.js";
import { sha256Text } from "../util/sha256.js";
import { ENGINE_VERSION } from "../version.js";
import { type Arithmetic, type Outcome, isFlag } from "./aggregate.js";
import { evaluatePlan, planFor } from "./plan.js";
import type { ConfidenceResult, Coverage, ElementResult, Flag, KpiResult, MiResult, PerformanceAreaResult, ScoreResult, StreamConflict } from "./result.js";
import { type Rational, fastExactArithmetic, fromFraction, toFraction } from "./exact-fast.js";
import { provisionalStatus } from "./provisional.js";
import { triangulate } from "./triangulate.js";

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
  readonly source: ElementResult["source"];
  readonly evidence: readonly string[];
  readonly conflict: StreamConflict | null;
}

/**
 * Resolves every leaf of the framework from the assessment: the judgement's score where given,
 * else the triangulated evidence suggestion, else N/E.
 */
export function resolveLeaves(framework: Framework, assessment: Assessment, policy: ScoringPolicy = framework.policy): LeafResolution[] {
  const plan = planFor(framework);
  const judgements = new Map(assessment.judgements.map((j) => [j.id, j]));
  // Per leaf: the evidence linked to it (few per leaf, so a list checked for repeats) and the suggested scores.
  const linked = new Map<string, string[]>();
  const suggestions = new Map<string, { stream: Assessment["evidence"][number]["stream"]; score: number }[]>();
  const link = (leaf: string, evidence: string) => {
    const list = linked.get(leaf);
    if (!list) linked.set(leaf, [evidence]);
    else if (!list.includes(evidence)) list.push(evidence);
  };
  for (const e of assessment.evidence) {
    for (const id of e.elements) link(id, e.id);
    if (e.suggestedScores === undefined) continue;
    for (const id in e.suggestedScores) {
      link(id, e.id);
      const entry = { stream: e.stream, score: e.suggestedScores[id]! };
      const list = suggestions.get(id);
      if (list) list.push(entry);
      else suggestions.set(id, [entry]);
    }
  }
  const NONE: never[] = [];
  return plan.leaves.map((leaf) => {
    const judgement = judgements.get(leaf.id);
    for (const id of judgement?.evidence ?? NONE) link(leaf.id, id);
    const evidence = linked.get(leaf.id)?.sort() ?? [];
    const scale = leaf.results ? policy.resultsScale : policy.elementScale;
    const t = triangulate(suggestions.get(leaf.id) ?? NONE, policy.triangulation, scale);
    const conflict = t?.conflict ? { streams: Object.fromEntries([...t.streams].map(([k, v]) => [k, toNumber(v, 4)])), spread: toNumber(t.spread, 4) } : null;
    if (judgement?.score !== undefined) {
      const value = isFlag(judgement.score) ? judgement.score : exact(judgement.score);
      return { value, source: "judgement", evidence, conflict };
    }
    if (t) return { value: t.score, source: "triangulated", evidence, conflict };
    return { value: "N/E", source: "unjudged", evidence, conflict };
  });
}

/** Every score, rating, coverage and confidence of an assessment. Pure: same input, same bytes. */
export function score(framework: Framework, scale: RatingScale, assessment: Assessment, options: ScoreOptions = {}): ScoreResult {
  const policy = options.policy ?? framework.policy;
  const plan = planFor(framework);
  const index = indexFramework(framework);
  const leaves = resolveLeaves(framework, assessment, policy);
  // Safe-integer rationals, falling back to fraction.js where a value needs more (see exact-fast.ts).
  const evaluation = evaluatePlan(
    plan,
    leaves.map((l) => (isFlag(l.value) ? l.value : fromFraction(l.value))),
    policy,
    fastExactArithmetic(policy),
  );
  const evidenceById = new Map(assessment.evidence.map((e) => [e.id, e]));

  const authority = new RatingAuthority(policy, scale);
  const rate = (outcome: Outcome<Rational>) => {
    const r = authority.rate(outcome.kind === "score" ? { kind: "score", value: toFraction(outcome.value) } : outcome);
    return { score: r.score, exact: r.exact, rating: r.rating, margin: authority.margin(r) };
  };

  const elements: ElementResult[] = [];
  plan.leaves.forEach((leaf, i) => {
    if (leaf.results) return;
    const l = leaves[i]!;
    elements.push({
      id: leaf.id,
      mi: plan.mis[leaf.mi]!.id,
      score: isFlag(l.value) ? null : toNumber(l.value, policy.rounding.decimals),
      flag: isFlag(l.value) ? l.value : null,
      source: l.source,
      evidence: l.evidence,
      conflict: l.conflict,
    });
  });

  const mis: MiResult[] = plan.mis.map((planMi, m) => {
    const mi = index.mis.get(planMi.id)!;
    const own = planMi.leaves.map((i) => leaves[i]!);
    const coverage = coverageOf(own.map((l) => l.value));
    const evidence = new Set<string>();
    for (const leaf of own) for (const id of leaf.evidence) if (evidenceById.has(id)) evidence.add(id);
    return {
      id: mi.id,
      title: mi.title,
      kpi: mi.kpi,
      unjudged: own.filter((l) => l.source === "unjudged").length,
      scoring: mi.scoring,
      ...rate(evaluation.mis[m]!),
      coverage,
      provisional: provisionalStatus(coverage, policy.provisional, "mi", evaluation.mis[m]!.kind === "score"),
      confidence: confidence(own, evidence, coverage, policy, evidenceById, assessment.statedConfidence?.[mi.id]),
      elements: mi.elements.map((e) => e.id),
      evidence: [...evidence].sort(),
    };
  });

  const kpis: KpiResult[] = plan.kpis.map((planKpi, k) => {
    const kpi = index.kpis.get(planKpi.id)!;
    const own = planKpi.mis.map((m) => mis[m]!);
    const counts: Record<ConfidenceLevel, number> = { high: 0, medium: 0, low: 0 };
    for (const mi of own) if (mi.confidence.computed) counts[mi.confidence.computed]++;
    const coverage = sum(own.map((mi) => mi.coverage));
    return {
      id: kpi.id,
      title: kpi.title,
      performanceArea: kpi.performanceArea,
      unjudged: own.reduce((n, mi) => n + mi.unjudged, 0),
      ...rate(evaluation.kpis[k]!),
      coverage,
      provisional: provisionalStatus(coverage, policy.provisional, "kpi", evaluation.kpis[k]!.kind === "score"),
      miCoverage: sum(planKpi.mis.map((m) => coverageOfOutcome(evaluation.mis[m]!))),
      confidence: counts,
      mis: kpi.mis.map((mi) => mi.id),
    };
  });

  const performanceAreas: PerformanceAreaResult[] = framework.performanceAreas.map((pa, p) => {
    const outcome = evaluation.pas?.[p];
    return {
      id: pa.id,
      title: pa.title,
      kpis: pa.kpis.map((k) => k.id),
      ...(outcome
        ? {
            statistic: {
              ...rate(outcome),
              coverage: sum(plan.pas[p]!.kpis.map((k) => kpis[k]!.coverage)),
              note: "Mean of KPI scores declared by this framework; not a MOPAN statistic.",
            },
          }
        : {}),
    };
  });

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
    confidenceDisagreements: mis.flatMap((mi) =>
      mi.confidence.stated !== null && mi.confidence.agrees === false ? [{ mi: mi.id, stated: mi.confidence.stated, computed: mi.confidence.computed }] : [],
    ),
    conflicts: plan.leaves.flatMap((leaf, i) => (leaves[i]!.conflict ? [{ id: leaf.id, ...leaves[i]!.conflict! }] : [])),
    unjudged: plan.leaves.flatMap((leaf, i) => (leaves[i]!.source === "unjudged" ? [leaf.id] : [])),
  };
}

/**
 * sha256 of the assessment as the schema parses it: objects in schema order and records sorted,
 * so the key order of the file does not matter.
 */
export const hashAssessment = (assessment: Assessment): string => sha256Text(JSON.stringify(assessment));

function coverageOf(values: readonly (Fraction | Flag)[]): Coverage {
  let noEvidence = 0;
  let notApplicable = 0;
  for (const v of values) {
    if (v === "N/E") noEvidence++;
    else if (v === "N/A") notApplicable++;
  }
  return { total: values.length, scored: values.length - noEvidence - notApplicable, noEvidence, notApplicable };
}

const coverageOfOutcome = (o: Outcome<unknown>): Coverage => (o.kind === "score" ? { total: 1, scored: 1, noEvidence: 0, notApplicable: 0 } : coverageOf([o.kind]));

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
function confidence(
  leaves: readonly LeafResolution[],
  evidence: ReadonlySet<string>,
  coverage: Coverage,
  policy: ScoringPolicy,
  evidenceById: ReadonlyMap<string, Assessment["evidence"][number]>,
  stated: ConfidenceLevel | undefined,
): ConfidenceResult {
  const streamSet = new Set<string>();
  for (const id of evidence) streamSet.add(evidenceById.get(id)!.stream);
  const streams = [...streamSet].sort();
  const applicable = coverage.total - coverage.notApplicable;
  const scoredShare = applicable === 0 ? null : coverage.scored / applicable;
  let conflicts = 0;
  for (const l of leaves) if (l.conflict !== null) conflicts++;
  let computed: ConfidenceLevel | null = null;
  if (scoredShare !== null) {
    const rule = policy.confidence.rules.find(
      (r) =>
        (r.minStreams === undefined || streams.length >= r.minStreams) &&
        (r.minEvidence === undefined || evidence.size >= r.minEvidence) &&
        (r.minScoredShare === undefined || scoredShare >= r.minScoredShare) &&
        (r.maxConflicts === undefined || conflicts <= r.maxConflicts),
    );
    computed = rule ? rule.level : policy.confidence.otherwise;
  }
  return {
    computed,
    stated: stated ?? null,
    agrees: stated === undefined ? null : stated === computed,
    basis: { streams, evidence: evidence.size, scoredShare: scoredShare === null ? null : Math.round(scoredShare * 10000) / 10000, conflicts },
  };
}
