import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * Text files as spreadsheets and editors really save them: UTF-8 with or without a byte-order
 * mark, UTF-16 (little or big endian) with its byte-order mark, and Windows-1252, which Excel's
 * "CSV (Comma delimited)" writes on Windows. Text is never decoded with replacement characters
 * (U+FFFD): bytes that are not valid UTF-8 are either read as Windows-1252, with a warning that
 * says so, or refused at the line where they are.
 */
export type Decoded = { readonly ok: true; readonly text: string; readonly encoding: string; readonly warnings: Diagnostic[] } | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** Bytes Windows-1252 leaves undefined: a file holding them is not Windows-1252 text either. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const HOW_TO_SAVE = 'Save the file as UTF-8 (Excel: "CSV UTF-8 (Comma delimited)"; LibreOffice: Save As, "Edit filter settings", character set "Unicode (UTF-8)").';

export function decodeText(bytes: Uint8Array, file: string): Decoded {
  const at = (offset: number) => ({ file, ...lineAndColumnOfByte(bytes, offset) });
  const fail = (offset: number, code: string, message: string): Decoded => ({ ok: false, diagnostics: [{ ...at(offset), code, severity: "error", message }] });

  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3), 3);
  const bom16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : undefined;
  if (bom16 !== undefined) {
    try {
      const text = new TextDecoder(bom16, { fatal: true, ignoreBOM: false }).decode(bytes);
      return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: bom16.toUpperCase(), warnings: [] };
    } catch {
      return {
        ok: false,
        diagnostics: [
          {
            file,
            code: "invalid-encoding",
            severity: "error",
            message: `The file starts with a UTF-16 byte-order mark but is not valid UTF-16 (an odd length or a broken surrogate pair). ${HOW_TO_SAVE}`,
          },
        ],
      };
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const alternate = bytes.length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && (bytes[3] === 0 || bytes[2] === 0);
    return alternate
      ? fail(nul, "invalid-encoding", `The file looks like UTF-16 text without a byte-order mark, which cannot be told apart reliably from binary data. ${HOW_TO_SAVE}`)
      : fail(nul, "binary-file", `The file contains binary data (a NUL byte), not text. A workbook is read as .xlsx, not as CSV.`);
  }
  return utf8(bytes, 0);

  function utf8(body: Uint8Array, skipped: number): Decoded {
    try {
      // The native decoder first: valid UTF-8, by far the common case, costs no scan in JavaScript.
      return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body), encoding: "UTF-8", warnings: [] };
    } catch {
      // Not UTF-8: found below where, and what it may be instead.
    }
    const invalid = Math.max(0, firstInvalidUtf8(body));
    const offset = invalid + skipped;
    const undefinedByte = body.findIndex((b) => UNDEFINED_IN_1252.has(b));
    if (skipped > 0 || hasMultiByteUtf8(body) || undefinedByte >= 0) {
      const where = undefinedByte >= 0 && skipped === 0 && !hasMultiByteUtf8(body) ? undefinedByte + skipped : offset;
      return fail(
        where,
        "invalid-encoding",
        `The file is not valid UTF-8 here (byte 0x${(bytes[where] ?? 0).toString(16).padStart(2, "0")}), and not Windows-1252 either${skipped > 0 ? " (it starts with a UTF-8 byte-order mark)" : hasMultiByteUtf8(body) ? " (other characters in it are UTF-8: the file mixes encodings)" : ""}. ${HOW_TO_SAVE}`,
      );
    }
    const text = decodeWindows1252(body);
    return {
      ok: true,
      text,
      encoding: "Windows-1252",
      warnings: [
        {
          ...at(offset),
          code: "decoded-windows-1252",
          severity: "warning",
          expected: "UTF-8",
          received: "Windows-1252",
          message: `The file is not UTF-8; it was read as Windows-1252 (what Excel's "CSV (Comma delimited)" writes on Windows), so "${excerpt(text, offset)}" reads as shown. If that is wrong, or to silence this warning: ${HOW_TO_SAVE}`,
        },
      ],
    };
  }
}

/**
 * Windows-1252 as Windows defines it. (Node's TextDecoder takes the label "windows-1252" for
 * ISO-8859-1, which turns 0x80-0x9F into control characters: "–" would become U+0096.)
 */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return out;
}

/** The byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const b1 = bytes[i + 1]!;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 >= 0x90)) return i;
    i += length;
  }
  return -1;
}

/** Whether the bytes hold at least one valid multi-byte UTF-8 sequence (then they are meant as UTF-8). */
function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0xc2 && b <= 0xf4 && (bytes[i + 1]! & 0xc0) === 0x80) {
      const length = b <= 0xdf ? 2 : b <= 0xef ? 3 : 4;
      let ok = i + length <= bytes.length;
      for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
      if (ok) return true;
    }
  }
  return false;
}

function lineAndColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** A few characters of decoded text around a byte offset (single-byte encoding: offsets agree). */
function excerpt(text: string, offset: number): string {
  const start = Math.max(0, text.lastIndexOf("\n", offset) + 1, offset - 20);
  const end = text.indexOf("\n", offset);
  return text.slice(start, Math.min(end < 0 ? text.length : end, offset + 20)).replace(/[\r"]/g, "");
}
