import type { RatingScale } from "../rating/schema.js";
import type { Coverage, KpiResult, MiResult, ScoreResult } from "../scoring/result.js";
import { appendAll } from "../diagnostics/diagnostic.js";
import { confidenceLabel, formatScore, pad, ratingLabel, ratingRank } from "./labels.js";
import { NO_PAINT, type Paint } from "../diagnostics/paint.js";
import { provenanceLines, provisionalMark, provisionalSummary } from "./provenance.js";
import { streamLines } from "./streams.js";

export interface ScoreRenderOptions {
  readonly detail?: boolean;
  /** Shown under the heading (a line of context the caller adds). */
  readonly note?: string;
  /** Terminal colours for the ratings; none by default. */
  readonly paint?: Paint;
}

/**
 * The line every score output carries when items are not judged yet: how many, per KPI. They are
 * counted in the N/E column for the arithmetic, and this line says they are not judgements.
 */
export function unjudgedSummary(result: ScoreResult): string | undefined {
  if (result.unjudged.length === 0) return undefined;
  return `Not judged yet: ${result.unjudged.length} of ${result.elements.length + result.mis.filter((m) => m.scoring === "rubric").length} items (${unjudgedPerKpi(result)}). They count as N/E above, but no one judged them to lack evidence.`;
}

/** The items not judged yet, counted per KPI: "KPI1 3, KPI4 1". */
export const unjudgedPerKpi = (result: ScoreResult): string =>
  result.kpis
    .filter((k) => k.unjudged > 0)
    .map((k) => `${k.id} ${k.unjudged}`)
    .join(", ");

const cov = (c: Coverage) => `${c.scored}/${c.noEvidence}/${c.notApplicable}`;

/** The KPI table grouped by performance area; with detail, every MI and element under its KPI. */
export function renderScoreText(result: ScoreResult, scale: RatingScale, title: string, options: ScoreRenderOptions = {}): string {
  const d = result.provenance.policy.rounding.decimals;
  const p = result.provenance;
  const paint = options.paint ?? NO_PAINT;
  const rating = (code: string, mark = "") => paint.rating(pad(ratingLabel(code, scale) + mark, 22), ratingRank(code, scale), scale.bands.length);
  const lines: string[] = [
    title,
    `Framework ${p.framework.id} ${p.framework.version}, methodology ${p.methodology}, rating scale ${p.ratingScale.id} (${p.ratingScale.provenance}); engine ${p.engine.version}`,
  ];
  if (options.note) lines.push(options.note);
  lines.push(...provenanceLines(p), "");
  const kpisByPa = new Map<string, KpiResult[]>();
  for (const kpi of result.kpis) kpisByPa.set(kpi.performanceArea, [...(kpisByPa.get(kpi.performanceArea) ?? []), kpi]);
  const misById = new Map(result.mis.map((m) => [m.id, m]));
  const elementsByMi = new Map<string, (typeof result.elements)[number][]>();
  for (const e of result.elements) elementsByMi.set(e.mi, [...(elementsByMi.get(e.mi) ?? []), e]);
  const header = `  ${pad("", 10)} ${pad("Score", 6)} ${pad("Rating", 22)} ${pad("Scored/NE/NA", 13)} Confidence H/M/L`;
  for (const pa of result.performanceAreas) {
    lines.push(`${pa.id} ${pa.title}${pa.statistic ? `  (mean ${formatScore(pa.statistic.score, d)}, ${ratingLabel(pa.statistic.rating, scale)}; ${pa.statistic.note})` : ""}`);
    lines.push(header);
    for (const kpi of kpisByPa.get(pa.id) ?? []) {
      const c = kpi.confidence;
      lines.push(
        `  ${pad(kpi.id, 10)} ${pad(formatScore(kpi.score, d), 6)} ${rating(kpi.rating, provisionalMark(kpi.provisional))} ${pad(cov(kpi.coverage), 13)} ${c.high}/${c.medium}/${c.low}  ${kpi.title}`,
      );
      if (!options.detail) continue;
      for (const miId of kpi.mis) {
        const mi = misById.get(miId) as MiResult;
        const conf = confidenceLabel(mi.confidence.computed);
        const stated = mi.confidence.stated ? ` (stated ${confidenceLabel(mi.confidence.stated)})` : "";
        lines.push(`    ${pad(mi.id, 8)} ${pad(formatScore(mi.score, d), 6)} ${rating(mi.rating, provisionalMark(mi.provisional))} ${pad(cov(mi.coverage), 13)} ${conf}${stated}  ${mi.title}`);
        for (const e of elementsByMi.get(mi.id) ?? []) {
          const value = e.flag ?? formatScore(e.score, 0);
          const how = e.source === "judgement" ? "" : ` (${e.source})`;
          lines.push(
            `      ${pad(e.id, 11)} ${pad(value, 4)}${how}${
              e.conflict
                ? `  conflict: streams ${Object.entries(e.conflict.streams)
                    .map(([s, v]) => `${s} ${v}`)
                    .join(", ")}`
                : ""
            }`,
          );
        }
      }
    }
    lines.push("");
  }
  lines.push("Scored/NE/NA: elements, or results MIs rated directly, with a score / no evidence / not applicable.");
  lines.push("Confidence H/M/L: MIs computed at high / medium / little to no confidence.");
  const unjudged = unjudgedSummary(result);
  if (unjudged !== undefined) lines.push(unjudged);
  const provisional = provisionalSummary(result);
  if (provisional !== null) {
    lines.push(provisional);
    for (const kpi of result.kpis) if (kpi.provisional) lines.push(`  ${kpi.id}: ${kpi.provisional.reason}.`);
    if (options.detail) for (const mi of result.mis) if (mi.provisional) lines.push(`  ${mi.id}: ${mi.provisional.reason}.`);
  }
  if (result.confidenceDisagreements.length > 0) {
    lines.push("", "Stated confidence differs from the computed one:");
    for (const c of result.confidenceDisagreements) lines.push(`  ${c.mi}: stated ${confidenceLabel(c.stated)}, computed ${c.computed === null ? "none" : confidenceLabel(c.computed)}`);
  }
  appendAll(lines, streamLines(result));
  if (result.conflicts.length > 0) {
    lines.push("", "Evidence streams disagree by the conflict spread or more:");
    for (const c of result.conflicts)
      lines.push(
        `  ${c.id}: ${Object.entries(c.streams)
          .map(([s, v]) => `${s} ${v}`)
          .join(", ")} (spread ${c.spread})`,
      );
  }
  return lines.join("\n") + "\n";
}
