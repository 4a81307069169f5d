import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";

/** Human label of a rating code under a scale ("satisfactory" -> "Satisfactory"). */
export function ratingLabel(code: string, scale: RatingScale): string {
  if (code === scale.flags.noEvidence.code) return scale.flags.noEvidence.label;
  if (code === scale.flags.notApplicable.code) return scale.flags.notApplicable.label;
  return scale.bands.find((b) => b.code === code)?.label ?? code;
}

export function ratingColour(code: string, scale: RatingScale): string {
  if (code === scale.flags.noEvidence.code) return scale.flags.noEvidence.colour;
  if (code === scale.flags.notApplicable.code) return scale.flags.notApplicable.colour;
  return scale.bands.find((b) => b.code === code)?.colour ?? "#9e9e9e";
}

/** A rating's place among the scale's bands, 0 for the highest; "flag" for no evidence or not applicable. */
export function ratingRank(code: string, scale: RatingScale): number | "flag" {
  const bands = RatingAuthority.bandsOf(scale);
  const fromBottom = bands.findIndex((b) => b.code === code);
  return fromBottom < 0 ? "flag" : bands.length - 1 - fromBottom;
}

/** A score with the policy's decimals, or an em dash for none. */
export const formatScore = (score: number | null, decimals: number): string => (score === null ? "—" : score.toFixed(decimals));

/** Pads to a width in display characters. */
export const pad = (text: string, width: number): string => (text.length >= width ? text : text + " ".repeat(width - text.length));

/**
 * A computed confidence level as people read it: the data code `low` is MOPAN 3.1's third level,
 * "little to no confidence" (its wording as reconstructed, low confidence).
 */
export const confidenceLabel = (level: string | null): string => (level === null ? "n/a" : level === "low" ? "little to no" : level);
