import type { Assessment } from "../../assessment/schema.js";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import type { Framework } from "../../framework/model.js";
import { prepareAssessment } from "../../io/assessment-files.js";
import { Registry } from "../../io/registry.js";
import type { RatingScale } from "../../rating/schema.js";
import type { CliIo } from "../command.js";

export interface AnalysisInput {
  readonly assessment: Assessment;
  readonly framework: Framework;
  readonly scale: RatingScale;
  readonly registry: Registry;
}

/** Reads and checks an assessment for an analysis command; on errors prints them and returns undefined. */
export function loadForAnalysis(path: string, frameworksDir: string | undefined, io: CliIo, what: string): AnalysisInput | undefined {
  const registry = new Registry(frameworksDir === undefined ? [] : [frameworksDir]);
  const prepared = prepareAssessment(path, registry);
  const errors = prepared.diagnostics.filter((d) => d.severity === "error");
  if (!prepared.assessment || !prepared.framework || !prepared.scale || errors.length > 0) {
    io.stderr(renderDiagnosticsText(prepared.diagnostics));
    io.stderr(`Not ${what}: ${errors.length} error(s). Run "mopan validate" for details.\n`);
    return undefined;
  }
  if (prepared.diagnostics.length > 0) io.stderr(`${prepared.diagnostics.length} warning(s); run "mopan validate ${path}" to see them.\n`);
  return { assessment: prepared.assessment, framework: prepared.framework, scale: prepared.scale, registry };
}
