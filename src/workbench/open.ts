import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ASSESSMENT_FILE, type PreparedAssessment, type ReadTable, assembleSource, prepareAssembled } from "../io/assessment-source.js";
import { EVIDENCE_CSV, SCORES_CSV, tableFromCsv } from "../io/csv/assessment-csv.js";
import { jsonDocumentFromText } from "../io/json.js";
import { LIMITS } from "../text/limits.js";
import { decodeText } from "../io/text-encoding.js";
import { WORKBOOK_EXTENSIONS } from "../io/workbook/layout.js";
import { type LoadedWorkbook, assembleWorkbook } from "../io/workbook/read.js";
import type { MemoryCatalog, TextFile } from "./catalog.js";

/** A file the user gave, as bytes, with its name (a folder's files carry their path in it). */
export interface GivenFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface Opened extends PreparedAssessment {
  /** The name diagnostics give the assessment. */
  readonly file: string;
}

/** `SURVEY_FILE` of src/io/survey-files.ts, which reads files and cannot be bundled for the browser. */
const SURVEY_FILE = "survey.json";

const baseName = (name: string): string => name.slice(name.lastIndexOf("/") + 1);

/**
 * Bytes to text as the CLI reads files: within the size limit, decoded by the CLI's `decodeText`
 * (UTF-8, UTF-16 with a BOM, or Windows-1252 with a warning).
 */
export function decode(file: GivenFile): { text?: string; diagnostics: Diagnostic[] } {
  if (file.bytes.length > LIMITS.fileSize.max) {
    return {
      diagnostics: [
        {
          file: file.name,
          code: LIMITS.fileSize.code,
          severity: "error",
          message: `${file.name} is ${file.bytes.length} bytes; the limit is ${LIMITS.fileSize.max} bytes (32 MB). The file is not read.`,
        },
      ],
    };
  }
  const decoded = decodeText(file.bytes, file.name);
  return decoded.ok ? { text: decoded.text, diagnostics: decoded.warnings } : { diagnostics: decoded.diagnostics };
}

/** The workbook given, when what the user gave is one workbook (an .xlsx or .xlsm file) and no JSON file. */
export function givenWorkbook(files: readonly GivenFile[]): GivenFile | undefined {
  const workbooks = files.filter((f) => isWorkbookName(f.name));
  return workbooks.length === 1 && !files.some((f) => /\.json$/i.test(f.name)) ? workbooks[0] : undefined;
}

const isWorkbookName = (name: string): boolean => WORKBOOK_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

/**
 * Opens a workbook as `mopan` reads one (`readWorkbookBytes`): `load` unpacks it into its sheets
 * with `loadWorkbookSheets` (in the page's workbook worker), and `assembleWorkbook` reads them.
 */
export async function openWorkbook(file: GivenFile, catalog: MemoryCatalog, load: (file: GivenFile) => Promise<LoadedWorkbook>): Promise<Opened> {
  const loaded = await load(file);
  const source = "failed" in loaded ? loaded.failed : assembleWorkbook(loaded.sheets, file.name);
  return { ...prepareAssembled(source, catalog), file: file.name };
}

/**
 * Opens what the user gave as `readAssessmentSource` reads a path: a folder's assessment.json
 * with its scores.csv and evidence.csv, or one JSON file alone. Only the files at the top of a
 * folder count.
 */
export function openAssessment(files: readonly GivenFile[], catalog: MemoryCatalog): Opened {
  const fail = (message: string, code = "unsupported-file"): Opened => ({ file: files[0]?.name ?? "(nothing)", diagnostics: [{ code, severity: "error", message }] });
  const depth = (f: GivenFile) => f.name.split("/").length;
  const top = Math.min(...files.map(depth));
  const shallow = files.filter((f) => depth(f) === top);
  const named = (name: string) => shallow.find((f) => baseName(f.name).toLowerCase() === name);
  const json = named(ASSESSMENT_FILE) ?? (shallow.filter((f) => /\.json$/i.test(f.name)).length === 1 ? shallow.find((f) => /\.json$/i.test(f.name)) : undefined);
  if (!json) {
    return fail("Give an assessment folder (assessment.json, with scores.csv and evidence.csv if it has them), one assessment JSON file, or one assessment workbook (.xlsx).");
  }
  const decoded = decode(json);
  if (decoded.text === undefined) return { file: json.name, diagnostics: decoded.diagnostics };
  const read = jsonDocumentFromText(decoded.text, json.name);
  const tables: ReadTable[] = [];
  const diagnostics: Diagnostic[] = [];
  diagnostics.push(...decoded.diagnostics);
  if (baseName(json.name) === ASSESSMENT_FILE) {
    for (const [kind, name] of [
      ["judgements", SCORES_CSV],
      ["evidence", EVIDENCE_CSV],
    ] as const) {
      const csv = named(name);
      if (!csv) continue;
      const text = decode(csv);
      diagnostics.push(...text.diagnostics);
      const table = text.text === undefined ? { items: [], locate: () => undefined, diagnostics: [], ok: false } : tableFromCsv(kind, text.text, csv.name);
      tables.push({ kind, shown: csv.name, table });
    }
  }
  const survey = named(SURVEY_FILE);
  if (survey) {
    diagnostics.push({
      file: survey.name,
      code: "survey-not-read",
      severity: "warning",
      message: `The workbench does not read partner surveys yet: the evidence derived from ${survey.name} is left out, so scores can differ from "mopan score" of the folder.`,
    });
  }
  const source = assembleSource(json.name, read, tables);
  const prepared = prepareAssembled({ ...source, diagnostics: [...diagnostics, ...source.diagnostics] }, catalog);
  return { ...prepared, file: json.name };
}

/** A framework or rating-scale file the user adds. */
export function addFrameworkFile(file: GivenFile, catalog: MemoryCatalog): { message?: string; diagnostics: Diagnostic[] } {
  const decoded = decode(file);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  const text: TextFile = { name: file.name, text: decoded.text };
  const added = catalog.add(text);
  return { ...(added.id ? { message: `Added ${added.kind} "${added.id}" from ${file.name}.` } : {}), diagnostics: added.diagnostics };
}
