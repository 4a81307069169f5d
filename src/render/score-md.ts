import type { RatingScale } from "../rating/schema.js";
import type { ScoreResult } from "../scoring/result.js";
import { confidenceLabel, formatScore, ratingLabel } from "./labels.js";
import { provenanceLines, provisionalMark, provisionalSummary } from "./provenance.js";
import { type ScoreRenderOptions, unjudgedSummary } from "./score-text.js";

/**
 * Escapes text for Markdown prose or a table cell: no markup, HTML or entity in the data takes
 * effect, and every line terminator (CR LF, a lone CR, LF, VT, FF, NEL, U+2028, U+2029) becomes a
 * space, so data can neither end a table row nor start a heading, list or code block.
 */
export const mdCell = (text: string): string => oneLine(text.replace(/[\\`*_{}[\]<>|#&~]/g, (c) => `\\${c}`));

/** Every line terminator as a space. */
export const oneLine = (text: string): string => text.replace(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g, " ");

export function renderScoreMarkdown(result: ScoreResult, scale: RatingScale, title: string, options: ScoreRenderOptions = {}): string {
  const d = result.provenance.policy.rounding.decimals;
  const p = result.provenance;
  const out: string[] = [`# ${mdCell(title)}`, ""];
  out.push(`Framework \`${p.framework.id}\` ${p.framework.version}, methodology ${p.methodology}, rating scale \`${p.ratingScale.id}\` (${p.ratingScale.provenance}).`);
  if (options.note) out.push("", mdCell(options.note));
  out.push("", ...provenanceLines(p).map((line) => `> ${mdCell(line)}  `), "");
  const unjudged = unjudgedSummary(result);
  if (unjudged !== undefined) out.push(`> **${mdCell(unjudged)}**`, "");
  const misById = new Map(result.mis.map((m) => [m.id, m]));
  for (const pa of result.performanceAreas) {
    out.push(`## ${pa.id} ${mdCell(pa.title)}`, "");
    out.push("| KPI | Title | Score | Rating | Scored | N/E | N/A | Confidence H/M/L |", "|---|---|---:|---|---:|---:|---:|---|");
    for (const kpi of result.kpis.filter((k) => k.performanceArea === pa.id)) {
      const c = kpi.coverage;
      out.push(
        `| ${kpi.id} | ${mdCell(kpi.title)} | ${formatScore(kpi.score, d)} | ${ratingLabel(kpi.rating, scale)}${provisionalMark(kpi.provisional) ? " \\*" : ""} | ${c.scored} | ${c.noEvidence} | ${c.notApplicable} | ${kpi.confidence.high}/${kpi.confidence.medium}/${kpi.confidence.low} |`,
      );
    }
    out.push("");
    if (!options.detail) continue;
    for (const kpi of result.kpis.filter((k) => k.performanceArea === pa.id)) {
      out.push(`### ${kpi.id} micro-indicators`, "", "| MI | Title | Score | Rating | Scored | N/E | N/A | Confidence |", "|---|---|---:|---|---:|---:|---:|---|");
      for (const id of kpi.mis) {
        const mi = misById.get(id)!;
        const c = mi.coverage;
        out.push(
          `| ${mi.id} | ${mdCell(mi.title)} | ${formatScore(mi.score, d)} | ${ratingLabel(mi.rating, scale)}${provisionalMark(mi.provisional) ? " \\*" : ""} | ${c.scored} | ${c.noEvidence} | ${c.notApplicable} | ${mi.confidence.computed === null ? "—" : confidenceLabel(mi.confidence.computed)} |`,
        );
      }
      out.push("");
    }
  }
  const provisional = provisionalSummary(result);
  if (provisional !== null) {
    out.push(mdCell(provisional), "");
    for (const item of [...result.kpis, ...(options.detail ? result.mis : [])]) if (item.provisional) out.push(`- ${item.id}: ${mdCell(item.provisional.reason)}`);
    out.push("");
  }
  return out.join("\n");
}
