import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { display } from "../registry.js";

/**
 * Formula injection (CSV injection): a spreadsheet evaluates a cell that begins with one of these
 * characters as a formula. `toCsv` neutralises such cells with a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that is just a number ("-1", "+2.5", "-1e3") is data, never a formula: left alone. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The neutralisation, and its exact inverse on read (`unescapeCell`), so that a round trip through
 * CSV loses nothing:
 *
 * - write: a cell matching `'*` followed by a formula character (`=`, `+`, `-`, `@`, tab, CR), and
 *   not a plain number, gets one more `'` in front: `=SUM(A1)` -> `'=SUM(A1)`, `'=x` -> `''=x`.
 * - read: a cell matching `'+` followed by a formula character loses its first `'`.
 *
 * Prefixing the cells that already begin with apostrophes as well is what makes the pair a
 * bijection: without it, a cell that really is `'=x` would come back as `=x`. Plain numbers
 * ("-1") never start with `'`, so reading leaves them alone too. A cell that looks like a
 * formula but carries no `'` (typed into a spreadsheet and saved) is read as the text it is.
 */
export function neutraliseCell(cell: string): string {
  return /^'*[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The inverse of `neutraliseCell` (see there). */
export function unescapeCell(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** True when a spreadsheet would take the cell for a formula (after neutralisation it never is). */
export const looksLikeFormula = (cell: string): boolean => FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell);

/**
 * CSV text for a table: `,` between cells, LF (or CRLF) after every row, quotes only where needed
 * (a delimiter, quote, CR or LF in the cell), and every cell, header included, neutralised against
 * formula injection (`neutraliseCell`). Read it back with `parseCsv` from `read.ts`.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[], eol: "\n" | "\r\n" = "\n"): string {
  const records = [header, ...rows].map((row) => row.map(neutraliseCell));
  return stringify(records, {
    delimiter: ",",
    record_delimiter: eol === "\r\n" ? "windows" : "unix",
    // csv-stringify quotes only the record delimiter itself: a lone CR, or a lone LF in a CRLF
    // file, would go out bare, and readers take either for a line break.
    quoted_match: /[\r\n]/,
  });
}

/** One file to write with `writeFilesAtomically`. */
export interface OutputFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Writes files, in order. Refuses (diagnostic `file-exists`, nothing written) when any target
 * exists and `force` is false. Each file is written to `<file>.tmp-<pid>` and renamed into place,
 * so no reader ever sees half a file; if one fails (`file-unwritable`), those before it stay
 * written and the rest are not attempted, so callers order the files to make that state safe.
 */
export function writeFilesAtomically(files: readonly OutputFile[], force: boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const { path } of files) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue; // Not there (or not visible): writing it will tell.
    }
    if (isDir) {
      problems.push({ file: display(path), code: "not-a-file", severity: "error", message: `${display(path)} is a folder; cannot write a file there.` });
    } else if (!force) {
      problems.push({ file: display(path), code: "file-exists", severity: "error", message: `${display(path)} already exists; use --force to overwrite it.` });
    }
  }
  if (problems.length > 0) return problems;
  for (const { path, text } of files) {
    // A stale temporary file left by a crashed run with the same pid is simply overwritten.
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, text);
      renameSync(tmp, path);
    } catch (error) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing more to do: the error below is what matters.
      }
      const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
      problems.push({ file: display(path), code: "file-unwritable", severity: "error", message: `${display(path)} cannot be written (${code}).` });
      return problems;
    }
  }
  return problems;
}
