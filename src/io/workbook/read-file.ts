import type { AssessmentSource } from "../assessment-source.js";
import { readBytes } from "../json.js";
import { readWorkbookBytes } from "./read.js";

/** Reads an assessment workbook from a file (`readBytes` reads the file, `readWorkbookBytes` the workbook). */
export async function readWorkbook(path: string, shown: string): Promise<AssessmentSource> {
  const bytes = readBytes(path, shown);
  return bytes.ok ? readWorkbookBytes(bytes.value, shown) : { file: shown, diagnostics: bytes.diagnostics };
}
