import { EVIDENCE_COLUMNS, SCORE_COLUMNS } from "../csv/assessment-csv.js";

/** File endings of the workbooks read as assessments. */
export const WORKBOOK_EXTENSIONS = [".xlsx", ".xlsm"] as const;

/**
 * The layout of an assessment workbook (.xlsx), shared by its writer and reader. One workbook is a
 * whole assessment:
 *
 * - "Read me": how to fill it in (not read back);
 * - "Assessment": the metadata, one row per field (`field`, `value`), with dotted paths for nested
 *   fields (`organisation.name`, `period.from`) and 1-based positions for lists (`assessors.1.name`,
 *   `context.institutionalLeads.2`);
 * - "Scores": one row per element and results MI, under heading rows for each performance area, KPI
 *   and element-scored MI (`level` says which; headings are not read), with the columns of scores.csv;
 * - "Evidence": one row per evidence entry, with the columns of evidence.csv;
 * - "Confidence": the assessors' stated confidence per MI (`mi`, `confidence`);
 * - "Published": scores and ratings as a published report printed them (`level`, `id`, `score`, `rating`);
 * - "Lists": the values the drop-downs offer (hidden; not read back).
 *
 * Columns are found by their header names (matched like CSV headers), so they may be reordered;
 * columns with other names (an assessor's notes) are ignored.
 */
export const SHEETS = {
  readMe: "Read me",
  metadata: "Assessment",
  scores: "Scores",
  evidence: "Evidence",
  confidence: "Confidence",
  published: "Published",
  lists: "Lists",
} as const;

export const METADATA_COLUMNS = ["field", "value", "note"] as const;
/** `level` first, then the columns of scores.csv, then what the export computed (not read back). */
export const SCORES_SHEET_COLUMNS = ["level", ...SCORE_COLUMNS, "computed_score", "computed_rating"] as const;
export const EVIDENCE_SHEET_COLUMNS = EVIDENCE_COLUMNS;
export const CONFIDENCE_COLUMNS = ["mi", "title", "confidence"] as const;
export const PUBLISHED_COLUMNS = ["level", "id", "score", "rating"] as const;

/** `level` of the heading rows of the Scores sheet: shown for grouping, never read as judgements. */
export const HEADING_LEVELS = ["PA", "KPI", "MI"] as const;
export const JUDGEMENT_LEVELS = { element: "element", resultsMi: "results MI" } as const;

/** A published score given as null ("no score printed") is the text `null` in its cell. */
export const NULL_TEXT = "null";

/** Excel's and LibreOffice's limit on the characters of one cell. */
export const MAX_CELL_CHARACTERS = 32_767;

/** Spreadsheet column letters of a 1-based column number: 1 -> A, 28 -> AB. */
export function columnLetters(column: number): string {
  let out = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** A cell as diagnostics name it: `Scores!C17`. */
export const cellName = (sheet: string, row: number, column: number): string => `${/^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replaceAll("'", "''")}'`}!${columnLetters(column)}${row}`;
