/**
 * mopan-engine: a scoring engine for rating frameworks.
 *
 * The pure core (frameworks, rating, assessments, scoring, analyses) takes data and returns data;
 * the readers and writers (`Registry`, `prepareAssessment`, the CSV tables) touch files; the
 * renderers turn results into text, CSV, JSON, Markdown and HTML. See docs/architecture.md.
 */

// Shared vocabulary
export { ConfidenceLevel, DATA_ID_PATTERN, FLAGS, type Flag, Provenance, ProvenanceStatus } from "./vocabulary/schema.js";

// Diagnostics
export type { Diagnostic, Location, Severity } from "./diagnostics/diagnostic.js";
export { type DiagnosticFormat, renderDiagnostics, renderGithub, renderJson, renderText } from "./diagnostics/render.js";

// Rating scales and the rating authority
export { RatingBand, RatingFlag, RatingScale, Rounding } from "./rating/schema.js";
export { loadRatingScale } from "./rating/load.js";
export { type BandStep, type Margin, type Ratable, type Rating, RatingAuthority, type RatingPolicy, ratingAuthority } from "./rating/authority.js";

// Frameworks, and the scale an assessment is rated on
export { type FrameworkEnvironment, type FrameworkSource, type LoadResult, loadFramework } from "./framework/load.js";
export { countFramework, indexFramework, provenanceSummary } from "./framework/model.js";
export type * from "./framework/model.js";
export { type Aggregation, type FlagTreatment, FrameworkDocument, FrameworkFile, OverlayDocument, ScoringPolicy } from "./framework/schema.js";
export { checkPolicyAgainstScale, type ResolvedScale, type ScaleChoice, resolveRatingScale } from "./framework/rating-scale.js";

// Assessments
export { type AssessmentContext, type CheckedAssessment, checkAssessment } from "./assessment/check.js";
export { Assessment, Evidence, Judgement, Published, ScoreValue } from "./assessment/schema.js";

// Scoring
export { hashAssessment, type ScoreOptions, score } from "./scoring/score.js";
export type * from "./scoring/result.js";

// Analyses
export type { Rated, RunParameters } from "./analysis/shared.js";
export {
  type Comparable,
  type ComparableItem,
  type ComparedItem,
  type CompareOptions,
  type Comparison,
  compareResults,
  type LevelSummary,
  publishedComparable,
  type RatingChangeCause,
  type Side,
  type UnmatchedItem,
  type UnmatchedReason,
} from "./analysis/compare.js";
export { Crosswalk, invertCrosswalk } from "./analysis/crosswalk-schema.js";
export {
  type BandDistance,
  type Crossing,
  type ElementChange,
  type ItemSensitivity,
  type RatingChange,
  type SensitivityOptions,
  type SensitivityResult,
  sensitivity,
} from "./analysis/sensitivity.js";
export { type KpiSimulation, MAX_DRAWS, MAX_SEED, type SimulateOptions, type SimulationResult, simulate } from "./analysis/simulate.js";
export { OffsetDistribution, UncertaintyModel } from "./analysis/uncertainty-schema.js";
export { type AppliedSetting, applySettings, checkSettings, type Setting, type WhatIfChange, type WhatIfResult, whatIf } from "./analysis/what-if.js";

// Reading and writing assessments, frameworks and crosswalks
export { Registry } from "./io/registry.js";
export { ASSESSMENT_FILE, type AssessmentSource, type PreparedAssessment, loadAssessment, prepareAssessment, readAssessment, readAssessmentSource } from "./io/assessment-files.js";
export {
  EVIDENCE_CSV,
  evidenceToCsv,
  judgementsToCsv,
  readTableFile,
  SCORES_CSV,
  type TableKind,
  type TableRead,
  tableFromCsv,
} from "./io/csv/assessment-csv.js";
export { findCrosswalk, loadCrosswalk } from "./io/crosswalks.js";

// Renderers
export { renderResultJson } from "./render/json.js";
export { type ScoreRenderOptions, renderScoreText } from "./render/score-text.js";
export { renderScoreCsv } from "./render/score-csv.js";
export { renderScoreMarkdown } from "./render/score-md.js";
export { type CompareScales, renderCompareCsv, renderCompareMarkdown, renderCompareText } from "./render/compare.js";
export { renderSensitivityText, renderSimulationText, renderWhatIfText } from "./render/analysis-text.js";
export { renderHtmlReport } from "./report/html.js";
export { type MarkdownReportOptions, renderMarkdownReport } from "./report/markdown.js";
export type { ReportOptions } from "./report/model.js";
export { renderCompareHtml } from "./report/compare-html.js";
export { coverageChartSvg, performanceChartSvg, type ChartOptions } from "./report/chart.js";

export { ENGINE_VERSION } from "./version.js";
export { surveyStatistics, shownGroups, type SurveyStatistics, type SurveyQuestion, type SurveyRespondent } from "./survey/statistics.js";
export { deriveSurveyEvidence, checkSurveyRule } from "./survey/derive.js";
export { ResponseScale, SurveyRule, SurveyConfig } from "./survey/schema.js";
export { prepareSurvey, readSurvey } from "./io/survey-files.js";
