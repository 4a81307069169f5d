/**
 * Which rating scale an assessment is rated on, and whether that scale fits the framework's
 * scoring policy. The one place a scale is chosen: `checkAssessment` (and through it `validate`,
 * `score` and every analysis) asks `resolveRatingScale`.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { RatingScale } from "../rating/schema.js";
import { onStep } from "../util/exact.js";
import type { Framework } from "./model.js";
import type { ScoringPolicy } from "./schema.js";

/** A policy contradicts a scale when its precision or ranges cannot produce the scale's ratings. */
export function checkPolicyAgainstScale(policy: ScoringPolicy, scale: RatingScale, origin: { file?: string; pointer: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const p = origin.pointer;
  const where = (pointer: string) => ({ ...origin, pointer: p + pointer });
  const mismatch = (pointer: string, message: string, expected?: string, received?: string): Diagnostic => ({
    ...where(pointer),
    code: "policy-scale-mismatch",
    severity: "error",
    message,
    ...(expected === undefined ? {} : { expected }),
    ...(received === undefined ? {} : { received }),
  });
  if (policy.rounding.decimals !== scale.decimals) {
    out.push(
      mismatch(
        "/rounding/decimals",
        `Scores are rounded to ${policy.rounding.decimals} decimals but rating scale "${scale.id}" is written at ${scale.decimals}.`,
        String(scale.decimals),
        String(policy.rounding.decimals),
      ),
    );
  }
  for (const [name, s] of [
    ["elementScale", policy.elementScale],
    ["resultsScale", policy.resultsScale],
  ] as const) {
    if (s.min > s.max) out.push(mismatch(`/${name}`, `The ${name} runs from ${s.min} down to ${s.max}.`));
    else if (s.min < scale.min || s.max > scale.max) {
      out.push(
        mismatch(`/${name}`, `The ${name} (${s.min} to ${s.max}) reaches outside rating scale "${scale.id}" (${scale.min} to ${scale.max}).`, `${scale.min} to ${scale.max}`, `${s.min} to ${s.max}`),
      );
    } else if (!onStep(s.max, s.min, s.step)) {
      out.push(mismatch(`/${name}/step`, `The ${name} step ${s.step} does not lead from ${s.min} to ${s.max}.`));
    }
  }
  for (const flag of ["N/E", "N/A"] as const) {
    const t = policy.flags[flag];
    if (t.treatment === "score" && (t.score < policy.elementScale.min || t.score > policy.elementScale.max || !onStep(t.score, policy.elementScale.min, policy.elementScale.step))) {
      out.push(
        mismatch(
          `/flags/${flag.replace("/", "~1")}/score`,
          `${flag} is counted as ${t.score}, which is not a score on the element scale (${policy.elementScale.min} to ${policy.elementScale.max}, step ${policy.elementScale.step}).`,
          undefined,
          String(t.score),
        ),
      );
    }
  }
  return out;
}

/** The scale chosen for an assessment, or the errors that keep it from being rated. */
export interface ResolvedScale {
  readonly scale?: RatingScale;
  readonly diagnostics: Diagnostic[];
}

/** Either the known scales to choose from by methodology, or a scale chosen by the caller. */
export type ScaleChoice = { readonly scales: readonly RatingScale[] } | { readonly explicit: RatingScale };

/**
 * The scale an assessment of `methodology` is rated on. An explicit choice is used as given. Else
 * the framework's own scale (its policy's `ratingScale`) when the methodology is the framework's;
 * otherwise the one known scale that lists the methodology: none is `unknown-methodology`, more
 * than one `rating-scale-ambiguous`. The scale actually used is then checked against the
 * framework's policy: a scale written at other decimals, or narrower than the policy's scales, is
 * `rating-scale-mismatch`. Diagnostics point at `origin` (the assessment's methodology).
 */
export function resolveRatingScale(framework: Framework | undefined, methodology: string, choice: ScaleChoice, origin: { file?: string; pointer?: string } = {}): ResolvedScale {
  const error = (code: string, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({ ...origin, code, severity: "error", message, received: methodology, ...extra });
  let scale: RatingScale | undefined;
  if ("explicit" in choice) scale = choice.explicit;
  else {
    const own = framework && methodology === framework.methodology ? choice.scales.find((s) => s.id === framework.policy.ratingScale) : undefined;
    const candidates = own ? [own] : choice.scales.filter((s) => s.methodologies.includes(methodology));
    if (candidates.length === 0) return { diagnostics: [error("unknown-methodology", `No rating scale is known for methodology "${methodology}".`)] };
    if (candidates.length > 1) {
      const ids = candidates.map((s) => s.id);
      return {
        diagnostics: [
          error("rating-scale-ambiguous", `Methodology "${methodology}" is claimed by ${ids.length} rating scales (${ids.join(", ")}); keep one, or give the methodology its own scale.`, {
            expected: "one rating scale",
            received: ids.join(", "),
          }),
        ],
      };
    }
    scale = candidates[0]!;
  }
  if (!framework) return { scale, diagnostics: [] };
  const problems = checkPolicyAgainstScale(framework.policy, scale, { pointer: "/policy" });
  if (problems.length === 0) return { scale, diagnostics: [] };
  return {
    diagnostics: problems.map((p) => ({
      ...origin,
      code: "rating-scale-mismatch",
      severity: "error",
      message: `Methodology "${methodology}" is rated on scale "${scale.id}", which does not fit the policy of ${framework.id} (${p.pointer}): ${p.message}`,
      ...(p.expected === undefined ? {} : { expected: p.expected }),
      ...(p.received === undefined ? {} : { received: p.received }),
    })),
  };
}
