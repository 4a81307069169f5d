/**
 * mopan-engine: a scoring engine for rating frameworks.
 *
 * The pure core (framework model, validation, scoring) takes data and returns data; the file
 * helpers (`Registry`, `prepareAssessment`) read the built-in frameworks and assessment folders.
 */
export { score, resolveLeaves, hashAssessment, type ScoreOptions } from "./scoring/score.js";
export type * from "./scoring/result.js";
export { checkAssessment, type AssessmentContext } from "./assessment/check.js";
export { Assessment, Evidence, Judgement, type ScoreValue } from "./assessment/schema.js";
export { loadFramework, type FrameworkEnvironment, type FrameworkSource } from "./framework/load.js";
export { countFramework, indexFramework, provenanceSummary } from "./framework/model.js";
export type * from "./framework/model.js";
export { FrameworkDocument, FrameworkFile, OverlayDocument, ScoringPolicy } from "./framework/schema.js";
export { classify } from "./rating/classify.js";
export { loadRatingScale, ratingScaleFor } from "./rating/load.js";
export { RatingScale } from "./rating/schema.js";
export type { Diagnostic, Location, Severity } from "./diagnostics/diagnostic.js";
export { renderDiagnostics, renderGithub, renderJson, renderText } from "./diagnostics/render.js";
export { Registry } from "./io/registry.js";
export { loadAssessment, prepareAssessment, readAssessment, readAssessmentSource } from "./io/assessment-files.js";
export { ENGINE_VERSION } from "./version.js";
export { surveyStatistics, shownGroups, type SurveyStatistics, type SurveyQuestion, type SurveyRespondent } from "./survey/statistics.js";
export { deriveSurveyEvidence, checkSurveyRule } from "./survey/derive.js";
export { ResponseScale, SurveyRule, SurveyConfig } from "./survey/schema.js";
export { prepareSurvey, readSurvey } from "./io/survey-files.js";
