import * as z from "zod";
import { DataId, KEBAB_CASE, Provenance } from "../vocabulary/schema.js";

const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #1a9641");
const Code = z.string().regex(KEBAB_CASE, "a lower-case kebab-case code");

export const RatingBand = z
  .object({
    code: Code,
    label: z.string().min(1),
    colour: Colour,
    min: z.number().describe("Lowest score in the band, inclusive."),
    max: z.number().describe("Highest score in the band, inclusive, at the scale's precision."),
  })
  .strict();
export type RatingBand = z.infer<typeof RatingBand>;

export const RatingFlag = z.object({ code: Code, label: z.string().min(1), colour: Colour }).strict();
export type RatingFlag = z.infer<typeof RatingFlag>;

/** How scores are rounded for output and for rating: part of a framework's scoring policy. */
export const Rounding = z
  .object({
    decimals: z.number().int().min(0).max(6),
    mode: z.enum(["half-up", "half-even"]),
    classifyAfterRounding: z.boolean(),
    roundBeforeAggregating: z.boolean(),
  })
  .strict();
export type Rounding = z.infer<typeof Rounding>;

/** Threshold bands that turn a score into a rating, for one or more methodology versions. */
export const RatingScale = z
  .object({
    $schema: z.string().optional(),
    id: DataId,
    title: z.string().min(1),
    methodologies: z.array(z.string().min(1)).min(1).describe("Methodology versions this scale applies to."),
    min: z.number(),
    max: z.number(),
    decimals: z.number().int().min(0).max(6).describe("Precision at which band limits are written."),
    bands: z.array(RatingBand).min(1).max(50),
    flags: z.object({ noEvidence: RatingFlag, notApplicable: RatingFlag }).strict().describe("How items without a score are shown."),
    provenance: Provenance,
  })
  .strict()
  .meta({ title: "Rating scale" });
export type RatingScale = z.infer<typeof RatingScale>;
