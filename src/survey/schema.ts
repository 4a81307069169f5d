import * as z from "zod";
import { Provenance } from "../framework/schema.js";
import { INTERVAL_LEVELS, type IntervalLevel } from "./intervals.js";

const Code = z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, "a lower-case id such as agreement-6");
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #1a9641");
const Label = z.string().min(1).max(200);

/** One substantive answer of a response scale: its value (used in statistics) and its label. */
export const ResponseOption = z
  .object({
    value: z.number().int().min(-1000).max(1000),
    label: Label,
    aliases: z.array(Label).max(20).optional().describe("Other texts survey tools export for this answer."),
    colour: Colour.describe("Fill of this answer's segment in the report's bar charts."),
  })
  .strict();

/** An answer that is counted but left out of the statistics ("Don't know / no opinion"). */
export const NonSubstantiveOption = z.object({ code: Code, label: Label, aliases: z.array(Label).max(20).optional() }).strict();

/** The answers a survey question allows, as data: ordered substantive options and the non-substantive ones. */
export const ResponseScale = z
  .object({
    $schema: z.string().optional(),
    id: Code,
    title: z.string().min(1).max(1000),
    options: z.array(ResponseOption).min(2).max(20).describe("Substantive answers, from the most negative to the most positive."),
    agreeFrom: z.number().int().describe("Answers with at least this value count as agreeing."),
    nonSubstantive: z.array(NonSubstantiveOption).max(10),
    blank: z.enum(["non-substantive", "error"]).describe("An empty answer: counted as non-substantive, or refused."),
    provenance: Provenance,
  })
  .strict()
  .meta({ title: "Survey response scale" });
export type ResponseScale = z.infer<typeof ResponseScale>;

const Threshold = z.object({ atLeast: z.number(), score: z.number() }).strict();

/**
 * The declared rule from a question's statistics to a suggested score: the first threshold (from
 * the highest) that the statistic reaches gives the score. A project rule unless a source says otherwise.
 */
export const SurveyRule = z
  .object({
    $schema: z.string().optional(),
    id: Code,
    version: z.string().min(1).max(50),
    title: z.string().min(1).max(1000),
    description: z.string().max(10_000).optional(),
    statistic: z.enum(["shareAgreeing", "mean"]).describe("The question's statistic the thresholds apply to (over substantive answers)."),
    minSubstantive: z.number().int().min(1).max(100_000).describe("Fewer substantive answers than this: no suggestion."),
    thresholds: z.array(Threshold).min(1).max(100).describe("For elements, highest first; scores on the framework's element scale."),
    resultsThresholds: z.array(Threshold).min(1).max(100).optional().describe("For results MIs, highest first; scores on the results scale."),
    provenance: Provenance,
  })
  .strict()
  .meta({ title: "Survey rule: statistics to suggested scores" });
export type SurveyRule = z.infer<typeof SurveyRule>;

/** survey.json in an assessment folder: which files hold the survey, and how it is summarised. */
export const SurveyConfig = z
  .object({
    $schema: z.string().optional(),
    title: z.string().min(1).max(2000).describe("The survey's name, as evidence entries cite it."),
    date: z
      .string()
      .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, "a date such as 2023, 2023-03 or 2023-03-31")
      .optional(),
    note: z.string().max(10_000).optional(),
    questionnaire: z.string().min(1).max(500).default("survey-questions.csv").describe("CSV file beside survey.json: one row per question."),
    responses: z.string().min(1).max(500).default("survey-responses.csv").describe("CSV file beside survey.json: wide or long responses."),
    responseScale: Code.default("agreement-6").describe("Default response scale of a question (response-scales/<id>.json)."),
    rule: Code.default("survey-share-agreeing").describe("The rule from statistics to suggested scores (survey-rules/<id>.json)."),
    minGroupSize: z.number().int().min(1).max(100_000).default(5).describe("Groups with fewer respondents are shown only in the total."),
    interval: z
      .object({
        level: z.union(INTERVAL_LEVELS.map((l) => z.literal(l)) as unknown as [z.ZodLiteral<IntervalLevel>, ...z.ZodLiteral<IntervalLevel>[]]).default(0.95),
        resamples: z.number().int().min(100).max(20_000).default(2000).describe("Bootstrap resamples for the interval of the mean."),
        seed: z
          .number()
          .int()
          .min(1)
          .max(2 ** 31 - 1)
          .default(1),
      })
      .strict()
      .default({ level: 0.95, resamples: 2000, seed: 1 }),
  })
  .strict()
  .meta({ title: "Partner survey (survey.json)" });
export type SurveyConfig = z.infer<typeof SurveyConfig>;
