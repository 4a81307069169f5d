import * as z from "zod";
import { type Evidence, Evidence as EvidenceSchema, type Judgement, Judgement as JudgementSchema } from "../../assessment/schema.js";
import { type Diagnostic, hasErrors } from "../../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../../text/from-zod.js";
import { isRecord } from "../../framework/tree.js";
import { type AssessmentSource, readAssessment } from "../../io/assessment-files.js";
import { relocate } from "../../io/assessment-source.js";

const Tables = z.object({ judgements: z.array(JudgementSchema).default([]), evidence: z.array(EvidenceSchema).default([]) });

/** What `export` (to CSV or a workbook) starts from: the assessment's raw data, with its two lists in shape. */
export type ExportInput =
  | { readonly ok: true; readonly read: AssessmentSource; readonly raw: Record<string, unknown>; readonly judgements: Judgement[]; readonly evidence: Evidence[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Reads an assessment of any kind for export; only the judgements and evidence must have the shape the tables hold. */
export async function readForExport(source: string): Promise<ExportInput> {
  const read = await readAssessment(source);
  const raw = read.raw;
  if (raw === undefined || hasErrors(read.diagnostics)) return { ok: false, diagnostics: read.diagnostics };
  if (!isRecord(raw)) return { ok: false, diagnostics: [{ file: read.file, pointer: "", code: "invalid-type", severity: "error", message: "An assessment must be a JSON object." }] };
  const lists = Tables.safeParse({ judgements: raw["judgements"], evidence: raw["evidence"] });
  if (!lists.success) {
    return { ok: false, diagnostics: diagnosticsFromZod(lists.error, { judgements: raw["judgements"], evidence: raw["evidence"] }, read.file).map((d) => relocate(d, read)) };
  }
  return { ok: true, read, raw, judgements: lists.data.judgements, evidence: lists.data.evidence };
}
