import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { EVIDENCE_CSV, SCORES_CSV, readTableFile } from "./csv/assessment-csv.js";
import { type Diagnostic, appendAll } from "../diagnostics/diagnostic.js";
import type { Framework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import { ASSESSMENT_FILE, type AssessmentSource, type PreparedAssessment, assembleSource, prepareSource, relocate } from "./assessment-source.js";
import { symlinkOutside } from "./confine.js";
import { readJsonDocument } from "./json.js";
import { type PreparedSurvey, SURVEY_FILE, hasSurvey, prepareSurvey } from "./survey-files.js";
import { type Registry, display } from "./registry.js";

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
  if (!isDir && ext !== ".json") {
    return { file: display(path), diagnostics: [{ file: display(path), code: "unsupported-file", severity: "error", message: `${display(path)}: give an assessment folder, its assessment.json or its scores.csv.` }] };
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
  if (!read.ok || folder === undefined) return assembleSource(shown, read, []);
  const tables = TABLES.filter(({ name }) => existsSync(join(folder, name))).map(({ kind, name }) => {
    const csv = join(folder, name);
    return { kind, shown: display(csv), table: readTableFile(kind, csv, display(csv)) };
  });
  const source = assembleSource(shown, read, tables);
  return source.raw === undefined ? source : { ...source, folder };
}

/** Reads, resolves its framework and rating scale, and checks an assessment: everything `score` needs. */
export function prepareAssessment(path: string, registry: Registry): PreparedAssessment {
  const source = readAssessmentSource(path);
  const folder = source.folder;
  return prepareSource(source, registry, folder !== undefined && hasSurvey(folder)
    ? (raw, framework, diagnostics) => addSurveyEvidence(raw, source, folder, framework, diagnostics)
    : undefined);
}

export { ASSESSMENT_FILE, type AssessmentSource, type PreparedAssessment };

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

