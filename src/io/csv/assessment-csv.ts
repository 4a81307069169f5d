import { excerpt, shorten } from "../../diagnostics/excerpt.js";
import type { Evidence, Judgement } from "../../assessment/schema.js";
import { EVIDENCE_STREAMS, FLAGS } from "../../assessment/schema.js";
import { parseNumber, parseScore } from "../../assessment/score-text.js";
import type { Diagnostic, Location } from "../../diagnostics/diagnostic.js";
import { pointerSegment } from "../../diagnostics/diagnostic.js";
import { type Framework, indexFramework } from "../../framework/model.js";
import { isRecord } from "../../framework/tree.js";
import { type CsvCell, type CsvRow, type CsvSpec, type CsvTable, parseCsv } from "../../text/csv-read.js";
import { toCsv } from "../../text/csv-write.js";
import { readText } from "../json.js";

/**
 * The two spreadsheet tables of an assessment folder, beside its assessment.json:
 *
 * scores.csv, one row per judgement: `id`, `title` (the framework's title of the element or
 * results MI, for the reader; ignored on import), `score` (a number, `N/E`, `N/A` in any case, or
 * empty for no score given; in a file delimited by `;` or tab a decimal comma too: `2,5`),
 * `rationale`, `evidence` (evidence ids separated by `;`).
 *
 * evidence.csv, one row per evidence entry: `id`, `stream`, the source's `title`, `url`, `file`,
 * `section`, `page`, `survey_question`, `interviews`, then `date`, `quote`, `summary`, `elements`
 * (ids separated by `;`) and `suggested_scores` (`MI1.1.E1=3; MI1.1.E2=2`).
 *
 * Reading builds the raw JSON objects of `judgements` and `evidence` without validating them
 * (a score "abc" stays the string "abc" for `checkAssessment` to report), with `locate` to point
 * every diagnostic back at its cell.
 */
export const SCORES_CSV = "scores.csv";
export const EVIDENCE_CSV = "evidence.csv";

export const SCORE_COLUMNS = ["id", "title", "score", "rationale", "evidence"] as const;
export const EVIDENCE_COLUMNS = ["id", "stream", "title", "url", "file", "section", "page", "survey_question", "interviews", "date", "quote", "summary", "elements", "suggested_scores"] as const;

export const SCORES_SPEC: CsvSpec = { columns: SCORE_COLUMNS, required: ["id", "score"] };
export const EVIDENCE_SPEC: CsvSpec = { columns: EVIDENCE_COLUMNS, required: ["id", "stream", "title", "elements"] };

/** Evidence source fields: CSV column -> key of `source`. */
const SOURCE_COLUMNS = [
  ["title", "title"],
  ["url", "url"],
  ["file", "file"],
  ["section", "section"],
  ["page", "page"],
  ["survey_question", "surveyQuestion"],
  ["interviews", "interviews"],
] as const;

/** One table turned into the raw JSON list it stands for. */
export interface TableRead {
  /** Raw `judgements` or `evidence` entries, unvalidated. */
  readonly items: Record<string, unknown>[];
  /** The cell (file, line, column) a JSON pointer into the assessment points at, for this table's list. */
  readonly locate: (pointer: string) => Location | undefined;
  readonly diagnostics: Diagnostic[];
  /** False when the file could not be read as a table (diagnostics say why): `items` is then empty. */
  readonly ok: boolean;
}

export type TableKind = "judgements" | "evidence";

const SPECS: Record<TableKind, CsvSpec> = { judgements: SCORES_SPEC, evidence: EVIDENCE_SPEC };

/** Reads a CSV file (see `parseCsv`); a file that cannot be read gives its diagnostic and `ok: false`. */
export function readCsv(file: string, spec: CsvSpec, displayName: string = file): CsvTable {
  return readCsvWithText(file, spec, displayName).table;
}

/** `readCsv`, also giving the decoded text (undefined when the file could not be read), for callers that hash it. */
export function readCsvWithText(file: string, spec: CsvSpec, displayName: string = file): { table: CsvTable; text: string | undefined } {
  const text = readText(file);
  if (!text.ok) {
    return { table: { delimiter: ",", columns: new Map(), rows: [], ok: false, diagnostics: text.diagnostics.map((d) => ({ ...d, file: displayName })) }, text: undefined };
  }
  const table = parseCsv(text.value, spec, displayName);
  return {
    table: text.warnings ? { ...table, diagnostics: [...text.warnings.map((d) => ({ ...d, file: displayName })), ...table.diagnostics] } : table,
    text: text.value,
  };
}

/** Reads scores.csv (`judgements`) or evidence.csv (`evidence`) from disk; `name` is the file named in diagnostics. */
export function readTableFile(kind: TableKind, path: string, name: string = path): TableRead {
  return fromTable(kind, readCsv(path, SPECS[kind], name), name);
}

/** Reads scores.csv (`judgements`) or evidence.csv (`evidence`) text. */
export function tableFromCsv(kind: TableKind, text: string, file: string): TableRead {
  return fromTable(kind, parseCsv(text, SPECS[kind], file), file);
}

/** The raw entries of a table already split into named cells (a CSV file, or a workbook's sheet). */
export function fromTable(kind: TableKind, table: CsvTable, file: string): TableRead {
  const diagnostics = [...table.diagnostics];
  const decimalComma = table.delimiter !== ",";
  const items = table.rows.map((row, i) => (kind === "judgements" ? judgementFromRow(row, decimalComma) : evidenceFromRow(row, decimalComma, `/evidence/${i}`, file, diagnostics)));
  return { items, locate: locator(kind, table, file), diagnostics, ok: table.ok };
}

function judgementFromRow(row: CsvRow, decimalComma: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const get = (column: string) => row.cells.get(column)?.value ?? "";
  const id = get("id").trim();
  if (id !== "") out["id"] = id;
  const score = parseScore(get("score"), decimalComma);
  if (score !== undefined) out["score"] = score;
  if (get("rationale") !== "") out["rationale"] = get("rationale");
  const evidence = splitList(get("evidence"));
  if (evidence.length > 0) out["evidence"] = evidence;
  return out;
}

function evidenceFromRow(row: CsvRow, decimalComma: boolean, pointer: string, file: string, diagnostics: Diagnostic[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cell = (column: string): CsvCell | undefined => row.cells.get(column);
  const get = (column: string) => cell(column)?.value ?? "";
  const id = get("id").trim();
  if (id !== "") out["id"] = id;
  const stream = get("stream").trim();
  if (stream !== "") out["stream"] = (EVIDENCE_STREAMS as readonly string[]).includes(stream.toLowerCase()) ? stream.toLowerCase() : stream;
  const source: Record<string, unknown> = {};
  for (const [column, key] of SOURCE_COLUMNS) {
    const value = get(column);
    if (key === "interviews") {
      const trimmed = value.trim();
      if (trimmed !== "") source[key] = parseNumber(trimmed, decimalComma) ?? trimmed;
    } else if (value !== "") source[key] = value;
  }
  out["source"] = source;
  const date = get("date").trim();
  if (date !== "") out["date"] = date;
  if (get("quote") !== "") out["quote"] = get("quote");
  if (get("summary") !== "") out["summary"] = get("summary");
  if (row.cells.has("elements")) out["elements"] = splitList(get("elements"));
  const suggested = cell("suggested_scores");
  if (suggested && suggested.value.trim() !== "") {
    const scores: Record<string, unknown> = {};
    const problem = (message: string) =>
      diagnostics.push({
        file,
        line: suggested.line,
        column: suggested.column,
        pointer: `${pointer}/suggestedScores`,
        code: "invalid-cell",
        severity: "error",
        received: shorten(suggested.value),
        message,
      });
    for (const part of splitList(suggested.value)) {
      const eq = part.indexOf("=");
      const key = eq < 0 ? "" : part.slice(0, eq).trim();
      if (key === "") {
        problem(`${excerpt(part)} in suggested_scores is not of the form id=score (write e.g. "MI1.1.E1=3; MI1.1.E2=2").`);
        continue;
      }
      if (Object.hasOwn(scores, key)) {
        problem(`suggested_scores gives "${key}" twice; give each element one suggested score.`);
        continue;
      }
      const value = part.slice(eq + 1).trim();
      // Defined, not assigned: `scores["__proto__"] = 3` would be silently dropped (it sets the
      // prototype), so the id would vanish instead of being reported as unknown.
      Object.defineProperty(scores, key, { value: parseNumber(value, decimalComma) ?? value, enumerable: true, writable: true, configurable: true });
    }
    out["suggestedScores"] = scores;
  }
  return out;
}

/** Items of an id list cell: separated by `;`, each trimmed, empty ones dropped. */
export function splitList(cell: string): string[] {
  return cell
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export { parseNumber, parseScore } from "../../assessment/score-text.js";

/** JSON field -> CSV column, for the cells pointers land on. */
const JUDGEMENT_FIELDS: Record<string, string> = { id: "id", score: "score", rationale: "rationale", evidence: "evidence" };
const EVIDENCE_FIELDS: Record<string, string> = {
  id: "id",
  stream: "stream",
  date: "date",
  quote: "quote",
  summary: "summary",
  elements: "elements",
  suggestedScores: "suggested_scores",
};
const SOURCE_FIELDS: Record<string, string> = Object.fromEntries(SOURCE_COLUMNS.map(([column, key]) => [key, column]));

/**
 * Maps pointers into the assessment's list for this table to cells: `/judgements/4/score`,
 * `/judgements/4/evidence/1` (the evidence cell), `/evidence/2/source/title` (the title cell),
 * `/evidence/2/suggestedScores/MI1.1.E1` (the suggested_scores cell). A whole entry points at
 * its id cell; a column the file lacks at the start of the row; the list itself at the header.
 */
function locator(kind: TableKind, table: CsvTable, file: string): (pointer: string) => Location | undefined {
  return (pointer) => {
    const segments = pointer.split("/").slice(1);
    if (pointer === "" || segments[0] !== kind) return undefined;
    const headerLine = table.columns.get("id")?.line ?? 1;
    if (segments.length === 1) return { file, line: headerLine, column: 1 };
    const index = /^(0|[1-9]\d*)$/.test(segments[1] ?? "") ? Number(segments[1]) : -1;
    const row = table.rows[index];
    if (!row) return { file, line: headerLine, column: 1 };
    const field = segments[2];
    let column: string | undefined;
    if (kind === "judgements") column = field === undefined ? "id" : JUDGEMENT_FIELDS[field];
    else if (field === "source") column = SOURCE_FIELDS[segments[3] ?? "title"] ?? "title";
    else column = field === undefined ? "id" : EVIDENCE_FIELDS[field];
    const cell = column === undefined ? undefined : row.cells.get(column);
    return cell ? { file, line: cell.line, column: cell.column } : { file, line: row.line, column: 1 };
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

const text = (value: unknown): string => (value === undefined ? "" : typeof value === "number" ? numberText(value) : String(value));
const numberText = (n: number): string => String(n + 0);

/** scores.csv text for judgements; with a framework, the `title` column names each element or results MI. */
export function judgementsToCsv(judgements: readonly Judgement[], framework?: Framework, eol: "\n" | "\r\n" = "\n"): string {
  const index = framework ? indexFramework(framework) : undefined;
  const title = (id: string) => index?.elements.get(id)?.title ?? index?.mis.get(id)?.title ?? "";
  return toCsv(
    SCORE_COLUMNS,
    judgements.map((j) => [j.id, title(j.id), text(j.score), j.rationale ?? "", (j.evidence ?? []).join("; ")]),
    eol,
  );
}

/** evidence.csv text for evidence entries. */
export function evidenceToCsv(evidence: readonly Evidence[], eol: "\n" | "\r\n" = "\n"): string {
  return toCsv(
    EVIDENCE_COLUMNS,
    evidence.map((e) => [
      e.id,
      e.stream,
      ...SOURCE_COLUMNS.map(([, key]) => text(e.source[key])),
      e.date ?? "",
      e.quote ?? "",
      e.summary ?? "",
      e.elements.join("; "),
      Object.entries(e.suggestedScores ?? {})
        .map(([id, score]) => `${id}=${numberText(score)}`)
        .join("; "),
    ]),
    eol,
  );
}

/**
 * What the two tables cannot hold without changing it, so that writing them would lose data:
 * ids with surrounding spaces (cells are trimmed on read), list items (evidence ids, elements)
 * containing `;`, suggested-score ids containing `=` or `;`. Diagnostic code `not-representable`.
 */
export function csvProblems(judgements: readonly Judgement[], evidence: readonly Evidence[], file?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (pointer: string, value: string, what: string, forbidden: readonly string[]) => {
    const bad = forbidden.find((c) => value.includes(c));
    const reason = value.trim() !== value ? "starts or ends with a space" : value === "" ? "is empty" : bad !== undefined ? `contains "${bad}"` : undefined;
    if (reason !== undefined) {
      out.push({
        ...(file === undefined ? {} : { file }),
        pointer,
        code: "not-representable",
        severity: "error",
        received: value,
        message: `${what} ${JSON.stringify(value)} ${reason}, which a CSV table cannot hold unchanged; rename it first.`,
      });
    }
  };
  judgements.forEach((j, i) => {
    check(`/judgements/${i}/id`, j.id, "The id", []);
    (j.evidence ?? []).forEach((ref, k) => check(`/judgements/${i}/evidence/${k}`, ref, "The evidence id", [";"]));
  });
  evidence.forEach((e, i) => {
    check(`/evidence/${i}/id`, e.id, "The evidence id", [";"]);
    if (e.derivation !== undefined) {
      out.push({
        ...(file === undefined ? {} : { file }),
        pointer: `/evidence/${i}/derivation`,
        code: "not-representable",
        severity: "error",
        message: `Evidence "${e.id}" carries a survey derivation, which evidence.csv has no column for: survey evidence is derived from the responses on every run, never stored. Remove the entry.`,
      });
    }
    e.elements.forEach((id, k) => check(`/evidence/${i}/elements/${k}`, id, "The element id", [";"]));
    for (const id of Object.keys(e.suggestedScores ?? {})) {
      check(`/evidence/${i}/suggestedScores/${pointerSegment(id)}`, id, "The suggested-score id", [";", "="]);
    }
  });
  return out;
}

/**
 * The one normal form in which JSON -> CSV -> JSON is the identity. Two lists of judgements or
 * evidence mean the same when their normal forms are deep-equal. It says, explicitly:
 * - an absent optional field and an empty one are the same: empty strings (`rationale: ""`),
 *   an empty evidence list of a judgement, empty `suggestedScores` are dropped; evidence always
 *   has a `source` object and an `elements` list (empty when absent);
 * - flags in any case are the flag (`n/e` is `N/E`), streams in any case the stream;
 * - -0 is 0 (JSON cannot tell them apart either);
 * - keys come in a fixed order.
 * Anything else, including text with spaces, quotes, line breaks or formula characters, is kept
 * exactly. Works on raw, unvalidated data; what is not an object is left as it is.
 */
export function normaliseTables(data: { readonly judgements: readonly unknown[]; readonly evidence: readonly unknown[] }): { judgements: unknown[]; evidence: unknown[] } {
  return { judgements: data.judgements.map(normaliseJudgement), evidence: data.evidence.map(normaliseEvidence) };
}

const present = (value: unknown): boolean => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0) && !(isRecord(value) && Object.keys(value).length === 0);

function pick(from: Record<string, unknown>, keys: readonly string[], fix: (key: string, value: unknown) => unknown = (_k, v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (present(from[key])) out[key] = fix(key, from[key]);
  for (const key of Object.keys(from).sort()) if (!keys.includes(key) && present(from[key])) out[key] = from[key];
  return out;
}

const normalNumber = (value: unknown): unknown => (typeof value === "number" ? value + 0 : value);

function normaliseJudgement(j: unknown): unknown {
  if (!isRecord(j)) return j;
  return pick(j, ["id", "score", "rationale", "evidence"], (key, value) => {
    if (key !== "score") return value;
    const flag = typeof value === "string" ? FLAGS.find((f) => f === value.toUpperCase()) : undefined;
    return flag ?? normalNumber(value);
  });
}

function normaliseEvidence(e: unknown): unknown {
  if (!isRecord(e)) return e;
  const out = pick(e, ["id", "stream", "source", "date", "quote", "summary", "elements", "suggestedScores"], (key, value) => {
    if (key === "stream" && typeof value === "string" && (EVIDENCE_STREAMS as readonly string[]).includes(value.toLowerCase())) return value.toLowerCase();
    if (key === "source" && isRecord(value))
      return pick(
        value,
        SOURCE_COLUMNS.map(([, k]) => k),
        (_k, v) => normalNumber(v),
      );
    if (key === "suggestedScores" && isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalNumber(v)]));
    return value;
  });
  const ordered: Record<string, unknown> = {};
  for (const key of ["id", "stream"]) if (key in out) ordered[key] = out[key];
  ordered["source"] = out["source"] ?? {};
  for (const key of ["date", "quote", "summary"]) if (key in out) ordered[key] = out[key];
  ordered["elements"] = out["elements"] ?? [];
  for (const [key, value] of Object.entries(out)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}
