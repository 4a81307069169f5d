import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { Fraction, exact } from "../util/exact.js";
import { RatingAuthority } from "./authority.js";
import type { RatingScale } from "./schema.js";

/** Bands must be well-formed, must not overlap, leave no gap at the scale's precision, and cover min..max. */
export function checkRatingScale(scale: RatingScale, file?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (pointer: string) => (file === undefined ? { pointer } : { file, pointer });
  const unit = new Fraction(1, 10n ** BigInt(scale.decimals));
  const codes = new Set<string>();
  scale.bands.forEach((band, i) => {
    if (codes.has(band.code)) out.push({ ...where(`/bands/${i}/code`), code: "duplicate-band-code", severity: "error", received: band.code, message: `Band code "${band.code}" is used twice.` });
    codes.add(band.code);
    if (band.min > band.max) out.push({ ...where(`/bands/${i}`), code: "band-inverted", severity: "error", message: `Band "${band.code}" starts at ${band.min}, above its end ${band.max}.` });
    for (const end of ["min", "max"] as const) {
      // A limit between two values of the scale's precision cannot be reached by a rounded score
      // and would put the margins to it half a unit off.
      if (Number(exact(band[end]).div(unit).d) !== 1) {
        out.push({
          ...where(`/bands/${i}/${end}`),
          code: "band-finer-than-scale",
          severity: "error",
          received: String(band[end]),
          expected: `a multiple of ${unit.toString()}`,
          message: `Band "${band.code}" ${end === "min" ? "starts" : "ends"} at ${band[end]}, finer than the scale's ${scale.decimals} decimal(s); write it at ${scale.decimals} decimal(s).`,
        });
      }
    }
  });
  for (const flag of [scale.flags.noEvidence, scale.flags.notApplicable]) {
    if (codes.has(flag.code)) out.push({ ...where("/flags"), code: "duplicate-band-code", severity: "error", received: flag.code, message: `Flag code "${flag.code}" is also a band code.` });
  }
  const order = RatingAuthority.bandsOf(scale).map((band) => ({ band, index: scale.bands.indexOf(band) }));
  const first = order[0];
  const last = order.at(-1);
  if (first && !exact(first.band.min).equals(exact(scale.min))) {
    out.push({
      ...where(`/bands/${first.index}/min`),
      code: "bands-coverage",
      severity: "error",
      expected: String(scale.min),
      received: String(first.band.min),
      message: `The lowest band starts at ${first.band.min}, so scores from ${scale.min} are not covered.`,
    });
  }
  if (last && !exact(last.band.max).equals(exact(scale.max))) {
    out.push({
      ...where(`/bands/${last.index}/max`),
      code: "bands-coverage",
      severity: "error",
      expected: String(scale.max),
      received: String(last.band.max),
      message: `The highest band ends at ${last.band.max}, so scores up to ${scale.max} are not covered.`,
    });
  }
  for (let i = 1; i < order.length; i++) {
    const lower = order[i - 1]!;
    const upper = order[i]!;
    const next = exact(lower.band.max).add(unit);
    const start = exact(upper.band.min);
    if (start.lte(exact(lower.band.max))) {
      out.push({
        ...where(`/bands/${upper.index}/min`),
        code: "bands-overlap",
        severity: "error",
        message: `Bands "${lower.band.code}" (to ${lower.band.max}) and "${upper.band.code}" (from ${upper.band.min}) overlap.`,
      });
    } else if (start.gt(next)) {
      out.push({
        ...where(`/bands/${upper.index}/min`),
        code: "bands-gap",
        severity: "error",
        expected: next.toString(),
        message: `Scores between ${lower.band.max} and ${upper.band.min} fall in no band (at ${scale.decimals} decimals, "${upper.band.code}" should start at ${next.toString()}).`,
      });
    }
  }
  return out;
}
