/**
 * The package's public API, at the type level (checked by `tsc` in `npm run lint`) and at run time:
 * what src/index.ts exports is what users import from "mopan-engine".
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import * as api from "../../src/index.js";
import type { Assessment, Comparison, Diagnostic, Framework, Margin, Rating, RatingScale, ScoreResult, SensitivityResult, SimulationResult, WhatIfResult } from "../../src/index.js";

describe("the public API", () => {
  it("exports the analyses with their result types", () => {
    expectTypeOf(api.score).parameter(0).toEqualTypeOf<Framework>();
    expectTypeOf(api.score).parameter(1).toEqualTypeOf<RatingScale>();
    expectTypeOf(api.score).parameter(2).toEqualTypeOf<Assessment>();
    expectTypeOf(api.score).returns.toEqualTypeOf<ScoreResult>();
    expectTypeOf(api.compareResults).returns.toEqualTypeOf<Comparison>();
    expectTypeOf(api.compareResults).parameter(0).toEqualTypeOf<api.Comparable>();
    expectTypeOf<ScoreResult>().toExtend<api.Comparable>();
    expectTypeOf(api.sensitivity).returns.toEqualTypeOf<SensitivityResult>();
    expectTypeOf(api.simulate).returns.toEqualTypeOf<SimulationResult>();
    expectTypeOf(api.whatIf).returns.toEqualTypeOf<{ result?: WhatIfResult; diagnostics: Diagnostic[] }>();
    for (const f of [api.score, api.compareResults, api.publishedComparable, api.sensitivity, api.simulate, api.whatIf]) expect(typeof f).toBe("function");
  });

  it("exports the rating authority and the scale resolution", () => {
    expectTypeOf(api.ratingAuthority).returns.toEqualTypeOf<api.RatingAuthority>();
    expectTypeOf<api.RatingAuthority["rate"]>().returns.toEqualTypeOf<Rating>();
    expectTypeOf<api.RatingAuthority["margin"]>().returns.toEqualTypeOf<Margin | null>();
    expectTypeOf<ScoreResult["kpis"][number]["margin"]>().toEqualTypeOf<Margin | null>();
    expectTypeOf(api.resolveRatingScale).returns.toEqualTypeOf<api.ResolvedScale>();
    expect(typeof api.RatingAuthority).toBe("function");
    expect(typeof api.resolveRatingScale).toBe("function");
  });

  it("exports readers, writers and renderers that return text", () => {
    expectTypeOf(api.prepareAssessment).returns.toEqualTypeOf<api.PreparedAssessment>();
    expectTypeOf(api.readAssessmentSource).returns.toEqualTypeOf<api.AssessmentSource>();
    expectTypeOf(api.tableFromCsv).returns.toEqualTypeOf<api.TableRead>();
    for (const render of [
      api.renderScoreText,
      api.renderScoreCsv,
      api.renderScoreMarkdown,
      api.renderResultJson,
      api.renderCompareText,
      api.renderCompareCsv,
      api.renderCompareMarkdown,
      api.renderCompareHtml,
      api.renderSensitivityText,
      api.renderSimulationText,
      api.renderWhatIfText,
      api.renderHtmlReport,
      api.renderMarkdownReport,
      api.judgementsToCsv,
      api.evidenceToCsv,
      api.performanceChartSvg,
      api.coverageChartSvg,
    ]) {
      expectTypeOf(render).returns.toEqualTypeOf<string>();
      expect(typeof render).toBe("function");
    }
  });

  it("keeps internals out", () => {
    const names = Object.keys(api);
    for (const internal of ["resolveLeaves", "evaluatePlan", "planFor", "classify", "rateOutcome", "bandsOf", "ratingScaleFor", "parseCsv", "LIMITS"]) {
      expect(names).not.toContain(internal);
    }
  });
});
