import { FLAGS } from "./schema.js";

/**
 * Scores written as text, the one rule for every place a person types one: a spreadsheet cell
 * (CSV or workbook) and `what-if --set`.
 */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/** A number: `2.5`, `2.5e0`, or `2,5` where the comma is free to be a decimal comma. Anything else: undefined. */
export function parseNumber(text: string, decimalComma: boolean): number | undefined {
  const t = text.trim();
  const n = NUMBER.test(t) ? Number(t) : decimalComma && DECIMAL_COMMA.test(t) ? Number(t.replace(",", ".")) : undefined;
  return n !== undefined && Number.isFinite(n) ? n + 0 : undefined;
}

/** A score: empty -> no score; `N/E`, `N/A` in any case; a number; otherwise the text, for the schema to report. */
export function parseScore(text: string, decimalComma: boolean): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const flag = FLAGS.find((f) => f === t.toUpperCase());
  return flag ?? parseNumber(t, decimalComma) ?? t;
}
