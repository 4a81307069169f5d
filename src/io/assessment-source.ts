import { checkAssessment } from "../assessment/check.js";
import type { Assessment } from "../assessment/schema.js";
import { type Diagnostic, type Location, appendAll } from "../diagnostics/diagnostic.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import type { RatingScale } from "../rating/schema.js";
import type { TableKind, TableRead } from "./csv/assessment-csv.js";
import type { JsonDocument, Read } from "./json.js";
import type { PreparedSurvey } from "./survey-files.js";

/**
 * How an assessment is put together from what was read (files on disk, or texts in a browser),
 * with no file access of its own: `assessment-files.ts` reads files into it, the workbench reads
 * texts into it.
 */

export const ASSESSMENT_FILE = "assessment.json";

/** An assessment's raw data as read, and how to point back into the files it came from. */
export interface AssessmentSource {
  readonly raw?: unknown;
  /** The file named in diagnostics whose pointer `locate` does not map. */
  readonly file: string;
  /** Maps a JSON pointer into the assembled assessment to a place in a source file (CSV line and column). */
  readonly locate?: (pointer: string) => Location | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The assessment folder, when the assessment was read from one. */
  readonly folder?: string;
}

/** scores.csv or evidence.csv as read, with the name diagnostics give it. */
export interface ReadTable {
  readonly kind: TableKind;
  readonly shown: string;
  readonly table: TableRead;
}

/**
 * assessment.json with its tables merged in (none: the JSON alone). assessment.json must then not
 * also hold a non-empty list of the same (`duplicate-source`). `raw` is undefined when the
 * assessment cannot be assembled: the JSON unreadable, a table that is not a readable table, or
 * `duplicate-source`.
 */
export function assembleSource(shown: string, read: Read<JsonDocument>, tables: readonly ReadTable[], notes: readonly Diagnostic[] = []): AssessmentSource {
  if (!read.ok) return { file: shown, diagnostics: read.diagnostics };
  const doc = read.value;
  const inCsv = (pointer: string) => tables.some(({ kind }) => pointer === `/${kind}` || pointer.startsWith(`/${kind}/`));
  const jsonLocate = (pointer: string): Location | undefined => (inCsv(pointer) ? undefined : doc.locate(pointer));
  const diagnostics: Diagnostic[] = [...doc.duplicateKeys, ...notes];
  if (tables.length === 0 || !isRecord(doc.value)) {
    return { raw: doc.value, file: shown, locate: jsonLocate, diagnostics };
  }
  const raw: Record<string, unknown> = { ...doc.value };
  const locators: ((pointer: string) => Location | undefined)[] = [];
  let usable = true;
  for (const { kind, shown: csv, table } of tables) {
    appendAll(diagnostics, table.diagnostics);
    locators.push(table.locate);
    usable &&= table.ok;
    const inJson = raw[kind];
    if (inJson !== undefined && !(Array.isArray(inJson) && inJson.length === 0)) {
      diagnostics.push({
        file: shown,
        pointer: `/${kind}`,
        ...doc.locate(`/${kind}`),
        code: "duplicate-source",
        severity: "error",
        message: `${shown} holds ${Array.isArray(inJson) ? `${inJson.length} ` : ""}"${kind}" and ${csv} defines them too. ${csv} would win, as the file a spreadsheet edits, but the ${kind} in ${shown} would then be lost without a word, so neither is read: keep them in one place (remove "${kind}" from the JSON, or the CSV file; "mopan import csv" merges them first).`,
      });
      usable = false;
    }
    raw[kind] = table.items;
  }
  const locate = (pointer: string) => locators.reduce<Location | undefined>((found, l) => found ?? l(pointer), undefined) ?? jsonLocate(pointer);
  return usable ? { raw, file: shown, locate, diagnostics } : { file: shown, locate, diagnostics };
}

export interface PreparedAssessment {
  readonly assessment?: Assessment;
  readonly framework?: Framework;
  readonly scale?: RatingScale;
  /** The partner survey, when the folder declares one (survey.json): its statistics and derived evidence. */
  readonly survey?: PreparedSurvey;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Adds evidence from elsewhere to the raw assessment before it is checked (the partner survey of
 * a folder), reporting its problems into `diagnostics`.
 */
export type AddEvidence = (raw: unknown, framework: Framework | undefined, diagnostics: Diagnostic[]) => { raw: unknown; survey?: PreparedSurvey };

/** Where frameworks and rating scales come from: the file `Registry`, or the workbench's embedded ones. */
export interface FrameworkCatalog {
  framework(id: string): { value?: Framework; diagnostics: readonly Diagnostic[] };
  ratingScales(): RatingScale[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The framework id raw assessment data names (`framework.id`), if it names one. */
export const frameworkIdOf = (raw: unknown): string | undefined => (isRecord(raw) && isRecord(raw["framework"]) && typeof raw["framework"]["id"] === "string" ? raw["framework"]["id"] : undefined);

/** Resolves an assembled assessment's framework and rating scale, and checks it: everything `score` needs. */
export function prepareAssembled(source: AssessmentSource, catalog: FrameworkCatalog, addEvidence?: AddEvidence): PreparedAssessment {
  if (source.raw === undefined) return { diagnostics: source.diagnostics };
  const raw = source.raw;
  const frameworkId = frameworkIdOf(raw);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  let framework: Framework | undefined;
  if (frameworkId !== undefined) {
    const loaded = catalog.framework(frameworkId);
    framework = loaded.value;
    diagnostics.push(...loaded.diagnostics.map((d) => (d.code === "unknown-framework" ? relocate({ ...d, file: source.file, pointer: "/framework/id" }, source) : d)));
  }
  const placeOf = (pointer: string): string | undefined => {
    const place = source.locate?.(pointer);
    if (place?.cell !== undefined) return place.cell;
    return place?.line !== undefined && place.file !== undefined && place.file !== source.file ? `${place.file} line ${place.line}` : undefined;
  };
  const added = addEvidence ? addEvidence(raw, framework, diagnostics) : { raw };
  const checked = checkAssessment(added.raw, { framework, scales: catalog.ratingScales(), file: source.file, placeOf });
  const { scale } = checked;
  appendAll(
    diagnostics,
    checked.diagnostics.map((d) => relocate(d, source)),
  );
  appendAll(diagnostics, catalog.diagnostics);
  return {
    ...(checked.assessment && framework && scale ? { assessment: checked.assessment, framework, scale } : {}),
    ...(added.survey ? { survey: added.survey } : {}),
    diagnostics,
  };
}

/** A diagnostic about the assembled assessment, pointed at its place in the file it came from. */
export function relocate(d: Diagnostic, source: AssessmentSource): Diagnostic {
  if (d.pointer === undefined || !source.locate || d.file !== source.file) return d;
  const place = source.locate(d.pointer);
  return place ? { ...d, ...place } : d;
}
