import { stringify } from "csv-stringify/sync";

/**
 * Formula injection (CSV injection): a spreadsheet evaluates a cell that begins with one of these
 * characters as a formula. `toCsv` neutralises such cells with a leading apostrophe.
 */

/** A cell that is just a number ("-1", "+2.5", "-1e3") is data, never a formula: left alone. */
export const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

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

/**
 * CSV text for a table: `,` between cells, LF (or CRLF) after every row, quotes only where needed
 * (a delimiter, quote, CR, LF or `;` in the cell), and every cell, header included, neutralised against
 * formula injection (`neutraliseCell`). Read it back with `parseCsv` from `read.ts`.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[], eol: "\n" | "\r\n" = "\n"): string {
  const records = [header, ...rows].map((row) => row.map(neutraliseCell));
  return stringify(records, {
    delimiter: ",",
    record_delimiter: eol === "\r\n" ? "windows" : "unix",
    // csv-stringify quotes only the record delimiter itself: a lone CR, or a lone LF in a CRLF
    // file, would go out bare, and readers take either for a line break. A ";" is quoted too: a
    // spreadsheet in a locale whose list separator is ";" would otherwise split "D1; S1" in two.
    quoted_match: /[\r\n;]/,
  });
}
