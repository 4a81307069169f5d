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
export { RatingAuthority, ratingAuthority, type Rating, type RatingPolicy, type Margin, type BandStep, type Ratable } from "./rating/authority.js";
export { loadRatingScale } from "./rating/load.js";
export { resolveRatingScale, checkPolicyAgainstScale, type ResolvedScale, type ScaleChoice } from "./framework/rating-scale.js";
export { RatingScale } from "./rating/schema.js";
export type { Diagnostic, Location, Severity } from "./diagnostics/diagnostic.js";
export { renderDiagnostics, renderGithub, renderJson, renderText } from "./diagnostics/render.js";
export { Registry } from "./io/registry.js";
export { prepareAssessment, readAssessmentSource } from "./io/assessment-files.js";
export { ENGINE_VERSION } from "./version.js";
