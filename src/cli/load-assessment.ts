import { statSync } from "node:fs";
import { join } from "node:path";
import type { Assessment } from "../assessment/schema.js";
import { renderText as renderDiagnosticsText } from "../diagnostics/render.js";
import type { Framework } from "../framework/model.js";
import { ASSESSMENT_FILE, type PreparedAssessment, loadAssessment as readAndPrepare } from "../io/assessment-files.js";
import { EVIDENCE_CSV, SCORES_CSV } from "../io/csv/assessment-csv.js";
import { Registry } from "../io/registry.js";
import type { Terminal } from "../io/output.js";
import type { RatingScale } from "../rating/schema.js";

export interface LoadedAssessment {
  readonly assessment: Assessment;
  readonly framework: Framework;
  readonly scale: RatingScale;
  readonly registry: Registry;
  readonly survey?: PreparedAssessment["survey"];
}

/**
 * The one way a command reads an assessment (a folder, a JSON file or a workbook): read, resolve its framework and scale, check; on
 * errors print them with "Not <what>: n error(s)" and return undefined; with warnings only, say how
 * many and where to see them. `registry` may be shared by the commands that read two assessments.
 */
export async function loadAssessment(path: string, io: Terminal, what: string, registry: Registry | string | undefined): Promise<LoadedAssessment | undefined> {
  const shared = registry instanceof Registry ? registry : new Registry(registry === undefined ? [] : [registry]);
  const prepared = await readAndPrepare(path, shared);
  const errors = prepared.diagnostics.filter((d) => d.severity === "error");
  if (!prepared.assessment || !prepared.framework || !prepared.scale || errors.length > 0) {
    io.stderr(renderDiagnosticsText(prepared.diagnostics));
    io.stderr(`${path}: not ${what}, ${errors.length} error(s). Run "mopan validate" for details.\n`);
    return undefined;
  }
  const warnings = prepared.diagnostics.length;
  if (warnings > 0) io.stderr(`${path}: ${warnings} warning(s); run "mopan validate ${path}" to see them.\n`);
  // Items not judged yet count as N/E in every result: each command says how many.
  const unjudged = prepared.diagnostics.find((d) => d.code === "unjudged-element");
  if (unjudged) io.stderr(`${path}: ${unjudged.message}\n`);
  return { assessment: prepared.assessment, framework: prepared.framework, scale: prepared.scale, registry: shared, ...(prepared.survey ? { survey: prepared.survey } : {}) };
}

/** The files an assessment is read from (a folder's three, or the file given): no output may replace them. */
export function assessmentFiles(path: string): string[] {
  try {
    if (statSync(path).isDirectory()) return [ASSESSMENT_FILE, SCORES_CSV, EVIDENCE_CSV].map((name) => join(path, name));
  } catch {
    return [];
  }
  return [path, ...[ASSESSMENT_FILE, SCORES_CSV, EVIDENCE_CSV].map((name) => join(path, "..", name))];
}
