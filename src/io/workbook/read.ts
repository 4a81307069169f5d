import { type Diagnostic, type Location, appendAll } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../framework/tree.js";
import { fromTable } from "../csv/assessment-csv.js";
import { type CsvCell, type CsvPosition, type CsvRow, type CsvTable, columnKey } from "../../text/csv-read.js";
import { LIMITS } from "../../text/limits.js";
import type { AssessmentSource } from "../assessment-source.js";
import { loadExcelJs } from "./exceljs.js";
import { CONFIDENCE_COLUMNS, EVIDENCE_SHEET_COLUMNS, HEADING_LEVELS, METADATA_COLUMNS, NULL_TEXT, PUBLISHED_COLUMNS, SCORES_SHEET_COLUMNS, SHEETS, cellName } from "./layout.js";
import { unflattenMetadata } from "./metadata.js";
import { zipEntries } from "./zip.js";

/**
 * Bounds of a workbook beyond those of any input file (`LIMITS.fileSize`): an .xlsx is a ZIP
 * archive, and a small archive can unpack to gigabytes, so its unpacked size is checked from the
 * archive's directory before anything is unpacked.
 */
export const WORKBOOK_LIMITS = {
  unpacked: { code: "workbook-too-large", max: 256 * 1024 * 1024, unit: "bytes unpacked" },
  rows: { code: LIMITS.csvRows.code, max: LIMITS.csvRows.max, unit: "rows" },
  columns: { code: LIMITS.csvColumns.code, max: LIMITS.csvColumns.max, unit: "columns" },
} as const;

/**
 * A sheet as plain data: each non-empty row's cell values as exceljs gives them (text, numbers,
 * dates, rich text, formulas with their saved value). It can be passed to a Web Worker and back, so
 * the workbench loads workbooks in one.
 */
export interface SheetData {
  readonly name: string;
  readonly rowCount: number;
  readonly columnCount: number;
  readonly rows: readonly { readonly number: number; readonly values: readonly unknown[] }[];
}

/** A workbook's sheets, or why the bytes cannot be read as one. */
export type LoadedWorkbook = { readonly sheets: readonly SheetData[] } | { readonly failed: AssessmentSource };

/** A cell's content as the engine reads it: text (numbers, dates and formula results turned into text), or a problem. */
interface CellText {
  readonly text: string;
  /** The cell held a number (or a formula whose value is one). */
  readonly number?: number;
  readonly problem?: string;
}

/** The message of a workbook over the size limit of every input file. */
const tooLarge = (shown: string, size: number): string => `${shown} is ${size} bytes; the limit is ${LIMITS.fileSize.max} bytes (32 MB). The file is not read.`;

/**
 * Reads an assessment workbook's bytes (see `layout.ts`; `read-file.ts` reads one from a path, the
 * workbench from what the user gives) into the raw assessment data, the same as a folder's assessment.json with its CSV tables gives, and `locate`s every JSON pointer at its
 * cell (`Scores!C17`). Formulas are never evaluated: a formula cell is read by the value the
 * spreadsheet program saved with it. Hidden rows and sheets are read like any other.
 */
export async function readWorkbookBytes(bytes: Uint8Array, shown: string): Promise<AssessmentSource> {
  const loaded = await loadWorkbookSheets(bytes, shown);
  return "failed" in loaded ? loaded.failed : assembleWorkbook(loaded.sheets, shown);
}

/** The first half of `readWorkbookBytes`: the archive checked, unpacked by the workbook library, its sheets as data. */
export async function loadWorkbookSheets(bytes: Uint8Array, shown: string): Promise<LoadedWorkbook> {
  const fail = (code: string, message: string): LoadedWorkbook => ({
    failed: { file: shown, diagnostics: [{ file: shown, code, severity: "error", message }] },
  });
  if (bytes.length > LIMITS.fileSize.max) return fail(LIMITS.fileSize.code, tooLarge(shown, bytes.length));
  const zip = zipEntries(bytes);
  if ("problem" in zip) return fail("invalid-workbook", `${shown} is not a workbook that can be read: ${zip.problem}. Save it as an Excel workbook (.xlsx).`);
  const unpacked = zip.entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (unpacked > WORKBOOK_LIMITS.unpacked.max) {
    return fail(WORKBOOK_LIMITS.unpacked.code, `${shown} unpacks to ${unpacked} bytes; the limit is ${WORKBOOK_LIMITS.unpacked.max} bytes. The file is not read.`);
  }
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    return fail("invalid-workbook", `${shown} is not a workbook that can be read (${(error as Error).message ?? "unknown error"}). Save it as an Excel workbook (.xlsx).`);
  }
  return {
    sheets: workbook.worksheets.map((ws) => {
      const rows: { number: number; values: unknown[] }[] = [];
      // A sheet over the limits is refused whole by `assembleWorkbook`; its rows are not copied.
      if (ws.rowCount <= WORKBOOK_LIMITS.rows.max && ws.columnCount <= WORKBOOK_LIMITS.columns.max) {
        ws.eachRow({ includeEmpty: false }, (row, number) => {
          const values: unknown[] = [];
          for (let c = 1; c <= ws.columnCount; c++) values.push(row.getCell(c).value);
          rows.push({ number, values });
        });
      }
      return { name: ws.name, rowCount: ws.rowCount, columnCount: ws.columnCount, rows };
    }),
  };
}

/** The second half of `readWorkbookBytes`: a workbook's sheets as an assessment source. */
export function assembleWorkbook(worksheets: readonly SheetData[], file: string): AssessmentSource {
  const diagnostics: Diagnostic[] = [];
  const sheet = (name: string) => worksheets.find((w) => w.name.trim().toLowerCase() === name.toLowerCase());
  const at = (sheetName: string, row: number, column: number): Location => ({ file, cell: cellName(sheetName, row, column) });
  /** Cells by key, in row order; a key given again is an error at its second cell, which is not read. */
  const firstOfEach = (entries: readonly (readonly [string, CsvCell])[], sheetName: string, code: string, twice: (key: string, firstRow: number) => string): Map<string, CsvCell> => {
    const cells = new Map<string, CsvCell>();
    for (const [key, cell] of entries) {
      const first = cells.get(key);
      if (first === undefined) cells.set(key, cell);
      else diagnostics.push({ ...at(sheetName, cell.line, cell.column), code, severity: "error", received: key, message: twice(key, first.line) });
    }
    return cells;
  };
  for (const ws of worksheets) {
    if (ws.rowCount > WORKBOOK_LIMITS.rows.max || ws.columnCount > WORKBOOK_LIMITS.columns.max) {
      return {
        file,
        diagnostics: [
          {
            ...at(ws.name, 1, 1),
            code: ws.rowCount > WORKBOOK_LIMITS.rows.max ? WORKBOOK_LIMITS.rows.code : WORKBOOK_LIMITS.columns.code,
            severity: "error",
            message: `Sheet "${ws.name}" has ${ws.rowCount} rows and ${ws.columnCount} columns; the limits are ${WORKBOOK_LIMITS.rows.max} rows and ${WORKBOOK_LIMITS.columns.max} columns. The file is not read.`,
          },
        ],
      };
    }
  }

  const metadataSheet = sheet(SHEETS.metadata);
  const scoresSheet = sheet(SHEETS.scores);
  const missing = [
    [SHEETS.metadata, metadataSheet],
    [SHEETS.scores, scoresSheet],
  ]
    .filter(([, s]) => s === undefined)
    .map(([name]) => name as string);
  if (missing.length > 0) {
    return {
      file,
      diagnostics: missing.map((name) => ({
        file,
        code: "missing-sheet",
        severity: "error" as const,
        expected: name,
        message: `The workbook has no "${name}" sheet (it has ${worksheets.map((w) => `"${w.name}"`).join(", ") || "none"}); write a template with "mopan init --format xlsx".`,
      })),
    };
  }
  const locators: ((pointer: string) => Location | undefined)[] = [];
  let usable = true;

  // Assessment (metadata)
  const metadataTable = readSheet(metadataSheet!, METADATA_COLUMNS, ["field", "value"], file, diagnostics);
  usable &&= metadataTable.ok;
  const fieldRows = firstOfEach(
    metadataTable.rows.flatMap((row) => {
      const field = row.cells.get("field")?.value.trim() ?? "";
      const value = row.cells.get("value");
      return field === "" || value === undefined || value.value === "" ? [] : [[field, value] as const];
    }),
    metadataSheet!.name,
    "duplicate-field",
    (field, firstRow) => `The field "${field}" is given twice (first in row ${firstRow}); only one can count.`,
  );
  const metadata = unflattenMetadata([...fieldRows].map(([field, cell]) => ({ field, value: cell.value })));
  if (!Object.hasOwn(metadata, "assessors")) metadata["assessors"] = [];
  locators.push((pointer) => {
    const field = pointer
      .split("/")
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? String(Number(s) + 1) : s.replaceAll("~1", "/").replaceAll("~0", "~")))
      .join(".");
    const exact = fieldRows.get(field);
    const below = exact ?? [...fieldRows].find(([f]) => f.startsWith(`${field}.`))?.[1];
    return below
      ? at(metadataSheet!.name, below.line, below.column)
      : pointer.startsWith("/judgements") || pointer.startsWith("/evidence") || pointer.startsWith("/statedConfidence") || pointer.startsWith("/published/kpis") || pointer.startsWith("/published/mis")
        ? undefined
        : at(metadataSheet!.name, 1, 1);
  });

  // Scores
  const scoresTable = readSheet(scoresSheet!, SCORES_SHEET_COLUMNS, ["id", "score"], file, diagnostics);
  usable &&= scoresTable.ok;
  const judgementRows = scoresTable.rows.filter((row) => {
    const level = row.cells.get("level")?.value.trim().toUpperCase() ?? "";
    const has = (name: string) => (row.cells.get(name)?.value.trim() ?? "") !== "";
    if ((HEADING_LEVELS as readonly string[]).includes(level)) {
      const score = row.cells.get("score");
      if (score && score.value.trim() !== "") {
        diagnostics.push({
          ...at(scoresSheet!.name, score.line, score.column),
          code: "ignored-cell",
          severity: "warning",
          received: score.value,
          message: `Row ${row.line} is a ${level} heading: its score is computed from the elements, and this cell is not read. Judge the elements below it.`,
        });
      }
      return false;
    }
    // A row with nothing judged (an element not judged yet, with no rationale or evidence) is no judgement.
    return has("score") || has("rationale") || has("evidence") || (has("id") && !has("title") && !has("level"));
  });
  const judgements = fromTable("judgements", { ...scoresTable, rows: judgementRows }, file);
  appendAll(diagnostics, judgements.diagnostics);
  locators.push(cellLocator(judgements.locate, scoresSheet!.name, file));

  // Evidence
  const evidenceSheet = sheet(SHEETS.evidence);
  let evidence: Record<string, unknown>[] = [];
  if (evidenceSheet) {
    const table = readSheet(evidenceSheet, EVIDENCE_SHEET_COLUMNS, ["id", "stream", "title", "elements"], file, diagnostics);
    usable &&= table.ok;
    const read = fromTable("evidence", table, file);
    appendAll(
      diagnostics,
      read.diagnostics.map((d) => toCell(d, evidenceSheet.name, file)),
    );
    evidence = read.items;
    locators.push(cellLocator(read.locate, evidenceSheet.name, file));
  }

  // Confidence
  const confidenceSheet = sheet(SHEETS.confidence);
  const statedConfidence: Record<string, unknown> = {};
  if (confidenceSheet) {
    const table = readSheet(confidenceSheet, CONFIDENCE_COLUMNS, ["mi", "confidence"], file, diagnostics);
    usable &&= table.ok;
    const confidenceCells = firstOfEach(
      table.rows.flatMap((row) => {
        const id = row.cells.get("mi")?.value.trim() ?? "";
        const cell = row.cells.get("confidence");
        return id === "" || cell === undefined || cell.value.trim() === "" ? [] : [[id, cell] as const];
      }),
      confidenceSheet.name,
      "duplicate-judgement",
      (id, firstRow) => `Confidence for "${id}" is stated twice (first in row ${firstRow}); only one can count.`,
    );
    for (const [id, cell] of confidenceCells) {
      const value = cell.value.trim();
      define(statedConfidence, id, ["high", "medium", "low"].includes(value.toLowerCase()) ? value.toLowerCase() : value);
    }
    locators.push((pointer) => {
      const m = /^\/statedConfidence\/(.+)$/.exec(pointer);
      const cell = m ? confidenceCells.get(m[1]!.replaceAll("~1", "/").replaceAll("~0", "~")) : undefined;
      return cell ? at(confidenceSheet.name, cell.line, cell.column) : undefined;
    });
  }

  // Published
  const publishedSheet = sheet(SHEETS.published);
  const published: Record<string, Record<string, unknown>> = {};
  const publishedCells = new Map<string, CsvRow>();
  if (publishedSheet) {
    const table = readSheet(publishedSheet, PUBLISHED_COLUMNS, ["level", "id"], file, diagnostics);
    usable &&= table.ok;
    for (const row of table.rows) {
      const level = row.cells.get("level")?.value.trim().toUpperCase() ?? "";
      const id = row.cells.get("id")?.value.trim() ?? "";
      if (id === "") continue;
      const key = level === "KPI" ? "kpis" : level === "MI" ? "mis" : undefined;
      const levelCell = row.cells.get("level")!;
      if (key === undefined) {
        diagnostics.push({
          ...at(publishedSheet.name, levelCell.line, levelCell.column),
          code: "invalid-cell",
          severity: "error",
          received: level,
          expected: "KPI | MI",
          message: `The level of a published figure is KPI or MI, not "${level}".`,
        });
        continue;
      }
      const entry: Record<string, unknown> = {};
      const score = row.cells.get("score")?.value.trim() ?? "";
      if (score !== "") entry["score"] = score.toLowerCase() === NULL_TEXT ? null : Number.isFinite(Number(score)) && /\d/.test(score) ? Number(score) : score;
      const rating = row.cells.get("rating")?.value.trim() ?? "";
      if (rating !== "") entry["rating"] = rating;
      published[key] ??= {};
      define(published[key]!, id, entry);
      publishedCells.set(`${key}/${id}`, row);
    }
    locators.push((pointer) => {
      const m = /^\/published\/(kpis|mis)\/([^/]+)(?:\/(score|rating))?/.exec(pointer);
      const row = m ? publishedCells.get(`${m[1]}/${m[2]!.replaceAll("~1", "/").replaceAll("~0", "~")}`) : undefined;
      const cell = row?.cells.get(m?.[3] ?? "id");
      return cell ? at(publishedSheet.name, cell.line, cell.column) : undefined;
    });
  }

  const { published: publishedMetadata, ...rest } = metadata;
  const raw: Record<string, unknown> = { ...rest, judgements: judgements.items, evidence };
  if (Object.keys(statedConfidence).length > 0) raw["statedConfidence"] = statedConfidence;
  if (publishedMetadata !== undefined || Object.keys(published).length > 0) {
    raw["published"] = { ...(isRecord(publishedMetadata) ? publishedMetadata : publishedMetadata === undefined ? {} : { value: publishedMetadata }), ...published };
  }
  const locate = (pointer: string) => locators.reduce<Location | undefined>((found, l) => found ?? l(pointer), undefined);
  return usable ? { raw, file, locate, diagnostics } : { file, locate, diagnostics };
}

const define = (target: Record<string, unknown>, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** A CSV-style locator (line = row, column = column) turned into one naming cells of a sheet. */
function cellLocator(locate: (pointer: string) => Location | undefined, sheetName: string, file: string) {
  return (pointer: string): Location | undefined => {
    const place = locate(pointer);
    return place?.line === undefined ? place : { file, cell: cellName(sheetName, place.line, place.column ?? 1) };
  };
}

function toCell(d: Diagnostic, sheetName: string, file: string): Diagnostic {
  if (d.line === undefined) return d;
  const { line, column, ...rest } = d;
  return { ...rest, file, cell: cellName(sheetName, line, column ?? 1) };
}

/**
 * A sheet as a table of named cells, the way `parseCsv` gives a CSV file: the first non-empty row
 * names the columns (matched with `columnKey`, in any order); columns of other names are an
 * assessor's own and are not read. Lines are row numbers, columns column numbers.
 */
function readSheet(ws: SheetData, known: readonly string[], required: readonly string[], file: string, diagnostics: Diagnostic[]): CsvTable {
  const at = (row: number, column: number) => ({ file, cell: cellName(ws.name, row, column) });
  const rows = ws.rows.map((row) => ({ number: row.number, cells: row.values.map(cellText) }));
  const headerRow = rows.find((r) => r.cells.some((c) => c.text.trim() !== ""));
  const failed: CsvTable = { delimiter: ";", columns: new Map(), rows: [], diagnostics: [], ok: false };
  if (!headerRow) {
    if (required.length > 0 && ws.name !== SHEETS.evidence) {
      diagnostics.push({ ...at(1, 1), code: "missing-column", severity: "error", message: `Sheet "${ws.name}" is empty; its first row must name the columns (${known.join(", ")}).` });
      return failed;
    }
    return { ...failed, ok: true };
  }
  const columns = new Map<string, CsvPosition>();
  headerRow.cells.forEach((cell, i) => {
    const name = columnKey(cell.text);
    if (!known.includes(name)) return;
    if (columns.has(name)) {
      diagnostics.push({
        ...at(headerRow.number, i + 1),
        code: "duplicate-column",
        severity: "error",
        received: cell.text,
        message: `The column "${name}" is named twice; only the first (column ${columns.get(name)!.column}) is read.`,
      });
      return;
    }
    columns.set(name, { line: headerRow.number, column: i + 1 });
  });
  const missing = required.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    for (const name of missing) {
      diagnostics.push({
        ...at(headerRow.number, 1),
        code: "missing-column",
        severity: "error",
        expected: name,
        message: `Sheet "${ws.name}" has no "${name}" column in its header row (it names ${[...columns.keys()].join(", ") || "no known column"}).`,
      });
    }
    return failed;
  }
  const out: CsvRow[] = [];
  for (const row of rows) {
    if (row.number <= headerRow.number) continue;
    const cells = new Map<string, CsvCell>();
    let blank = true;
    for (const [name, position] of columns) {
      const cell = row.cells[position.column - 1] ?? { text: "" };
      if (cell.problem !== undefined) {
        diagnostics.push({ ...at(row.number, position.column), code: "invalid-cell", severity: "error", message: cell.problem });
      }
      if (cell.text.trim() !== "") blank = false;
      cells.set(name, { value: cell.text, line: row.number, column: position.column });
    }
    if (!blank) out.push({ line: row.number, cells });
  }
  return { delimiter: ";", columns, rows: out, diagnostics: [], ok: true };
}

/** The text a cell stands for. Formulas give their saved value; dates their ISO date. */
function cellText(value: unknown): CellText {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number") return { text: numberText(value), number: value };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) return { text: isoDate(value) };
  if (isRecord(value)) {
    if (Array.isArray(value["richText"])) return { text: value["richText"].map((part) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("") };
    if ("formula" in value || "sharedFormula" in value) {
      const result = value["result"];
      if (result === undefined || result === null) {
        return { text: "", problem: "This cell holds a formula with no saved value; formulas are never evaluated here. Open the workbook in a spreadsheet program and save it, or type the value." };
      }
      return cellText(result);
    }
    if (typeof value["error"] === "string") return { text: value["error"] };
    if (typeof value["text"] === "string") return { text: value["text"] };
    if (isRecord(value["text"])) return cellText(value["text"]);
  }
  return { text: String(value) };
}

/** A number as JSON writes it; the float noise of a spreadsheet (2.4999999999999996) is not removed. */
const numberText = (n: number): string => String(n + 0);

/** A date cell as an ISO date: the day when it has no time of day, else date and time. */
function isoDate(date: Date): string {
  const iso = Number.isNaN(date.getTime()) ? "" : date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}
