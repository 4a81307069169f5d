import * as z from "zod";
import { ConfidenceLevel, FLAGS, Provenance } from "../vocabulary/schema.js";

const Id = z.string().min(1).max(64);
const Text = z.string().max(100_000);
const ShortText = z.string().max(2_000);
const PartialDate = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, "a date such as 2023, 2023-03 or 2023-03-31");

/** The records `sortedRecord` made, for the copy in shape.ts that must sort the same ones. */
export const SORTED_RECORDS = new WeakSet<z.ZodType>();

/** Whether a record's keys already come in sorted order. */
export function keysSorted(record: Readonly<Record<string, unknown>>): boolean {
  let previous: string | undefined;
  for (const key in record) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
  }
  return true;
}

/** A copy of a record with its keys in sorted order, each value passed through `value`. */
export function sortKeys<T, U = T>(record: Readonly<Record<string, T>>, value: (v: T) => U = (v) => v as unknown as U): Record<string, U> {
  const sorted: Record<string, U> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = value(record[key]!);
  return sorted;
}

/**
 * A record whose keys come out sorted, so the parsed assessment serialises the same whatever
 * key order the file used (objects already come out in the schema's order).
 */
const sortedRecord = <V extends z.ZodType>(values: V) => {
  const schema = z.record(z.string(), values).transform((record) => (keysSorted(record) ? record : sortKeys(record)));
  SORTED_RECORDS.add(schema);
  return schema;
};

export { FLAGS, type Flag } from "../vocabulary/schema.js";

/** A score on the framework's scale, or a flag: N/E (no evidence found) or N/A (does not apply). */
export const ScoreValue = z.union([z.number(), z.enum(FLAGS)]);
export type ScoreValue = z.infer<typeof ScoreValue>;

/** The assessors' judgement of one element, or the rating of one results MI. */
export const Judgement = z
  .object({
    id: Id.describe("Element id (MI1.1.E1) or results MI id (MI9.1)."),
    score: ScoreValue.optional().describe("Absent: derived from the evidence's suggested scores, else N/E."),
    rationale: Text.optional(),
    evidence: z.array(Id).max(10_000).optional().describe("Ids of the evidence entries behind the judgement."),
  })
  .strict();
export type Judgement = z.infer<typeof Judgement>;

export const EVIDENCE_STREAMS = ["document", "survey", "interview", "other"] as const;

/** How a derived evidence entry came about; written by the engine, never by hand. */
export const SurveyDerivation = z
  .object({
    method: z.literal("survey"),
    question: z.string().min(1).max(64),
    rule: z.object({ id: z.string(), version: z.string(), provenance: z.string() }).strict(),
    responses: z.object({ file: z.string(), sha256: z.string() }).strict(),
    questionnaire: z.object({ file: z.string(), sha256: z.string() }).strict(),
    responsesCount: z.number().int().min(0).describe("Respondents asked, don't-knows and blanks included."),
    n: z.number().int().min(0).describe("Substantive answers."),
    statistic: z.enum(["shareAgreeing", "mean"]),
    value: z.number(),
    exact: z.string().describe("The statistic as an exact fraction."),
    interval: z.object({ method: z.string(), level: z.number(), low: z.number(), high: z.number() }).strict(),
  })
  .strict();
export type SurveyDerivation = z.infer<typeof SurveyDerivation>;

export const EvidenceSource = z
  .object({
    title: ShortText.min(1),
    url: ShortText.optional(),
    file: ShortText.optional(),
    section: ShortText.optional(),
    page: ShortText.optional(),
    surveyQuestion: ShortText.optional(),
    interviews: z.number().int().min(0).optional().describe("Number of interviews summarised."),
  })
  .strict();

export const Evidence = z
  .object({
    id: Id,
    stream: z.enum(EVIDENCE_STREAMS),
    source: EvidenceSource,
    date: PartialDate.optional(),
    quote: Text.optional().describe("A short exact quote from the source."),
    summary: Text.optional(),
    elements: z.array(Id).max(10_000).describe("Elements (or results MIs) this evidence speaks to."),
    suggestedScores: sortedRecord(z.number()).optional().describe("The score this evidence alone suggests, per element it speaks to."),
    derivation: SurveyDerivation.optional().describe("Set by the engine on evidence it derives from survey responses; never written by hand."),
  })
  .strict();
export type Evidence = z.infer<typeof Evidence>;

const PublishedEntry = z.object({ score: z.number().nullable().optional(), rating: z.string().min(1).optional() }).strict();

/** Scores and ratings as a published report printed them, for comparison with computed ones. */
export const Published = z
  .object({
    source: ShortText.min(1),
    note: Text.optional(),
    kpis: sortedRecord(PublishedEntry).optional(),
    mis: sortedRecord(PublishedEntry).optional(),
  })
  .strict();
export type Published = z.infer<typeof Published>;

export const Assessment = z
  .object({
    $schema: z.string().optional(),
    title: ShortText.optional(),
    organisation: z.object({ name: ShortText.min(1), acronym: ShortText.optional(), url: ShortText.optional() }).strict(),
    framework: z.object({ id: Id, version: z.string().optional() }).strict(),
    methodology: z.string().min(1).describe("Methodology version whose rating scale applies, e.g. 3.1."),
    period: z.object({ from: PartialDate, to: PartialDate }).strict(),
    assessors: z.array(z.object({ name: ShortText.min(1), role: ShortText.optional(), organisation: ShortText.optional() }).strict()).max(1000),
    context: z
      .object({
        institutionalLeads: z.array(ShortText).max(100).optional(),
        partnerSurvey: z.object({ from: PartialDate, to: PartialDate }).strict().optional(),
        notes: Text.optional(),
        judgingRules: z.array(Text).max(1000).optional().describe("The written rules the judgements were made by, one per entry; rationales cite them by number."),
      })
      .strict()
      .optional(),
    provenance: Provenance.optional().describe("How the judgements were made, e.g. reconstructed from a public brief."),
    judgements: z.array(Judgement).max(100_000).default([]).describe("May instead come from scores.csv beside the file."),
    evidence: z.array(Evidence).max(100_000).default([]).describe("May instead come from evidence.csv beside the file."),
    statedConfidence: sortedRecord(ConfidenceLevel).optional().describe("Confidence the assessors state per MI."),
    published: Published.optional(),
  })
  .strict()
  .meta({ title: "Assessment" });
export type Assessment = z.infer<typeof Assessment>;
