/**
 * Rescoring with changed judgements: the assessment as it is against the assessment with some
 * element scores (or results MI ratings) set to other values. Pure: no I/O. Both sides are scored
 * by `score()`; this module only validates the settings and compares the two results.
 */
import type { Assessment, ScoreValue } from "../assessment/schema.js";
import { parseScore } from "../assessment/score-text.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type Framework, indexFramework } from "../framework/model.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { onStep } from "../util/exact.js";
import type { RatingScale } from "../rating/schema.js";
import { planFor } from "../scoring/plan.js";
import type { ScoreResult } from "../scoring/result.js";
import { resolveLeaves, score } from "../scoring/score.js";
import { Fraction, toNumber } from "../util/exact.js";
import { type Rated, type RunParameters, runParameters } from "./shared.js";

/** One setting as given: `MI1.1.E1=3`, `MI9.1=N/E`. */
export interface Setting {
  readonly id: string;
  readonly value: string;
}

export interface AppliedSetting {
  readonly id: string;
  /** What the leaf scored before: a score, N/E or N/A. */
  readonly from: ScoreValue;
  readonly to: ScoreValue;
}

export interface WhatIfChange {
  readonly id: string;
  readonly level: "mi" | "kpi";
  readonly before: Rated;
  readonly after: Rated;
  /** After minus before, of the exact scores at the policy's decimals + 2; null when either side has no score. */
  readonly change: number | null;
  /** The change as an exact fraction. */
  readonly exactChange: string | null;
  readonly ratingChanged: boolean;
}

export interface WhatIfResult {
  readonly organisation: string;
  readonly parameters: RunParameters & {
    readonly policy: ScoringPolicy;
    readonly assessmentHash: { readonly before: string; readonly after: string };
    readonly settings: readonly AppliedSetting[];
  };
  /** Sorted by absolute change, largest first; a score appearing or disappearing counts as largest. */
  readonly kpis: readonly WhatIfChange[];
  readonly mis: readonly WhatIfChange[];
  readonly ratingChanges: readonly { readonly id: string; readonly level: "mi" | "kpi"; readonly from: string; readonly to: string }[];
}

const FILE = "--set";

/** Checks settings against the framework and its scales; every problem is collected. */
export function checkSettings(framework: Framework, settings: readonly Setting[]): { values: Map<string, ScoreValue>; diagnostics: Diagnostic[] } {
  const index = indexFramework(framework);
  const { policy } = framework;
  const diagnostics: Diagnostic[] = [];
  const values = new Map<string, ScoreValue>();
  const fail = (s: Setting, code: string, message: string, extra: Partial<Diagnostic> = {}) =>
    diagnostics.push({ file: `${FILE} ${s.id}=${s.value}`, code, severity: "error", message, received: s.value, ...extra });
  for (const s of settings) {
    const mi = index.mis.get(s.id);
    const kind = index.elements.has(s.id) ? "element" : mi?.scoring === "rubric" ? "results-mi" : undefined;
    if (kind === undefined) {
      const message = mi ? `"${s.id}" is scored through its elements; set those (${mi.elements[0]?.id ?? "none"} ...) instead.` : `"${s.id}" is not an element or results MI of ${framework.id}.`;
      fail(s, mi ? "mi-scored-through-elements" : "unknown-id", message, { received: s.id });
      continue;
    }
    if (values.has(s.id)) {
      fail(s, "duplicate-setting", `"${s.id}" is set more than once.`, { received: s.id });
      continue;
    }
    // The same rule as a spreadsheet cell: flags in any case, 2.5 or 2,5.
    const parsed = parseScore(s.value, true);
    const text = s.value.trim();
    if (parsed === "N/E" || parsed === "N/A") {
      values.set(s.id, parsed);
      continue;
    }
    const scale = kind === "results-mi" ? policy.resultsScale : policy.elementScale;
    const what = kind === "results-mi" ? "results rating" : "element score";
    const n = typeof parsed === "number" ? parsed : Number.NaN;
    if (!Number.isFinite(n)) {
      fail(s, "invalid-value", `"${s.value}" for "${s.id}" is not a number, N/E or N/A.`, { expected: `${scale.min} to ${scale.max}, N/E or N/A` });
    } else if (n < scale.min || n > scale.max) {
      fail(s, "score-off-scale", `${text} for "${s.id}" is outside the ${what} scale ${scale.min} to ${scale.max}.`, { expected: `${scale.min} to ${scale.max}` });
    } else if (!onStep(n, scale.min, scale.step)) {
      fail(s, "score-off-step", `${text} for "${s.id}" is not a step of the ${what} scale (${scale.min} to ${scale.max} in steps of ${scale.step}).`, { expected: `steps of ${scale.step}` });
    } else values.set(s.id, n);
  }
  return { values, diagnostics };
}

/** The assessment with the given leaves judged at the given values (rationale and evidence kept). */
export function applySettings(assessment: Assessment, values: ReadonlyMap<string, ScoreValue>): Assessment {
  const seen = new Set<string>();
  const judgements = assessment.judgements.map((j) => {
    const v = values.get(j.id);
    if (v === undefined) return j;
    seen.add(j.id);
    return { ...j, score: v };
  });
  for (const [id, v] of values) if (!seen.has(id)) judgements.push({ id, score: v });
  return { ...assessment, judgements };
}

export function whatIf(framework: Framework, scale: RatingScale, assessment: Assessment, settings: readonly Setting[]): { result?: WhatIfResult; diagnostics: Diagnostic[] } {
  const { values, diagnostics } = checkSettings(framework, settings);
  if (diagnostics.length > 0) return { diagnostics };
  const changed = applySettings(assessment, values);
  const before = score(framework, scale, assessment);
  const after = score(framework, scale, changed);
  const plan = planFor(framework);
  const leaves = resolveLeaves(framework, assessment);
  const places = framework.policy.rounding.decimals + 2;
  const applied: AppliedSetting[] = [...values].map(([id, to]) => {
    const v = leaves[plan.leafIndex.get(id)!]!.value;
    return { id, from: v instanceof Fraction ? toNumber(v, places) : v, to };
  });
  const kpis = compare("kpi", before.kpis, after.kpis, places);
  const mis = compare("mi", before.mis, after.mis, places);
  return {
    diagnostics,
    result: {
      organisation: assessment.organisation.name,
      parameters: {
        ...runParameters(framework, scale),
        policy: framework.policy,
        assessmentHash: { before: before.provenance.assessmentHash, after: after.provenance.assessmentHash },
        settings: applied,
      },
      kpis,
      mis,
      ratingChanges: [...kpis, ...mis].filter((c) => c.ratingChanged).map((c) => ({ id: c.id, level: c.level, from: c.before.rating, to: c.after.rating })),
    },
  };
}

function compare(level: "mi" | "kpi", before: ScoreResult["kpis" | "mis"], after: ScoreResult["kpis" | "mis"], places: number): WhatIfChange[] {
  const rows = before.map((b, i) => {
    const a = after[i]!;
    const delta = b.exact !== null && a.exact !== null ? new Fraction(a.exact).sub(new Fraction(b.exact)) : null;
    const row: WhatIfChange = {
      id: b.id,
      level,
      before: { score: b.score, exact: b.exact, rating: b.rating },
      after: { score: a.score, exact: a.exact, rating: a.rating },
      change: delta === null ? null : toNumber(delta, places),
      exactChange: delta === null ? null : delta.toFraction(),
      ratingChanged: a.rating !== b.rating,
    };
    // A score that appears or disappears ranks above any numeric change.
    const appears = delta === null && (b.exact === null) !== (a.exact === null);
    return { row, appears, size: delta === null ? new Fraction(0) : delta.abs(), i };
  });
  return rows.sort((x, y) => Number(y.appears) - Number(x.appears) || y.size.compare(x.size) || x.i - y.i).map((r) => r.row);
}
