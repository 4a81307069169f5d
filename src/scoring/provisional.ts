import type { CoverageThreshold, ProvisionalRule } from "../framework/schema.js";
import type { Coverage, Provisional } from "./result.js";

/**
 * Whether a computed rating is provisional under the policy's coverage rule: fewer scored items
 * (elements, or results MIs) than the rule's least share of the applicable ones, or than its least
 * count (capped at the applicable count, so an MI with one applicable item can be firm). Only a
 * computed score can be provisional (`rated`); an item with no score is shown as N/E or N/A instead.
 * The one place this rule is applied.
 */
export function provisionalStatus(coverage: Coverage, rule: ProvisionalRule | undefined, level: "mi" | "kpi", rated: boolean): Provisional | null {
  if (!rated || !rule?.enabled) return null;
  const threshold: CoverageThreshold | undefined = rule[level];
  const applicable = coverage.total - coverage.notApplicable;
  if (!threshold || applicable === 0) return null;
  const share = coverage.scored / applicable;
  const unmet: string[] = [];
  if (threshold.minScoredShare !== undefined && share < threshold.minScoredShare) {
    unmet.push(`at least ${percent(threshold.minScoredShare)} scored`);
  }
  if (threshold.minScored !== undefined && coverage.scored < Math.min(threshold.minScored, applicable)) {
    unmet.push(`at least ${threshold.minScored} scored`);
  }
  if (unmet.length === 0) return null;
  const what = level === "mi" ? "an MI" : "a KPI";
  return {
    scored: coverage.scored,
    applicable,
    reason: `${coverage.scored} of ${applicable} applicable items scored (${percent(share)}); the ${rule.status} coverage rule for ${what} asks for ${unmet.join(" and ")}`,
  };
}

/** A share as a whole percentage, or with one decimal where that hides a difference (0.495 is 49.5%). */
function percent(share: number): string {
  const whole = Math.round(share * 100);
  const tenth = Math.round(share * 1000) / 10;
  return `${whole === tenth ? whole : tenth}%`;
}
