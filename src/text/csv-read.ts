import { excerpt, shorten } from "../diagnostics/excerpt.js";
import { parse } from "csv-parse/sync";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LIMITS, forbiddenCharacter, forbiddenCharacterMessage } from "./limits.js";
import { unescapeCell } from "./csv-write.js";

/** The columns a table knows, and those it cannot do without. Names in `columnKey` form. */
export interface CsvSpec {
  readonly columns: readonly string[];
  readonly required?: readonly string[];
}

/** A place in the text, 1-based; columns count UTF-16 code units, as `lineAndColumn` in json.ts does. */
export interface CsvPosition {
  readonly line: number;
  readonly column: number;
}

export interface CsvCell extends CsvPosition {
  /** The cell's text, unquoted, with a formula-neutralising apostrophe removed (`unescapeCell`). */
  readonly value: string;
}

export interface CsvRow {
  /** The line the row starts on (a quoted cell may carry it over several lines). */
  readonly line: number;
  /** The row's cells by column name, for every known column in the header. */
  readonly cells: ReadonlyMap<string, CsvCell>;
}

export type CsvDelimiter = "," | ";" | "\t";

export interface CsvTable {
  readonly delimiter: CsvDelimiter;
  /** Where each known column is named in the header line. */
  readonly columns: ReadonlyMap<string, CsvPosition>;
  /** The data rows, blank rows left out. */
  readonly rows: readonly CsvRow[];
  readonly diagnostics: readonly Diagnostic[];
  /** False when the table cannot be used: not valid CSV, or a required column missing (rows are then empty). */
  readonly ok: boolean;
}

/**
 * A header name as matched against the known columns: trimmed, lower case, and `_`, `-`, spaces
 * and a camelCase hump all the same word break, so "Survey Question", "survey-question",
 * "SURVEY_QUESTION" and "surveyQuestion" are all `survey_question`.
 */
export function columnKey(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s_-]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * A lenient reader for CSV as spreadsheets save it: a byte-order mark, `,`, `;` or tab between
 * cells (whichever the header line uses most, outside quotes), CRLF, LF or CR line ends (even
 * mixed), line breaks inside quoted cells, blank rows (anywhere, typically trailing ones) skipped.
 * Header names are matched with `columnKey`.
 *
 * Problems are diagnostics with line and column, never exceptions:
 * - `invalid-csv`: the text is not CSV (an unclosed quote); nothing is read.
 * - `missing-column`: a required column is not in the header; nothing is read.
 * - `unknown-column` (error): a header name that is not a known column, or cells with content
 *   under no header name at all. Their content is not read, and the error makes sure that is never
 *   silent. Columns whose header starts with `#` are comments, ignored on purpose.
 * - `duplicate-column`: a column named twice; the second one is not read.
 * - `too-many-rows`, `too-many-columns`, `cell-too-long`: the table is over a limit of
 *   `src/text/limits.ts`; nothing is read.
 *
 * Cells are otherwise kept as they are, with no trimming: a cell that looks like a formula stays
 * that text. Only the apostrophe `toCsv` puts before formula-like cells is removed (`unescapeCell`).
 */
export function parseCsv(input: string, spec: CsvSpec, file?: string): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const at = (p: CsvPosition) => (file === undefined ? { line: p.line, column: p.column } : { file, line: p.line, column: p.column });
  const delimiter = detectDelimiter(text);
  const failed = (diagnostics: Diagnostic[]): CsvTable => ({ delimiter, columns: new Map(), rows: [], diagnostics, ok: false });

  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    return failed([{ ...at(errorPosition(text, delimiter)), code: "invalid-csv", severity: "error", message: csvErrorMessage(error) }]);
  }

  const over = overLimits(text, records, delimiter);
  if (over.length > 0) return failed(over.map(({ position, ...d }) => ({ ...at(position), ...d })));

  // Where each record and cell starts: csv-parse reports each record's end as a byte offset.
  const cursor = new Cursor(text);
  const located = records.map(({ record, info }, index) => {
    const start = index === 0 ? 0 : (records[index - 1]?.info.bytes ?? 0);
    cursor.toByte(start);
    const offsets = cellOffsets(text, cursor.char, record.length, delimiter);
    const positions = offsets.map((offset) => cursor.toChar(offset));
    cursor.toByte(info.bytes);
    return { values: record.map(unescapeCell), positions };
  });
  const isBlank = (values: readonly string[]) => values.every((v) => v.trim() === "");

  const headerIndex = located.findIndex((r) => !isBlank(r.values));
  const header = located[headerIndex];
  const required = spec.required ?? [];
  if (header === undefined) {
    // One problem, however many columns it lacks: the header line itself is missing.
    return failed([
      {
        ...at({ line: 1, column: 1 }),
        code: "missing-column",
        severity: "error",
        expected: required.join(", "),
        message: `The file has no header line; its first line must name the columns (${spec.columns.join(", ")}), and needs at least ${required.join(", ")}.`,
      },
    ]);
  }

  const diagnostics: Diagnostic[] = [];
  const columns = new Map<string, CsvPosition>();
  const nameAt: (string | undefined)[] = [];
  /** Columns without a name (or past the header's end): an error only once one of their cells has content. */
  const unnamed = new Set<number>();
  header.values.forEach((raw, i) => {
    const name = columnKey(raw);
    const position = header.positions[i] ?? header.positions[0] ?? { line: 1, column: 1 };
    if (name === "") unnamed.add(i);
    else if (name.startsWith("#")) return;
    else if (!spec.columns.includes(name)) {
      diagnostics.push({
        ...at(position),
        code: "unknown-column",
        severity: "error",
        received: shorten(raw.trim()),
        message: `Unknown column ${excerpt(raw.trim())}: its cells are not read. Known columns: ${spec.columns.join(", ")} (a column whose name starts with # is a comment, ignored).`,
      });
    } else if (columns.has(name)) {
      diagnostics.push({
        ...at(position),
        code: "duplicate-column",
        severity: "error",
        received: shorten(raw.trim()),
        message: `Column ${excerpt(raw.trim())} appears twice in the header; only the first one is read.`,
      });
    } else {
      columns.set(name, position);
      nameAt[i] = name;
    }
  });
  const headerLine = header.positions[0]?.line ?? 1;
  const missing = required.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    const names = [...columns.keys()];
    return failed([
      ...diagnostics,
      ...missing.map((name) => ({
        ...at({ line: headerLine, column: 1 }),
        code: "missing-column",
        severity: "error" as const,
        expected: name,
        message: `The header has no "${name}" column (it names ${names.length > 0 ? names.join(", ") : "no known column"}).`,
      })),
    ]);
  }

  const rows: CsvRow[] = [];
  const reported = new Set<number>();
  for (const { values, positions } of located.slice(headerIndex + 1)) {
    if (isBlank(values)) continue;
    const cells = new Map<string, CsvCell>();
    const first = positions[0] ?? { line: 1, column: 1 };
    values.forEach((value, i) => {
      const position = positions[i] ?? first;
      const name = nameAt[i];
      if (name !== undefined) cells.set(name, { value, ...position });
      else if ((i >= header.values.length || unnamed.has(i)) && value.trim() !== "" && !reported.has(i)) {
        reported.add(i);
        diagnostics.push({
          ...at(position),
          code: "unknown-column",
          severity: "error",
          received: shorten(value),
          message: `Column ${i + 1} has no name in the header, but this row has a value in it; name the column or move the value.`,
        });
      }
    });
    // A row shorter than the header: its missing cells are empty, placed at the end of the row.
    for (const name of columns.keys()) if (!cells.has(name)) cells.set(name, { value: "", ...(positions.at(-1) ?? first) });
    rows.push({ line: first.line, cells });
  }
  return { delimiter, columns, rows, diagnostics, ok: true };
}

type Placed = Omit<Diagnostic, "file" | "line" | "column"> & { position: CsvPosition };

/**
 * Rows, cells per row and cell lengths over the limits of `limits.ts` (at most a few reported),
 * checked before cell positions are worked out, so a hostile table costs no more than its parse.
 */
function overLimits(text: string, records: readonly { record: string[]; info: { bytes: number } }[], delimiter: string): Placed[] {
  const out: Placed[] = [];
  const cursor = new Cursor(text);
  const startOf = (index: number) => cursor.toByte(index === 0 ? 0 : (records[index - 1]?.info.bytes ?? 0));
  const rows = LIMITS.csvRows;
  if (records.length > rows.max) {
    out.push({
      position: startOf(rows.max),
      code: rows.code,
      severity: "error",
      expected: `at most ${rows.max} ${rows.unit}`,
      received: `${records.length} rows`,
      message: `The table has ${records.length.toLocaleString("en-US")} rows; the limit is ${rows.max.toLocaleString("en-US")} rows. The file is not read.`,
    });
    return out;
  }
  for (let index = 0; index < records.length && out.length < 20; index++) {
    const record = records[index]!.record;
    const columns = LIMITS.csvColumns;
    if (record.length > columns.max) {
      out.push({
        position: startOf(index),
        code: columns.code,
        severity: "error",
        expected: `at most ${columns.max} ${columns.unit}`,
        received: `${record.length} cells`,
        message: `This row has ${record.length.toLocaleString("en-US")} cells; the limit is ${columns.max.toLocaleString("en-US")} cells per row. The file is not read.`,
      });
      continue;
    }
    const bad = record.findIndex((value) => forbiddenCharacter(value) !== undefined);
    if (bad >= 0) {
      startOf(index);
      const position = cursor.toChar(cellOffsets(text, cursor.char, record.length, delimiter)[bad] ?? cursor.char);
      const found = forbiddenCharacter(record[bad]!)!;
      out.push({ position, code: "forbidden-character", severity: "error", received: found, message: `${forbiddenCharacterMessage("This cell", found)} The file is not read.` });
      continue;
    }
    const cell = LIMITS.csvCell;
    const long = record.findIndex((value) => value.length > cell.max);
    if (long >= 0) {
      startOf(index);
      const position = cursor.toChar(cellOffsets(text, cursor.char, record.length, delimiter)[long] ?? cursor.char);
      out.push({
        position,
        code: cell.code,
        severity: "error",
        expected: `at most ${cell.max} ${cell.unit}`,
        received: `${record[long]!.length} characters`,
        message: `This cell is ${record[long]!.length.toLocaleString("en-US")} characters long; the limit is ${cell.max.toLocaleString("en-US")} characters. The file is not read.`,
      });
    }
  }
  return out;
}

/** The delimiter the first non-blank line uses most, outside quotes: `,`, `;` or tab (`,` on a tie). */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let seen = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) {
      if (seen) break;
    } else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++;
    if (c !== "\n" && c !== "\r" && c !== " ") seen = true;
  }
  const best = (Object.keys(counts) as CsvDelimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  return counts[best] > 0 ? best : ",";
}

/**
 * The offsets at which `count` cells start in the record starting at `start`. Mirrors csv-parse
 * with `relax_quotes`: a cell is quoted only when it starts with `"`; elsewhere quotes are text.
 */
function cellOffsets(text: string, start: number, count: number, delimiter: string): number[] {
  const offsets: number[] = [];
  let p = start;
  for (let n = 0; n < count; n++) {
    offsets.push(p);
    if (text[p] === '"') p = closingQuote(text, p) + 1;
    while (p < text.length && text[p] !== delimiter && text[p] !== "\n" && text[p] !== "\r") p++;
    if (text[p] !== delimiter) {
      // The record ends here; any further cells csv-parse found sit at its end.
      while (offsets.length < count) offsets.push(p);
      break;
    }
    p++;
  }
  return offsets;
}

/** The offset of the quote closing the quoted cell opening at `open`, or the text's length. */
function closingQuote(text: string, open: number): number {
  let p = open + 1;
  for (;;) {
    const q = text.indexOf('"', p);
    if (q < 0) return text.length;
    if (text[q + 1] !== '"') return q;
    p = q + 2;
  }
}

/** Where a parse error sits: the opening quote never closed, else the text's end. */
function errorPosition(text: string, delimiter: string): CsvPosition {
  const cursor = new Cursor(text);
  let p = 0;
  let atCellStart = true;
  while (p < text.length) {
    if (atCellStart && text[p] === '"') {
      const close = closingQuote(text, p);
      if (close >= text.length) return cursor.toChar(p);
      p = close + 1;
      atCellStart = false;
      continue;
    }
    const c = text[p];
    atCellStart = c === delimiter || c === "\n" || c === "\r";
    p++;
  }
  return cursor.toChar(text.length);
}

function csvErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "CSV_QUOTE_NOT_CLOSED") {
    return 'Not valid CSV: the quoted cell starting here is never closed. A cell that holds a line break or a delimiter must be wrapped in double quotes, with any " inside it doubled ("").';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Not valid CSV: ${message.replace(/\.$/, "")}.`;
}

/** Walks the text forward, turning byte or character offsets into lines and columns. */
class Cursor {
  char = 0;
  #byte = 0;
  #line = 1;
  #lineStart = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** Moves to a UTF-8 byte offset (as csv-parse counts) and returns the place there. */
  toByte(byte: number): CsvPosition {
    while (this.#byte < byte && this.char < this.#text.length) this.#step();
    return this.#position();
  }

  toChar(char: number): CsvPosition {
    while (this.char < char && this.char < this.#text.length) this.#step();
    return this.#position();
  }

  #position(): CsvPosition {
    return { line: this.#line, column: this.char - this.#lineStart + 1 };
  }

  #step(): void {
    const code = this.#text.charCodeAt(this.char);
    // A surrogate pair is 4 bytes in UTF-8: counted on its first half.
    this.#byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 4 : code >= 0xdc00 && code < 0xe000 ? 0 : 3;
    this.char++;
    if (code === 10 || (code === 13 && this.#text.charCodeAt(this.char) !== 10)) {
      this.#line++;
      this.#lineStart = this.char;
    }
  }
}
