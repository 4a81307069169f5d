import type { Evidence, Judgement } from "../../assessment/schema.js";
import type { Framework } from "../../framework/model.js";
import { isRecord } from "../../framework/tree.js";
import type { RatingScale } from "../../rating/schema.js";
import type { ScoreResult } from "../../scoring/result.js";
import type { WorkbookInput } from "./write.js";

/**
 * What a workbook is written from, for an assessment's data (`mopan export xlsx` and the
 * workbench's "Save workbook" both start here): the judgements and evidence to their sheets,
 * stated confidence and published figures to theirs, everything else to the metadata sheet.
 */
export function workbookInputFor(
  data: Readonly<Record<string, unknown>>,
  lists: { readonly judgements: readonly Judgement[]; readonly evidence: readonly Evidence[] },
  shown: { readonly framework?: Framework | undefined; readonly scale?: RatingScale | undefined; readonly result?: ScoreResult | undefined } = {},
): WorkbookInput {
  const { judgements: _j, evidence: _e, statedConfidence, published, ...rest } = data;
  // The published figures go to their sheet; where they come from stays with the metadata.
  const publishedAbout = isRecord(published) ? Object.fromEntries(Object.entries(published).filter(([k]) => k !== "kpis" && k !== "mis")) : undefined;
  // `$schema` is a hint for JSON editors, meaningless in a workbook: import writes a fresh one.
  const { $schema: _schema, ...described } = rest;
  const metadata = { ...described, ...(publishedAbout && Object.keys(publishedAbout).length > 0 ? { published: publishedAbout } : {}) };
  return {
    metadata,
    judgements: lists.judgements,
    evidence: lists.evidence,
    ...(isRecord(statedConfidence) ? { statedConfidence } : {}),
    ...(isRecord(published) ? { published } : {}),
    ...(shown.framework ? { framework: shown.framework } : {}),
    ...(shown.scale ? { scale: shown.scale } : {}),
    ...(shown.result ? { result: shown.result } : {}),
  };
}
