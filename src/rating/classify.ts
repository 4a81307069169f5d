import { Fraction, exact } from "../util/exact.js";
import type { RatingBand, RatingScale } from "./schema.js";

/** A scale's bands from the lowest up, with exact lower limits; built once per scale. */
interface Step {
  readonly band: RatingBand;
  readonly min: Fraction;
  readonly neighbours: { below?: RatingBand; above?: RatingBand };
}

const ladders = new WeakMap<RatingScale, readonly Step[]>();

function ladder(scale: RatingScale): readonly Step[] {
  let steps = ladders.get(scale);
  if (!steps) {
    const sorted = [...scale.bands].sort((a, b) => a.min - b.min);
    steps = sorted.map((band, i) => {
      const below = sorted[i - 1];
      const above = sorted[i + 1];
      return { band, min: exact(band.min), neighbours: { ...(below ? { below } : {}), ...(above ? { above } : {}) } };
    });
    ladders.set(scale, steps);
  }
  return steps;
}

/** The band a score falls in: the highest band whose lower limit the score reaches. */
export function classify(score: Fraction, scale: RatingScale): RatingBand {
  const steps = ladder(scale);
  for (let i = steps.length - 1; i > 0; i--) if (score.gte(steps[i]!.min)) return steps[i]!.band;
  return steps[0]!.band;
}

/** Neighbouring bands of a band, by position on the scale. */
export function neighbours(band: RatingBand, scale: RatingScale): { below?: RatingBand; above?: RatingBand } {
  return ladder(scale).find((s) => s.band.code === band.code)?.neighbours ?? {};
}

/** The exact lower limit of a band of the scale. */
export const bandMin = (band: RatingBand, scale: RatingScale): Fraction =>
  ladder(scale).find((s) => s.band === band)?.min ?? exact(band.min);

/**
 * How far a rated score sits from the neighbouring bands, exactly: the rise that reaches the next
 * band's lower limit, and the fall that leaves the band. A rounded score leaves it on reaching the
 * top of the band below (the lower limit less one unit of the scale's precision); an unrounded
 * one on falling by anything more than its distance to the lower limit. Undefined on a side
 * without a band.
 */
export function bandDistances(value: Fraction, band: RatingBand, scale: RatingScale, rounded: boolean) {
  const { below, above } = neighbours(band, scale);
  const unit = rounded ? new Fraction(1n, 10n ** BigInt(scale.decimals)) : new Fraction(0);
  const top = below ? bandMin(band, scale).sub(unit) : undefined;
  return {
    up: above ? { band: above, threshold: bandMin(above, scale), distance: bandMin(above, scale).sub(value) } : undefined,
    down: below && top ? { band: below, threshold: top, distance: value.sub(top) } : undefined,
  };
}
