/**
 * The uncertainty model the simulation draws from: per evidence-confidence level, a discrete
 * distribution of score offsets. These are project assumptions about how far a judgement might be
 * off, not MOPAN rules; MOPAN publishes no such distributions.
 */
import * as z from "zod";
import { DataId, Provenance } from "../vocabulary/schema.js";
import { Fraction, exact } from "../util/exact.js";

/** Offsets are whole steps of the item's scale, written as JSON keys: "-1", "0", "+1". */
const Offset = z.string().regex(/^[+-]?(0|[1-9]\d{0,2})$/, "a whole number of scale steps such as -1, 0 or +1");

export const OffsetDistribution = z
  .record(Offset, z.number().min(0).max(1))
  .refine((d) => Object.keys(d).length > 0, "a distribution needs at least one offset")
  .refine((d) => new Set(Object.keys(d).map(Number)).size === Object.keys(d).length, "an offset is given twice (e.g. 1 and +1)")
  .refine(
    (d) =>
      Object.values(d)
        .reduce((sum, p) => sum.add(exact(p)), new Fraction(0))
        .equals(1),
    "the probabilities must add up to exactly 1",
  )
  .describe("Probability of each offset, in steps of the scale; the probabilities add up to 1.");
export type OffsetDistribution = z.infer<typeof OffsetDistribution>;

export const UncertaintyModel = z
  .object({
    $schema: z.string().optional(),
    id: DataId,
    title: z.string().min(1).max(1000),
    description: z.string().max(10_000).optional(),
    unit: z.literal("step").describe("Offsets count steps of the scale the item is judged on (element or results scale)."),
    provenance: Provenance,
    levels: z.object({ high: OffsetDistribution, medium: OffsetDistribution, low: OffsetDistribution }).strict().describe("Distribution per computed evidence confidence of the item's MI."),
  })
  .strict()
  .meta({ title: "Uncertainty model" });
export type UncertaintyModel = z.infer<typeof UncertaintyModel>;

/** A distribution as sorted offsets and their probabilities (zero-probability offsets dropped). */
export function offsetsOf(d: OffsetDistribution): { offset: number; p: number }[] {
  return Object.entries(d)
    .map(([k, p]) => ({ offset: Number(k), p }))
    .filter((e) => e.p > 0)
    .sort((a, b) => a.offset - b.offset);
}
