import { readFileSync, statSync } from "node:fs";
import type { AssessmentSource } from "../assessment-source.js";
import { LIMITS } from "../../text/limits.js";
import { readWorkbookBytes, tooLarge } from "./read.js";

/** Reads an assessment workbook from a file (`readWorkbookBytes` does the reading). */
export async function readWorkbook(path: string, shown: string): Promise<AssessmentSource> {
  const fail = (code: string, message: string): AssessmentSource => ({
    file: shown,
    diagnostics: [{ file: shown, code, severity: "error", message }],
  });
  let bytes: Uint8Array;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return fail("not-a-file", `${shown} is not a regular file.`);
    if (stat.size > LIMITS.fileSize.max) return fail(LIMITS.fileSize.code, tooLarge(shown, stat.size));
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? fail("file-not-found", `${shown} does not exist.`) : fail("file-unreadable", `${shown} cannot be read (${code ?? "unknown error"}).`);
  }
  return readWorkbookBytes(bytes, shown);
}
