/** JSON as text: parsing within the limits, and line and column of an offset. Pure: no file access. */
import { findJsonSyntaxError } from "./json-syntax.js";
import { scanJsonText, tooDeep } from "./limits.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

export type Read<T> = { ok: true; value: T; warnings?: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses JSON text; a syntax error becomes a diagnostic with line and column. Text nested deeper
 * than `LIMITS.jsonDepth` is refused (`nesting-too-deep`) before it is parsed, so no parser or
 * walker ever recurses that deep.
 */
export function parseJson(text: string, file?: string): Read<unknown> {
  const parsed = parseJsonCountingKeys(text, file);
  return parsed.ok ? { ok: true, value: parsed.value.value } : parsed;
}

/** `parseJson`, also giving the number of object keys written in the text (`JsonTextScan.keys`), found in the same scan. */
export function parseJsonCountingKeys(text: string, file?: string): Read<{ value: unknown; keys: number }> {
  const scan = scanJsonText(text);
  if (scan.tooDeep !== undefined) return { ok: false, diagnostics: [{ ...tooDeep(file), ...lineAndColumn(text, scan.tooDeep) }] };
  try {
    return { ok: true, value: { value: JSON.parse(text) as unknown, keys: scan.keys } };
  } catch {
    const found = findJsonSyntaxError(text) ?? { offset: text.length, message: "not valid JSON" };
    const { line, column } = lineAndColumn(text, found.offset);
    return {
      ok: false,
      diagnostics: [{ ...(file === undefined ? {} : { file }), line, column, code: "invalid-json", severity: "error", message: `Not valid JSON: ${found.message}.` }],
    };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * `lineAndColumn` for many offsets into one text: the line starts are found once, then each
 * position is a binary search. (Scanning from the start for each of 20,000 diagnostics in a 10 MB
 * file took minutes.)
 */
export class LineIndex {
  readonly #starts: number[] = [0];
  readonly #length: number;

  constructor(text: string) {
    this.#length = text.length;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.#starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    const o = Math.min(Math.max(offset, 0), this.#length);
    let lo = 0;
    let hi = this.#starts.length - 1;
    // The last line start at or before o: lines before it end with a line break before o.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.#starts[lo]! + 1 };
  }
}
