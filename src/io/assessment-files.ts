import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { type Diagnostic, appendAll } from "../diagnostics/diagnostic.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import { ASSESSMENT_FILE, type AssessmentSource, type PreparedAssessment, assembleSource, prepareAssembled, relocate } from "./assessment-source.js";
import { EVIDENCE_CSV, SCORES_CSV, readTableFile } from "./csv/assessment-csv.js";
import { symlinkOutside } from "./confine.js";
import { readJsonDocument } from "./json.js";
import { type PreparedSurvey, SURVEY_FILE, hasSurvey, prepareSurvey } from "./survey-files.js";
import { type Registry, display } from "./registry.js";
import { WORKBOOK_EXTENSIONS } from "./workbook/layout.js";

export { WORKBOOK_EXTENSIONS };
export const isWorkbookPath = (path: string): boolean => (WORKBOOK_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());

/**
 * The one entry point that reads an assessment of any kind: a workbook (.xlsx; the workbook library
 * is loaded only then), or anything `readAssessmentSource` reads (a folder, its assessment.json,
 * its scores.csv, another JSON file).
 */
export async function readAssessment(path: string): Promise<AssessmentSource> {
  if (isWorkbookPath(path) && isFile(path)) {
    const { readWorkbook } = await import("./workbook/read-file.js");
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
    return unsupported(path, `${display(path)} is a workbook: read it with readAssessment() or loadAssessment(), which load the workbook library.`);
  }
  if (!isDir && ext === ".ods") {
    return unsupported(
      path,
      `${display(path)} is an OpenDocument spreadsheet, which is not read: save it as an Excel workbook (.xlsx), e.g. with "soffice --headless --convert-to xlsx ${display(path)}".`,
    );
  }
  if (!isDir && ext !== ".json") {
    return unsupported(path, `${display(path)}: give an assessment folder, its assessment.json, its scores.csv or an assessment workbook (.xlsx).`);
  }
  if (isDir) return readFolder(path, join(path, ASSESSMENT_FILE));
  if (basename(path) === ASSESSMENT_FILE) return readFolder(dirname(path), path);
  return readFolder(undefined, path);
}

const unsupported = (path: string, message: string): AssessmentSource => ({
  file: display(path),
  diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error", message }],
});

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
  if (!read.ok || folder === undefined) return assembleSource(shown, read, []);
  const notes: Diagnostic[] = workbooksIn(folder).map((name) => ({
    file: display(join(folder, name)),
    code: "workbook-not-read",
    severity: "warning",
    message: `${display(join(folder, name))} is beside ${shown} but is not read: an assessment is either the folder (assessment.json with scores.csv and evidence.csv) or one workbook. Give the workbook itself ("mopan validate ${display(join(folder, name))}"), or move it away.`,
  }));
  const tables = TABLES.filter(({ name }) => existsSync(join(folder, name))).map(({ kind, name }) => {
    const csv = join(folder, name);
    return { kind, shown: display(csv), table: readTableFile(kind, csv, display(csv)) };
  });
  const source = assembleSource(shown, read, tables, notes);
  return source.raw === undefined ? source : { ...source, folder };
}

/** Reads, resolves its framework and rating scale, and checks an assessment: everything `score` needs. */
export function prepareAssessment(path: string, registry: Registry): PreparedAssessment {
  return prepareSource(readAssessmentSource(path), registry);
}

/**
 * Resolves the framework and rating scale of an assessment read from any source, and checks it;
 * a folder's partner survey (survey.json) adds its derived evidence first.
 */
export function prepareSource(source: AssessmentSource, registry: Registry): PreparedAssessment {
  const folder = source.folder;
  return prepareAssembled(source, registry, folder !== undefined && hasSurvey(folder) ? (raw, framework, diagnostics) => addSurveyEvidence(raw, source, folder, framework, diagnostics) : undefined);
}

function workbooksIn(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => isWorkbookPath(name) && !name.startsWith("~$") && !name.startsWith("."))
      .sort();
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
        diagnostics.push(
          relocate(
            {
              file: source.file,
              pointer: `/evidence/${i}/derivation`,
              code: "derivation-by-hand",
              severity: "error",
              message: `Evidence "${String(e["id"])}" carries a derivation: survey evidence is derived from the responses on every run (${SURVEY_FILE}), never copied into the files. Remove the entry.`,
            },
            source,
          ),
        );
      }
    });
  }
  if (!framework || !isRecord(raw) || (listed !== undefined && !Array.isArray(listed))) return { raw };
  const prepared = prepareSurvey(folder, framework);
  appendAll(diagnostics, prepared.diagnostics);
  if (!prepared.survey) return { raw };
  return { raw: { ...raw, evidence: [...(listed ?? []), ...prepared.survey.derived.evidence] }, survey: prepared.survey };
}

export { ASSESSMENT_FILE, type AssessmentSource, type PreparedAssessment };
