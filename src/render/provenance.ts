import type { ScoringPolicy } from "../framework/schema.js";
import type { Provisional, ScoreProvenance, ScoreResult } from "../scoring/result.js";

const DESCRIBE: Readonly<Record<string, string>> = {
  verified: "verified against a public source",
  "reconstructed-high": "reconstructed (high confidence), not the official text",
  "reconstructed-medium": "reconstructed (medium confidence), not the official text",
  "reconstructed-low": "reconstructed (low confidence), not the official text",
  project: "written by this project",
};
const describe = (status: string): string => DESCRIBE[status] ?? status;
const official = (status: string): boolean => status === "verified";

/**
 * What the figures rest on, said from the result's provenance: the framework's, the rating scale's
 * and the judgements' own status. An assessment that states no provenance is its assessors' work.
 */
export function provenanceLines(p: ScoreProvenance): string[] {
  const fw = p.framework;
  const items = Object.entries(fw.items)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const j = p.judgements;
  const judgements =
    j === null
      ? "Judgements: made by the assessors this assessment names."
      : j.status === "project"
        ? `Judgements: made by this project${j.source ? ` from ${j.source}` : ""}.`
        : `Judgements: ${describe(j.status)}${j.source ? `; source: ${j.source}` : ""}.`;
  const lines = [`Framework ${fw.id}: ${describe(fw.provenance)}; items by provenance: ${items}.`, `Rating scale ${p.ratingScale.id}: ${describe(p.ratingScale.provenance)}.`, judgements];
  const unofficial = !official(p.ratingScale.provenance) || Object.keys(fw.items).some((s) => !official(s));
  if (unofficial) lines.push("Ratings computed on reconstructed or project-written rules and text are not official published figures.");
  return lines;
}

/** The coverage rule in words: "project rule: KPI at least 50% of applicable items scored and 3 scored; MI ..."; null when there is none. */
export function coverageRuleText(policy: ScoringPolicy): string | null {
  const rule = policy.provisional;
  if (!rule) return null;
  if (!rule.enabled) return `${rule.status} rule, switched off`;
  const threshold = (level: "mi" | "kpi") => {
    const t = rule[level];
    const parts = [
      t?.minScoredShare !== undefined ? `at least ${Math.round(t.minScoredShare * 1000) / 10}% of applicable items scored` : null,
      t?.minScored !== undefined ? `at least ${t.minScored} scored` : null,
    ].filter((x) => x !== null);
    return parts.join(" and ") || "no threshold";
  };
  return `${rule.status} rule: KPI ${threshold("kpi")}; MI ${threshold("mi")}`;
}

/** "Provisional (*): 8 KPI and 27 MI ratings ..." with the rule; null when none is. */
export function provisionalSummary(result: ScoreResult): string | null {
  const kpis = result.kpis.filter((k) => k.provisional !== null).length;
  const mis = result.mis.filter((m) => m.provisional !== null).length;
  const rule = coverageRuleText(result.provenance.policy);
  if (rule === null || (kpis === 0 && mis === 0)) return null;
  return `Provisional (*): ${kpis} KPI and ${mis} MI ratings rest on fewer scored items than the coverage rule asks (${rule}). Their scores are computed and shown; their ratings are provisional.`;
}

/** The marker a provisional rating carries in tables. */
export const provisionalMark = (p: Provisional | null): string => (p === null ? "" : "*");

/** A few words for a report's eyebrow, from the same provenance: "reconstructed framework · judgements by this project". */
export function provenanceTag(p: ScoreProvenance): string {
  const statuses = Object.keys(p.framework.items);
  const framework = statuses.every(official) ? "verified framework" : statuses.some((s) => s.startsWith("reconstructed")) ? "reconstructed framework" : "framework written by this project";
  const j = p.judgements;
  const judgements = j === null ? "judgements by the assessors" : j.status === "project" ? "judgements by this project" : `judgements ${j.status}`;
  const unofficial = !official(p.ratingScale.provenance) || !statuses.every(official);
  return [framework, judgements, ...(unofficial ? ["not official figures"] : [])].join(" · ");
}
