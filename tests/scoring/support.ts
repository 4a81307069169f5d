/**
 * Helpers for the scoring tests: small hand-made frameworks loaded through `loadFramework` with
 * the real MOPAN rating scales, and assessments checked by `checkAssessment` before scoring.
 */
import { readFileSync } from "node:fs";
import { checkAssessment } from "../../src/assessment/check.js";
import type { Assessment, Evidence } from "../../src/assessment/schema.js";
import { type FrameworkEnvironment, loadFramework } from "../../src/framework/load.js";
import type { Framework } from "../../src/framework/model.js";
import { ScoringPolicy } from "../../src/framework/schema.js";
import { loadRatingScale } from "../../src/rating/load.js";
import type { RatingScale } from "../../src/rating/schema.js";
import { type ScoreOptions, score } from "../../src/scoring/score.js";
import type { KpiResult, MiResult, ScoreResult } from "../../src/scoring/result.js";

const root = new URL("../../", import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), "utf8"));

function readScale(id: string): RatingScale {
  const loaded = loadRatingScale(readJson(`framework/rating-scales/${id}.json`));
  if (!loaded.value) throw new Error(`rating scale ${id}: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

export const SCALE_31 = readScale("mopan-3.1");
export const SCALE_30 = readScale("mopan-3.0");

export const env: FrameworkEnvironment = {
  findFramework: () => undefined,
  findRatingScale: (id) => (id === SCALE_31.id ? SCALE_31 : id === SCALE_30.id ? SCALE_30 : undefined),
};

/** The policy of framework/mopan-3.1.json, as the real framework declares it. */
export const MOPAN_POLICY: ScoringPolicy = ScoringPolicy.parse((readJson("framework/mopan-3.1.json") as { policy: unknown }).policy);

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** MOPAN policy with some parts replaced. */
export function policyWith(
  changes: {
    miWeights?: Record<string, number>;
    kpiWeights?: Record<string, number>;
    paWeights?: Record<string, number>;
    rounding?: Partial<ScoringPolicy["rounding"]>;
    flags?: Partial<ScoringPolicy["flags"]>;
    ratingScale?: string;
  },
  base: ScoringPolicy = MOPAN_POLICY,
): ScoringPolicy {
  const p = clone(base) as { -readonly [K in keyof ScoringPolicy]: ScoringPolicy[K] } & Record<string, unknown>;
  const aggregation = p.aggregation as Record<string, { method: "mean"; weights?: Record<string, number> }>;
  if (changes.miWeights) aggregation["mi"] = { method: "mean", weights: changes.miWeights };
  if (changes.kpiWeights) aggregation["kpi"] = { method: "mean", weights: changes.kpiWeights };
  if (changes.paWeights) aggregation["performanceArea"] = { method: "mean", weights: changes.paWeights };
  if (changes.rounding) p.rounding = { ...p.rounding, ...changes.rounding };
  if (changes.flags) p.flags = { ...p.flags, ...changes.flags };
  if (changes.ratingScale) p.ratingScale = changes.ratingScale;
  return ScoringPolicy.parse(p);
}

/** N/E counted as the lowest element score (0) instead of being left out. */
export const NE_AS_ZERO: ScoringPolicy = policyWith({ flags: { "N/E": { treatment: "score", score: 0 } } });

/** An MI: the number of its elements, or "rubric" for a results MI rated directly. */
export type MiSpec = number | "rubric";

export interface FrameworkSpec {
  /** Per KPI, its MIs. KPIs are numbered KPI1.. across the framework, MIs MI<k>.<m>, elements MI<k>.<m>.E<n>. */
  readonly kpis: readonly (readonly MiSpec[])[];
  /** How many of the KPIs (in order) go in each performance area; default: all in PA1. */
  readonly pas?: readonly number[];
  readonly policy?: ScoringPolicy;
  readonly methodology?: string;
  readonly id?: string;
  readonly version?: string;
}

export const RUBRIC = { "4": "All targets met.", "3": "Most targets met.", "2": "Some targets met.", "1": "Few targets met." };

/** The framework JSON of a spec, as a framework file would hold it. */
export function frameworkJson(spec: FrameworkSpec): Record<string, unknown> {
  const policy = spec.policy ?? MOPAN_POLICY;
  const kpi = (mis: readonly MiSpec[], k: number) => ({
    id: `KPI${k}`,
    title: `KPI ${k}`,
    mis: mis.map((mi, m) =>
      mi === "rubric"
        ? { id: `MI${k}.${m + 1}`, title: `Results MI ${k}.${m + 1}`, scoring: "rubric", rubric: RUBRIC }
        : {
            id: `MI${k}.${m + 1}`,
            title: `MI ${k}.${m + 1}`,
            scoring: "elements",
            elements: Array.from({ length: mi }, (_, e) => ({ id: `MI${k}.${m + 1}.E${e + 1}`, title: `Element ${k}.${m + 1}.${e + 1}` })),
          },
    ),
  });
  const split = spec.pas ?? [spec.kpis.length];
  const performanceAreas: unknown[] = [];
  let next = 0;
  split.forEach((count, p) => {
    const kpis = spec.kpis.slice(next, next + count).map((mis, i) => kpi(mis, next + i + 1));
    next += count;
    performanceAreas.push({ id: `PA${p + 1}`, title: `Performance area ${p + 1}`, kpis });
  });
  return {
    id: spec.id ?? "test-scoring",
    version: spec.version ?? "1.0.0",
    title: "Hand-made scoring test framework",
    methodology: spec.methodology ?? (policy.ratingScale === "mopan-3.0" ? "3.0" : "3.1"),
    provenance: { status: "project", source: "tests/scoring/support.ts", basis: "Built by the scoring tests." },
    policy,
    performanceAreas,
  };
}

export function loadSpec(raw: unknown): Framework {
  const loaded = loadFramework({ raw }, env);
  if (!loaded.value) throw new Error(`test framework does not load: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
  return loaded.value;
}

export const makeFramework = (spec: FrameworkSpec): Framework => loadSpec(frameworkJson(spec));

export type Judged = number | "N/E" | "N/A" | null;

/** An evidence entry: its stream, the scores it suggests per element, and other elements it bears on. */
export function ev(id: string, stream: Evidence["stream"], suggested: Record<string, number> = {}, elements: string[] = []): Record<string, unknown> {
  return { id, stream, source: { title: `Source ${id}` }, elements, ...(Object.keys(suggested).length > 0 ? { suggestedScores: suggested } : {}) };
}

export interface AssessmentExtra {
  readonly evidence?: readonly Record<string, unknown>[];
  /** Evidence ids each judgement cites. */
  readonly cites?: Readonly<Record<string, readonly string[]>>;
  readonly statedConfidence?: Readonly<Record<string, "high" | "medium" | "low">>;
  readonly methodology?: string;
  readonly frameworkId?: string;
}

/** The raw JSON of an assessment: one judgement per entry (null: a judgement without a score). */
export function assessmentJson(judgements: Readonly<Record<string, Judged>>, extra: AssessmentExtra = {}): Record<string, unknown> {
  return {
    organisation: { name: "Test organisation" },
    framework: { id: extra.frameworkId ?? "test-scoring", version: "1.0.0" },
    methodology: extra.methodology ?? "3.1",
    period: { from: "2022", to: "2023" },
    assessors: [{ name: "Tester" }],
    judgements: Object.entries(judgements).map(([id, s]) => ({
      id,
      ...(s === null ? {} : { score: s }),
      ...(extra.cites?.[id] ? { evidence: [...extra.cites[id]] } : {}),
    })),
    evidence: extra.evidence ?? [],
    ...(extra.statedConfidence ? { statedConfidence: extra.statedConfidence } : {}),
  };
}

/** Parses and checks an assessment against the framework; any error fails the test (the input must be valid). */
export function checked(raw: unknown, framework: Framework, scale: RatingScale = SCALE_31): Assessment {
  const result = checkAssessment(raw, { framework, scale });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.assessment) throw new Error(`invalid test assessment: ${JSON.stringify(errors, null, 1)}`);
  return result.assessment;
}

export const makeAssessment = (framework: Framework, judgements: Readonly<Record<string, Judged>>, extra: AssessmentExtra = {}, scale: RatingScale = SCALE_31): Assessment =>
  checked(assessmentJson(judgements, extra), framework, scale);

/** Scores a framework spec against judgements in one go. */
export function run(spec: FrameworkSpec, judgements: Readonly<Record<string, Judged>>, extra: AssessmentExtra = {}, options: ScoreOptions = {}): ScoreResult {
  const framework = makeFramework(spec);
  const scale = (spec.policy ?? MOPAN_POLICY).ratingScale === SCALE_30.id ? SCALE_30 : SCALE_31;
  return score(framework, scale, makeAssessment(framework, judgements, { methodology: scale.methodologies.at(-1)!, ...extra }, scale), options);
}

export function mi(result: ScoreResult, id: string): MiResult {
  const found = result.mis.find((m) => m.id === id);
  if (!found) throw new Error(`no MI ${id} in result`);
  return found;
}

export function kpi(result: ScoreResult, id: string): KpiResult {
  const found = result.kpis.find((k) => k.id === id);
  if (!found) throw new Error(`no KPI ${id} in result`);
  return found;
}

export const element = (result: ScoreResult, id: string) => {
  const found = result.elements.find((e) => e.id === id);
  if (!found) throw new Error(`no element ${id} in result`);
  return found;
};

/** The part of a scored item the boundary tables compare. */
export const summary = (item: { score: number | null; exact: string | null; rating: string }) => ({ score: item.score, exact: item.exact, rating: item.rating });
