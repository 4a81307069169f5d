import { type Fraction, exact } from "../util/exact.js";
import type { RatingBand, RatingScale } from "./schema.js";

/** The band a score falls in: the highest band whose lower limit the score reaches. */
export function classify(score: Fraction, scale: RatingScale): RatingBand {
  let best: RatingBand | undefined;
  for (const band of scale.bands) {
    if (score.gte(exact(band.min)) && (best === undefined || band.min > best.min)) best = band;
  }
  return best ?? lowest(scale);
}

const lowest = (scale: RatingScale): RatingBand =>
  scale.bands.reduce((a, b) => (b.min < a.min ? b : a));

/** Neighbouring bands of a band, by position on the scale. */
export function neighbours(band: RatingBand, scale: RatingScale): { below?: RatingBand; above?: RatingBand } {
  const sorted = [...scale.bands].sort((a, b) => a.min - b.min);
  const i = sorted.findIndex((b) => b.code === band.code);
  const below = sorted[i - 1];
  const above = sorted[i + 1];
  return { ...(below ? { below } : {}), ...(above ? { above } : {}) };
}
