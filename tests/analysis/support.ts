/**
 * Hand-made frameworks and assessments for the analysis tests, loaded through `loadFramework`
 * with the real MOPAN rating scales from framework/rating-scales/, in memory.
 */
import { readFileSync } from "node:fs";
import { checkAssessment } from "../../src/assessment/check.js";
import type { Assessment } from "../../src/assessment/schema.js";
import { type FrameworkEnvironment, loadFramework } from "../../src/framework/load.js";
import type { Framework } from "../../src/framework/model.js";
import { ScoringPolicy } from "../../src/framework/schema.js";
import { loadRatingScale } from "../../src/rating/load.js";
import type { RatingScale } from "../../src/rating/schema.js";

export const ROOT = new URL("../../", import.meta.url);
export const readJsonAt = (path: string): unknown => JSON.parse(readFileSync(new URL(path, ROOT), "utf8"));

function readScale(id: string): RatingScale {
  const loaded = loadRatingScale(readJsonAt(`framework/rating-scales/${id}.json`));
  if (!loaded.value) throw new Error(`rating scale ${id}: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

export const SCALE_31 = readScale("mopan-3.1");
export const SCALE_30 = readScale("mopan-3.0");
export const SCALES = [SCALE_30, SCALE_31];

export const env: FrameworkEnvironment = {
  findFramework: () => undefined,
  findRatingScale: (id) => SCALES.find((s) => s.id === id),
};

/** The policy the real MOPAN 3.1 framework declares. */
export const POLICY: ScoringPolicy = ScoringPolicy.parse((readJsonAt("framework/mopan-3.1.json") as { policy: unknown }).policy);

export const withPolicy = (changes: Partial<ScoringPolicy>): ScoringPolicy => ScoringPolicy.parse({ ...structuredClone(POLICY), ...changes });

/** Per KPI its MIs: a number of elements, or "rubric" for a results MI. KPIs KPI1.., MIs MI<k>.<m>, elements MI<k>.<m>.E<n>. */
export type Spec = readonly (readonly (number | "rubric")[])[];

export const RUBRIC = { "4": "All met.", "3": "Most met.", "2": "Some met.", "1": "Few met." };

export function frameworkJson(kpis: Spec, policy: ScoringPolicy = POLICY, id = "test-analysis"): Record<string, unknown> {
  return {
    id,
    version: "1.0.0",
    title: "Analysis test framework",
    methodology: policy.ratingScale === "mopan-3.0" ? "3.0" : "3.1",
    provenance: { status: "project", source: "tests/analysis/support.ts", basis: "Built by the analysis tests." },
    policy,
    performanceAreas: [
      {
        id: "PA1",
        title: "Area",
        kpis: kpis.map((mis, k) => ({
          id: `KPI${k + 1}`,
          title: `KPI ${k + 1}`,
          mis: mis.map((mi, m) =>
            mi === "rubric"
              ? { id: `MI${k + 1}.${m + 1}`, title: `Results ${k + 1}.${m + 1}`, scoring: "rubric", rubric: RUBRIC }
              : {
                  id: `MI${k + 1}.${m + 1}`,
                  title: `MI ${k + 1}.${m + 1}`,
                  scoring: "elements",
                  elements: Array.from({ length: mi }, (_, e) => ({ id: `MI${k + 1}.${m + 1}.E${e + 1}`, title: `Element ${e + 1}` })),
                },
          ),
        })),
      },
    ],
  };
}

export function makeFramework(kpis: Spec, policy: ScoringPolicy = POLICY): Framework {
  const loaded = loadFramework({ raw: frameworkJson(kpis, policy) }, env);
  if (!loaded.value) throw new Error(`framework does not load: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
  return loaded.value;
}

export type Judged = number | "N/E" | "N/A";

export function assessmentJson(judgements: Readonly<Record<string, Judged>>, extra: { evidence?: unknown[]; cites?: Record<string, string[]>; methodology?: string } = {}): Record<string, unknown> {
  return {
    organisation: { name: "Test organisation" },
    framework: { id: "test-analysis", version: "1.0.0" },
    methodology: extra.methodology ?? "3.1",
    period: { from: "2022", to: "2023" },
    assessors: [{ name: "Tester" }],
    judgements: Object.entries(judgements).map(([id, score]) => ({ id, score, ...(extra.cites?.[id] ? { evidence: extra.cites[id] } : {}) })),
    evidence: extra.evidence ?? [],
  };
}

export function makeAssessment(framework: Framework, judgements: Readonly<Record<string, Judged>>, extra: Parameters<typeof assessmentJson>[1] = {}, scale: RatingScale = SCALE_31): Assessment {
  const checked = checkAssessment(assessmentJson(judgements, extra), { framework, scale });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !checked.assessment) throw new Error(`invalid assessment: ${JSON.stringify(errors, null, 1)}`);
  return checked.assessment;
}

export const byId = <T extends { id: string }>(list: readonly T[], id: string): T => {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
};

/**
 * The small framework most analysis tests use (KPI1: MIs of 4 and 2 elements; KPI2: a results MI and an MI of 3
 * elements) and its usual judgements: MI1.1 = 2.50 U, MI1.2 = 3.50 S, KPI1 = 3.00 S; MI2.1 = 3 S, MI2.2 = 2.00 U,
 * KPI2 = 2.50 U.
 */
export const TWO_KPI_SPEC: Spec = [
  [4, 2],
  ["rubric", 3],
];
export const TWO_KPI_JUDGEMENTS: Readonly<Record<string, Judged>> = {
  "MI1.1.E1": 3,
  "MI1.1.E2": 3,
  "MI1.1.E3": 2,
  "MI1.1.E4": 2,
  "MI1.2.E1": 3,
  "MI1.2.E2": 4,
  "MI2.1": 3,
  "MI2.2.E1": 1,
  "MI2.2.E2": 2,
  "MI2.2.E3": 3,
};
