import { readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex, type Read, parseJson, parseJsonCountingKeys } from "../text/json.js";
import { type JsonLayout, layoutJson, locatePointer } from "../text/json-locate.js";
import { LIMITS, checkJsonLimits, walkJsonLimits } from "../text/limits.js";
import { errorText } from "./errno.js";
import { decodeText } from "./text-encoding.js";

export type { Read } from "../text/json.js";

/** Files larger than this are refused before reading; no assessment comes near it (`LIMITS.fileSize`). */
const MAX_FILE_BYTES = LIMITS.fileSize.max;

/**
 * Reads a file's bytes, turning every way it can fail into a diagnostic: missing, a folder or
 * not a regular file, larger than `MAX_FILE_BYTES` (refused before reading), unreadable.
 * `shown` names the file in diagnostics.
 */
export function readBytes(file: string, shown: string = file): Read<Uint8Array> {
  const fail = (code: string, message: string): Read<Uint8Array> => ({ ok: false, diagnostics: [{ file: shown, code, severity: "error", message }] });
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return fail("not-a-file", `${shown} is a folder, not a file.`);
    if (!stat.isFile()) return fail("not-a-file", `${shown} is not a regular file.`);
    size = stat.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail("file-not-found", `${shown} does not exist.`);
    return fail("file-unreadable", `${shown} cannot be read (${errorText(error)}).`);
  }
  if (size > MAX_FILE_BYTES) {
    return fail(LIMITS.fileSize.code, `${shown} is ${size} bytes; the limit is ${MAX_FILE_BYTES} bytes (32 MB). The file is not read.`);
  }
  try {
    return { ok: true, value: readFileSync(file) };
  } catch (error) {
    return fail("file-unreadable", `${shown} cannot be read (${errorText(error)}).`);
  }
}

/**
 * Reads a text file (`readBytes`), turning every way it can fail into a diagnostic. The encoding
 * is found by `decodeText`: UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252 with a warning.
 */
export function readText(file: string): Read<string> {
  const bytes = readBytes(file);
  if (!bytes.ok) return bytes;
  const decoded = decodeText(bytes.value, file);
  if (!decoded.ok) return { ok: false, diagnostics: decoded.diagnostics };
  return decoded.warnings.length > 0 ? { ok: true, value: decoded.text, warnings: decoded.warnings } : { ok: true, value: decoded.text };
}

/** Reads and parses a JSON file within the limits of `limits.ts` (diagnostics name a JSON pointer). */
export function readJson(file: string): Read<unknown> {
  const text = readText(file);
  if (!text.ok) return text;
  const parsed = parseJson(text.value, file);
  if (!parsed.ok) return parsed;
  const over = checkJsonLimits(parsed.value, file);
  return over.length > 0 ? { ok: false, diagnostics: over } : parsed;
}

export interface JsonDocument {
  readonly value: unknown;
  /** Line and column of the value at a JSON pointer (or of its nearest enclosing value). */
  locate(pointer: string): { line: number; column: number } | undefined;
  /** A key written twice in one object: JSON.parse would silently keep only the last (and how the text was decoded, when not UTF-8). */
  readonly duplicateKeys: readonly Diagnostic[];
}

/** Reads a JSON file keeping what diagnostics need: positions of values, and duplicate keys. */
export function readJsonDocument(file: string, shownAs: string = file): Read<JsonDocument> {
  const text = readText(file);
  if (!text.ok) return { ok: false, diagnostics: text.diagnostics.map((d) => ({ ...d, file: shownAs })) };
  const doc = jsonDocumentFromText(text.value, shownAs);
  // How the text was decoded, when not UTF-8, is reported with the document's duplicate keys.
  const encoding = (text.warnings ?? []).map((d) => ({ ...d, file: shownAs }));
  return doc.ok && encoding.length > 0 ? { ok: true, value: { ...doc.value, duplicateKeys: [...encoding, ...doc.value.duplicateKeys] } } : doc;
}

/**
 * `readJsonDocument` for text already in memory (a browser's file, say); `shownAs` names it in
 * diagnostics. Positions are found on the first `locate`; the text is laid out at once only when
 * its keys as written outnumber the keys JSON.parse kept, that is when some key is written twice.
 */
export function jsonDocumentFromText(input: string, shownAs: string): Read<JsonDocument> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const parsed = parseJsonCountingKeys(text, shownAs);
  if (!parsed.ok) return parsed;
  const { value, keys } = parsed.value;
  const walked = walkJsonLimits(value, shownAs);
  const over = walked.diagnostics;
  if (over.some((d) => d.code === LIMITS.jsonValues.code)) return { ok: false, diagnostics: over };
  let positions: { layout: JsonLayout; lines: LineIndex } | undefined;
  const laidOut = () => (positions ??= { layout: layoutJson(text), lines: new LineIndex(text) });
  const locate = (pointer: string) => {
    const { layout, lines } = laidOut();
    return locatePointer(text, layout, pointer, lines);
  };
  if (over.length > 0) return { ok: false, diagnostics: over.map((d) => ({ ...d, ...locate(d.pointer ?? "") })) };
  const duplicateKeys =
    walked.keys === keys
      ? []
      : laidOut().layout.duplicateKeys.map(
          ({ pointer, offset }): Diagnostic => ({
            file: shownAs,
            pointer,
            ...laidOut().lines.at(offset),
            code: "duplicate-key",
            severity: "error",
            message: `Key "${pointer
              .slice(pointer.lastIndexOf("/") + 1)
              .replaceAll("~1", "/")
              .replaceAll("~0", "~")}" appears twice in the same object; only the last would count.`,
          }),
        );
  return { ok: true, value: { value, locate, duplicateKeys } };
}
