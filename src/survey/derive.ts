import type { Evidence, SurveyDerivation } from "../assessment/schema.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { type Fraction, exact, onStep, toNumber } from "../util/exact.js";
import type { SurveyConfig, SurveyRule } from "./schema.js";
import type { SurveyStatistics } from "./statistics.js";

/** The files a derivation rests on, with their sha256, as provenance. */
export interface SurveyFiles {
  readonly responses: { readonly file: string; readonly sha256: string };
  readonly questionnaire: { readonly file: string; readonly sha256: string };
}

/** What the rule made of one question: a suggested score for its targets, or why not. */
export interface QuestionOutcome {
  readonly question: string;
  readonly n: number;
  readonly score: number | null;
  /** Why there is no suggestion, for people. */
  readonly reason?: string;
}

export interface DerivedSurvey {
  readonly evidence: readonly Evidence[];
  readonly outcomes: readonly QuestionOutcome[];
}

/** The id of the evidence entry derived from a question. */
const surveyEvidenceId = (question: string): string => `survey-${question}`;

/**
 * Checks a rule against a framework's scales: thresholds from the highest down, and scores the
 * element (or results) scale allows. `file` and pointers point into the rule file.
 */
export function checkSurveyRule(rule: SurveyRule, policy: ScoringPolicy, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lists = [
    ["thresholds", rule.thresholds, policy.elementScale],
    ["resultsThresholds", rule.resultsThresholds ?? [], policy.resultsScale],
  ] as const;
  for (const [key, list, scale] of lists) {
    list.forEach((t, i) => {
      if (i > 0 && !(t.atLeast < list[i - 1]!.atLeast)) {
        out.push({
          file,
          pointer: `/${key}/${i}/atLeast`,
          code: "thresholds-out-of-order",
          severity: "error",
          received: String(t.atLeast),
          message: `Thresholds go from the highest down: ${t.atLeast} must be below ${list[i - 1]!.atLeast}.`,
        });
      }
      if (t.score < scale.min || t.score > scale.max || !onStep(t.score, scale.min, scale.step)) {
        out.push({
          file,
          pointer: `/${key}/${i}/score`,
          code: "score-out-of-range",
          severity: "error",
          received: String(t.score),
          expected: `${scale.min} to ${scale.max} in steps of ${scale.step}`,
          message: `The rule suggests ${t.score}, which the framework's ${key === "thresholds" ? "element" : "results"} scale does not allow (${scale.min} to ${scale.max} in steps of ${scale.step}).`,
        });
      }
    });
  }
  return out;
}

/** A share as a whole percentage: exact half-up for a fraction, nearest for an interval limit. */
const percent = (share: Fraction | number) => `${typeof share === "number" ? Math.round(share * 100) : toNumber(share.mul(100), 0)}%`;

/**
 * Turns each question's overall statistics into evidence of stream `survey` by the declared rule:
 * the first threshold the statistic reaches gives the suggested score of every element (or results
 * MI) the question informs. A question with fewer substantive answers than the rule's minimum gives
 * no evidence; its outcome says so. Pure: the same statistics, rule and files give the same entries.
 */
export function deriveSurveyEvidence(
  statistics: SurveyStatistics,
  rule: SurveyRule,
  config: Pick<SurveyConfig, "title" | "date">,
  files: SurveyFiles,
  isResultsMi: (id: string) => boolean,
): DerivedSurvey {
  const evidence: Evidence[] = [];
  const outcomes: QuestionOutcome[] = [];
  for (const q of statistics.questions) {
    const t = q.total;
    if (t.substantive < rule.minSubstantive) {
      outcomes.push({ question: q.id, n: t.substantive, score: null, reason: `${t.substantive} substantive answer${t.substantive === 1 ? "" : "s"}; the rule needs at least ${rule.minSubstantive}` });
      continue;
    }
    const value = rule.statistic === "mean" ? t.mean! : t.shareAgreeing!;
    const pick = (list: SurveyRule["thresholds"]) => list.find((th) => value.gte(exact(th.atLeast)))?.score;
    const suggested: Record<string, number> = {};
    for (const target of [...q.targets].sort()) {
      const score = isResultsMi(target) ? (rule.resultsThresholds ? pick(rule.resultsThresholds) : undefined) : pick(rule.thresholds);
      if (score !== undefined) suggested[target] = score;
    }
    const scores = [...new Set(Object.values(suggested))];
    if (scores.length === 0) {
      outcomes.push({ question: q.id, n: t.substantive, score: null, reason: `the statistic is below every threshold of rule ${rule.id}, or the rule has none for these targets` });
      continue;
    }
    outcomes.push({ question: q.id, n: t.substantive, score: scores.length === 1 ? scores[0]! : null });
    const interval =
      rule.statistic === "mean"
        ? { method: `percentile bootstrap, ${statistics.resamples} resamples, seed ${statistics.seed}`, level: statistics.level, low: round(t.meanInterval!.low), high: round(t.meanInterval!.high) }
        : { method: "Wilson score", level: statistics.level, low: round(t.shareInterval!.low), high: round(t.shareInterval!.high) };
    const derivation: SurveyDerivation = {
      method: "survey",
      question: q.id,
      rule: { id: rule.id, version: rule.version, provenance: rule.provenance.status },
      responses: files.responses,
      questionnaire: files.questionnaire,
      responsesCount: t.responses,
      n: t.substantive,
      statistic: rule.statistic,
      value: toNumber(value, 4),
      exact: value.toFraction(),
      interval,
    };
    const level = `${Math.round(statistics.level * 100)}%`;
    const described =
      rule.statistic === "mean"
        ? `mean ${toNumber(value, 2)} on the ${q.scale.title.toLowerCase()} (${level} bootstrap interval ${toNumber(exact(interval.low), 2)}–${toNumber(exact(interval.high), 2)})`
        : `${percent(value)} agree (${level} Wilson interval ${percent(interval.low)}–${percent(interval.high)})`;
    evidence.push({
      id: surveyEvidenceId(q.id),
      stream: "survey",
      source: { title: config.title, file: files.responses.file, surveyQuestion: q.id },
      ...(config.date ? { date: config.date } : {}),
      quote: q.text,
      summary: `Derived from the responses (${files.responses.sha256}): ${t.substantive} of ${t.responses} respondents gave a substantive answer (${t.responses - t.substantive} don't know or blank); ${described}. Suggested score by ${rule.provenance.status} rule ${rule.id} ${rule.version}.`,
      elements: Object.keys(suggested),
      suggestedScores: suggested,
      derivation,
    });
  }
  return { evidence, outcomes };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
