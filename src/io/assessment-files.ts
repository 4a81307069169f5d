import { statSync } from "node:fs";
import { extname, join } from "node:path";
import { checkAssessment } from "../assessment/check.js";
import type { Assessment } from "../assessment/schema.js";
import type { Diagnostic, Location } from "../diagnostics/diagnostic.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import { ratingScaleFor } from "../rating/load.js";
import type { RatingScale } from "../rating/schema.js";
import { readJson } from "./json.js";
import { type Registry, display } from "./registry.js";

/** An assessment's raw data as read from disk, and how to point back into the files it came from. */
export interface AssessmentSource {
  readonly raw?: unknown;
  /** The file named in diagnostics whose pointer `locate` does not map. */
  readonly file: string;
  /** Maps a JSON pointer into the assembled assessment to a place in a source file (CSV line and column). */
  readonly locate?: (pointer: string) => Location | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export const ASSESSMENT_FILE = "assessment.json";

/** Reads an assessment from a folder (assessment.json) or a JSON file. */
export function readAssessmentSource(path: string): AssessmentSource {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return { file: display(path), diagnostics: [{ file: display(path), code: "file-not-found", severity: "error", message: `${display(path)} does not exist.` }] };
  }
  const file = isDir ? join(path, ASSESSMENT_FILE) : path;
  if (!isDir && extname(path).toLowerCase() !== ".json") {
    return { file: display(path), diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error", message: `${display(path)}: give an assessment folder or its assessment.json.` }] };
  }
  const read = readJson(file);
  return read.ok ? { raw: read.value, file: display(file), diagnostics: [] } : { file: display(file), diagnostics: read.diagnostics };
}

export interface PreparedAssessment {
  readonly assessment?: Assessment;
  readonly framework?: Framework;
  readonly scale?: RatingScale;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads, resolves its framework and rating scale, and checks an assessment: everything `score` needs. */
export function prepareAssessment(path: string, registry: Registry): PreparedAssessment {
  const source = readAssessmentSource(path);
  if (source.raw === undefined) return { diagnostics: source.diagnostics };
  const raw = source.raw;
  const frameworkId = isRecord(raw) && isRecord(raw["framework"]) && typeof raw["framework"]["id"] === "string" ? raw["framework"]["id"] : undefined;
  const methodology = isRecord(raw) && typeof raw["methodology"] === "string" ? raw["methodology"] : undefined;
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  let framework: Framework | undefined;
  if (frameworkId !== undefined) {
    const loaded = registry.framework(frameworkId);
    framework = loaded.value;
    diagnostics.push(
      ...loaded.diagnostics.map((d) =>
        d.code === "unknown-framework" ? { ...d, file: source.file, pointer: "/framework/id" } : d,
      ),
    );
  }
  const scale = methodology === undefined ? undefined : ratingScaleFor(methodology, registry.ratingScales());
  const checked = checkAssessment(raw, { framework, scale, file: source.file });
  diagnostics.push(...checked.diagnostics.map((d) => relocate(d, source)), ...registry.diagnostics);
  return {
    ...(checked.assessment && framework && scale ? { assessment: checked.assessment, framework, scale } : {}),
    diagnostics,
  };
}

function relocate(d: Diagnostic, source: AssessmentSource): Diagnostic {
  if (d.pointer === undefined || !source.locate || d.file !== source.file) return d;
  const place = source.locate(d.pointer);
  return place ? { ...d, ...place } : d;
}
