import type { Assessment } from "../assessment/schema.js";
import { ASSESSMENT_FILE } from "../io/assessment-source.js";
import { EVIDENCE_CSV, SCORES_CSV, evidenceToCsv, judgementsToCsv } from "../io/csv/assessment-csv.js";
import { renderHtmlReport } from "../report/html.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { workbookInputFor } from "../io/workbook/input.js";
import { type WorkbookInput, workbookProblems } from "../io/workbook/write.js";
import type { Session } from "./session.js";

export interface Download {
  readonly name: string;
  readonly type: string;
  readonly data: string | Uint8Array;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";

/** The whole assessment as one JSON file, as `mopan import csv` writes it. */
export const assessmentJson = (session: Session, name: string): Download => ({ name, type: "application/json", data: json(session.assessment) });

/**
 * The spreadsheet form, as `mopan export csv` writes it: scores.csv, evidence.csv, and
 * assessment.json with everything else.
 */
export function csvTables(session: Session): Download[] {
  const { judgements, evidence, ...metadata }: Assessment = session.assessment;
  return [
    { name: SCORES_CSV, type: "text/csv", data: judgementsToCsv(judgements, session.framework) },
    { name: EVIDENCE_CSV, type: "text/csv", data: evidenceToCsv(evidence) },
    { name: ASSESSMENT_FILE, type: "application/json", data: json(metadata) },
  ];
}

/** The report, as `mopan report --format html` writes it. */
export const htmlReport = (session: Session, name: string): Download => ({
  name,
  type: "text/html",
  data: renderHtmlReport(session.result, session.framework, session.assessment, session.scale),
});

/**
 * The assessment as one workbook, as `mopan export xlsx` writes it (`write` is the CLI's
 * `writeWorkbook`, run in the page's workbook worker), or what a workbook could not hold unchanged.
 */
export async function workbook(session: Session, name: string, write: (input: WorkbookInput) => Promise<Uint8Array>): Promise<{ download?: Download; problems: Diagnostic[] }> {
  const { assessment, framework, scale, result } = session;
  const input = workbookInputFor(assessment, assessment, { framework, scale, result });
  const problems = workbookProblems(input, name);
  if (problems.length > 0) return { problems };
  const data = await write(input);
  return { download: { name, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data }, problems };
}
