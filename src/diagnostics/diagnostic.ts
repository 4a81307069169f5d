/** How bad a problem is: errors make a file invalid; warnings only with `--strict`. */
export type Severity = "error" | "warning";

/** Where a problem sits: a JSON pointer into a document, a CSV line and column, or a workbook cell. */
export interface Location {
  readonly file?: string;
  /** RFC 6901 JSON pointer, "" for the document root. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  /** A workbook cell, sheet and reference: `Scores!C17`. */
  readonly cell?: string;
}

/** One problem found in user input, as plain data. Rendering lives in `render.ts`. */
export interface Diagnostic extends Location {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === "error");

/** Escapes one path segment for a JSON pointer (RFC 6901). */
export const pointerSegment = (segment: string | number): string => String(segment).replaceAll("~", "~0").replaceAll("/", "~1");

export const toPointer = (path: readonly (string | number | symbol)[]): string => path.map((p) => "/" + pointerSegment(typeof p === "symbol" ? String(p.description) : p)).join("");

/**
 * Stable order: errors before warnings (so a few errors are never buried under many warnings),
 * then file, then position, then code; keeps output byte-identical across runs.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      cmp(a.file ?? "", b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      cellOrder(a.cell, b.cell) ||
      cmp(a.pointer ?? "", b.pointer ?? "") ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const severityRank = (d: Diagnostic): number => (d.severity === "error" ? 0 : 1);

/** Workbook cells by sheet, then row, then column: `Scores!C9` before `Scores!A10`. */
function cellOrder(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  const parse = (cell: string | undefined) => {
    const m = /^(.*)!([A-Z]+)(\d+)$/.exec(cell ?? "");
    return m ? { sheet: m[1]!, row: Number(m[3]), column: m[2]!.padStart(3, " ") } : { sheet: cell ?? "", row: 0, column: "" };
  };
  const x = parse(a);
  const y = parse(b);
  return cmp(x.sheet, y.sheet) || x.row - y.row || cmp(x.column, y.column);
}

/** Quotes a received value for a message, shortened so huge input never floods output. */
export function describeValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = "nothing";
  else if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "boolean" || value === null) text = String(value);
  else if (Array.isArray(value)) text = "an array";
  else if (typeof value === "object") text = "an object";
  else text = typeof value;
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/**
 * Appends every item of `items` to `into`. Unlike `into.push(...items)`, which passes each item as
 * an argument and throws a RangeError (stack overflow) beyond about 100,000 of them, this works for
 * any number: hostile input can produce hundreds of thousands of diagnostics.
 */
export function appendAll<T>(into: T[], items: readonly T[]): T[] {
  for (const item of items) into.push(item);
  return into;
}

/** Drops exact repeats (the same problem reached by two paths, e.g. a framework loaded twice). */
export function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
