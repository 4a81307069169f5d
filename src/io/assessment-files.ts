import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { checkAssessment } from "../assessment/check.js";
import type { Assessment } from "../assessment/schema.js";
import { type Diagnostic, type Location, appendAll } from "../diagnostics/diagnostic.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import type { RatingScale } from "../rating/schema.js";
import { EVIDENCE_CSV, SCORES_CSV, readTableFile } from "./csv/assessment-csv.js";
import { symlinkOutside } from "./confine.js";
import { readJsonDocument } from "./json.js";
import { type PreparedSurvey, SURVEY_FILE, hasSurvey, prepareSurvey } from "./survey-files.js";
import type { AssessmentSource } from "./assessment-source.js";
import { type Registry, display } from "./registry.js";

export type { AssessmentSource } from "./assessment-source.js";

export const ASSESSMENT_FILE = "assessment.json";

/** File endings of the workbooks read as assessments (`src/io/workbook/`). */
export const WORKBOOK_EXTENSIONS = [".xlsx", ".xlsm"] as const;
export const isWorkbookPath = (path: string): boolean => (WORKBOOK_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());

/**
 * The one entry point that reads an assessment of any kind: a workbook (.xlsx; the workbook library
 * is loaded only then), or anything `readAssessmentSource` reads (a folder, its assessment.json,
 * its scores.csv, another JSON file).
 */
export async function readAssessment(path: string): Promise<AssessmentSource> {
  if (isWorkbookPath(path) && isFile(path)) {
    const { readWorkbook } = await import("./workbook/read.js");
    return readWorkbook(path, display(path));
  }
  return readAssessmentSource(path);
}

/** `prepareAssessment` for an assessment of any kind, a workbook included (see `readAssessment`). */
export async function loadAssessment(path: string, registry: Registry): Promise<PreparedAssessment> {
  return prepareSource(await readAssessment(path), registry);
}

/**
 * Reads an assessment from a folder, its assessment.json, its scores.csv, or another JSON file.
 *
 * A folder (or its assessment.json, or its scores.csv or evidence.csv) is read as assessment.json
 * plus, when present beside it, scores.csv for `judgements` and evidence.csv for `evidence`
 * (`src/io/csv/assessment-csv.ts`). assessment.json must then not also hold a non-empty list of
 * the same (`duplicate-source`). `locate` points diagnostics about the CSV rows at their cells.
 * Without CSV files, and for a JSON file of any other name, only the JSON is read.
 *
 * `raw` is undefined when the assessment cannot be assembled: assessment.json unreadable, a CSV
 * file that is not a readable table (`invalid-csv`, `missing-column`) or `duplicate-source`.
 */
export function readAssessmentSource(path: string): AssessmentSource {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return { file: display(path), diagnostics: [{ file: display(path), code: "file-not-found", severity: "error", message: `${display(path)} does not exist.` }] };
  }
  const ext = extname(path).toLowerCase();
  if (!isDir && ext === ".csv" && [SCORES_CSV, EVIDENCE_CSV].includes(basename(path).toLowerCase())) {
    return readFolder(dirname(path), join(dirname(path), ASSESSMENT_FILE));
  }
  if (!isDir && isWorkbookPath(path)) {
    return { file: display(path), diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error", message: `${display(path)} is a workbook: read it with readAssessment() or loadAssessment(), which load the workbook library.` }] };
  }
  if (!isDir && ext === ".ods") {
    return { file: display(path), diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error",
      message: `${display(path)} is an OpenDocument spreadsheet, which is not read: save it as an Excel workbook (.xlsx), e.g. with "soffice --headless --convert-to xlsx ${display(path)}".` }] };
  }
  if (!isDir && ext !== ".json") {
    return { file: display(path), diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error", message: `${display(path)}: give an assessment folder, its assessment.json, its scores.csv or an assessment workbook (.xlsx).` }] };
  }
  if (isDir) return readFolder(path, join(path, ASSESSMENT_FILE));
  if (basename(path) === ASSESSMENT_FILE) return readFolder(dirname(path), path);
  return readFolder(undefined, path);
}

const TABLES = [
  { kind: "judgements", name: SCORES_CSV },
  { kind: "evidence", name: EVIDENCE_CSV },
] as const;

/**
 * assessment.json of a folder, with scores.csv and evidence.csv merged in when they are there
 * (no folder: the JSON file alone). Diagnostics about the JSON get its line and column.
 */
function readFolder(folder: string | undefined, file: string): AssessmentSource {
  const shown = display(file);
  const outside = folder === undefined ? [] : [file, ...TABLES.map(({ name }) => join(folder, name))].flatMap((f) => symlinkOutside(f, folder) ?? []);
  if (outside.length > 0) return { file: shown, diagnostics: outside };
  const read = readJsonDocument(file, shown);
  if (!read.ok) return { file: shown, diagnostics: read.diagnostics };
  const doc = read.value;
  const tables = folder === undefined ? [] : TABLES.filter(({ name }) => existsSync(join(folder, name)));
  const inCsv = (pointer: string) => tables.some(({ kind }) => pointer === `/${kind}` || pointer.startsWith(`/${kind}/`));
  const jsonLocate = (pointer: string): Location | undefined => (inCsv(pointer) ? undefined : doc.locate(pointer));
  const diagnostics: Diagnostic[] = [...doc.duplicateKeys];
  if (folder !== undefined) {
    for (const name of workbooksIn(folder)) {
      diagnostics.push({ file: display(join(folder, name)), code: "workbook-not-read", severity: "warning",
        message: `${display(join(folder, name))} is beside ${shown} but is not read: an assessment is either the folder (assessment.json with scores.csv and evidence.csv) or one workbook. Give the workbook itself ("mopan validate ${display(join(folder, name))}"), or move it away.` });
    }
  }
  if (tables.length === 0 || !isRecord(doc.value) || folder === undefined) {
    return { raw: doc.value, file: shown, locate: jsonLocate, diagnostics, ...(folder === undefined ? {} : { folder }) };
  }
  const raw: Record<string, unknown> = { ...doc.value };
  const locators: ((pointer: string) => Location | undefined)[] = [];
  let usable = true;
  for (const { kind, name } of tables) {
    const csv = join(folder, name);
    const table = readTableFile(kind, csv, display(csv));
    appendAll(diagnostics, table.diagnostics);
    locators.push(table.locate);
    usable &&= table.ok;
    const inJson = raw[kind];
    if (inJson !== undefined && !(Array.isArray(inJson) && inJson.length === 0)) {
      diagnostics.push({ file: shown, pointer: `/${kind}`, ...doc.locate(`/${kind}`), code: "duplicate-source", severity: "error",
        message: `${shown} holds ${Array.isArray(inJson) ? `${inJson.length} ` : ""}"${kind}" and ${display(csv)} defines them too. ${display(csv)} would win, as the file a spreadsheet edits, but the ${kind} in ${shown} would then be lost without a word, so neither is read: keep them in one place (remove "${kind}" from the JSON, or the CSV file; "mopan import csv" merges them first).` });
      usable = false;
    }
    raw[kind] = table.items;
  }
  const locate = (pointer: string) => locators.reduce<Location | undefined>((found, l) => found ?? l(pointer), undefined) ?? jsonLocate(pointer);
  return usable ? { raw, file: shown, locate, diagnostics, folder } : { file: shown, locate, diagnostics };
}

export interface PreparedAssessment {
  readonly assessment?: Assessment;
  readonly framework?: Framework;
  readonly scale?: RatingScale;
  /** The partner survey, when the folder declares one (survey.json): its statistics and derived evidence. */
  readonly survey?: PreparedSurvey;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads, resolves its framework and rating scale, and checks an assessment: everything `score` needs. */
export function prepareAssessment(path: string, registry: Registry): PreparedAssessment {
  return prepareSource(readAssessmentSource(path), registry);
}

/** Resolves the framework and rating scale of an assessment read from any source, and checks it. */
export function prepareSource(source: AssessmentSource, registry: Registry): PreparedAssessment {
  if (source.raw === undefined) return { diagnostics: source.diagnostics };
  const raw = source.raw;
  const frameworkId = isRecord(raw) && isRecord(raw["framework"]) && typeof raw["framework"]["id"] === "string" ? raw["framework"]["id"] : undefined;
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  let framework: Framework | undefined;
  if (frameworkId !== undefined) {
    const loaded = registry.framework(frameworkId);
    framework = loaded.value;
    diagnostics.push(
      ...loaded.diagnostics.map((d) =>
        d.code === "unknown-framework" ? relocate({ ...d, file: source.file, pointer: "/framework/id" }, source) : d,
      ),
    );
  }
  const placeOf = (pointer: string): string | undefined => {
    const place = source.locate?.(pointer);
    if (place?.cell !== undefined) return place.cell;
    return place?.line !== undefined && place.file !== undefined && place.file !== source.file ? `${place.file} line ${place.line}` : undefined;
  };
  const withSurvey = source.folder !== undefined && hasSurvey(source.folder) ? addSurveyEvidence(raw, source, source.folder, framework, diagnostics) : { raw };
  const checked = checkAssessment(withSurvey.raw, { framework, scales: registry.ratingScales(), file: source.file, placeOf });
  const { scale } = checked;
  appendAll(diagnostics, checked.diagnostics.map((d) => relocate(d, source)));
  appendAll(diagnostics, registry.diagnostics);
  return {
    ...(checked.assessment && framework && scale ? { assessment: checked.assessment, framework, scale } : {}),
    ...(withSurvey.survey ? { survey: withSurvey.survey } : {}),
    diagnostics,
  };
}

function workbooksIn(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => isWorkbookPath(name) && !name.startsWith("~$") && !name.startsWith(".")).sort();
  } catch {
    return [];
  }
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The assessment with the evidence derived from its partner survey appended: derived every time
 * from the responses, so scoring treats it like any other evidence. Evidence that carries a
 * `derivation` in the files was copied by hand and is refused.
 */
function addSurveyEvidence(raw: unknown, source: AssessmentSource, folder: string, framework: Framework | undefined, diagnostics: Diagnostic[]): { raw: unknown; survey?: PreparedSurvey } {
  const listed = isRecord(raw) ? raw["evidence"] : undefined;
  if (Array.isArray(listed)) {
    listed.forEach((e, i) => {
      if (isRecord(e) && "derivation" in e) {
        diagnostics.push(relocate({ file: source.file, pointer: `/evidence/${i}/derivation`, code: "derivation-by-hand", severity: "error",
          message: `Evidence "${String(e["id"])}" carries a derivation: survey evidence is derived from the responses on every run (${SURVEY_FILE}), never copied into the files. Remove the entry.` }, source));
      }
    });
  }
  if (!framework || !isRecord(raw) || (listed !== undefined && !Array.isArray(listed))) return { raw };
  const prepared = prepareSurvey(folder, framework);
  appendAll(diagnostics, prepared.diagnostics);
  if (!prepared.survey) return { raw };
  return { raw: { ...raw, evidence: [...(listed ?? []), ...prepared.survey.derived.evidence] }, survey: prepared.survey };
}

function relocate(d: Diagnostic, source: AssessmentSource): Diagnostic {
  if (d.pointer === undefined || !source.locate || d.file !== source.file) return d;
  const place = source.locate(d.pointer);
  return place ? { ...d, ...place } : d;
}
