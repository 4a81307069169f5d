import type { Assessment, Evidence } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { formatScore, ratingLabel } from "../render/labels.js";
import { mdCell, oneLine } from "../render/score-md.js";
import { renderSurveyMarkdown } from "../render/survey.js";
import type { MiResult, ScoreResult } from "../scoring/result.js";
import { type ReportOptions, TOP_N, buildReportModel, collapsedText, confidenceText, coverageText, itemValue, sourceLine } from "./model.js";
import type { SurveySectionInput } from "./survey-html.js";

export interface MarkdownReportOptions extends ReportOptions {
  /** File name of the performance chart SVG written beside the Markdown; no image line when absent. */
  readonly chartFile?: string;
  /** The partner survey's statistics, as a section before the evidence. */
  readonly survey?: SurveySectionInput;
}

/** A file name safe to put in a Markdown image link: only the characters of plain file names. */
const safeFileName = (name: string): string | undefined => (/^[A-Za-z0-9._-]+$/.test(name) ? name : undefined);

/** The report's content as Markdown: the same sections as the HTML report, tables for figures. */
export function renderMarkdownReport(result: ScoreResult, framework: Framework, assessment: Assessment, scale: RatingScale, options: MarkdownReportOptions = {}): string {
  const model = buildReportModel(result, framework, assessment, scale, options);
  const d = model.decimals;
  const out: string[] = [];
  const score = (s: number | null) => formatScore(s, d);
  out.push(`# ${mdCell(model.organisation)}`, "", `*${mdCell(model.title)}*`, "");
  for (const [i, s] of model.statement.entries()) out.push(`> ${i === 0 ? "**Provenance.** " : ""}${mdCell(s)}`, ">");
  out.pop();
  out.push("", "## Provenance", "", "| | |", "|---|---|");
  for (const f of model.facts) out.push(`| ${mdCell(f.label)} | ${f.code ? `\`${oneLine(f.value).replace(/`/g, "'").replace(/\|/g, "\\|")}\`` : mdCell(f.value)} |`);

  out.push("", "## Performance", "");
  const chart = options.chartFile === undefined ? undefined : safeFileName(options.chartFile);
  if (chart) out.push(`![Performance chart](${chart})`, "");
  out.push(
    `Each row of the chart is a KPI, each segment one of its micro-indicators (MIs) coloured by its rating. Rating bands of scale \`${scale.id}\`: ` +
      [...RatingAuthority.bandsOf(scale)]
        .reverse()
        .map((b) => `${mdCell(b.label)} ${b.min.toFixed(scale.decimals)}–${b.max.toFixed(scale.decimals)}`)
        .join("; ") +
      ".",
    "",
    "## KPI scores",
    "",
    "| KPI | Title | Score | Rating | MIs scored | Items scored / N/E / N/A | Confidence H/M/L |",
    "|---|---|---:|---|---:|---:|---:|",
  );
  for (const { area, kpis } of model.kpisByArea) {
    out.push(`| **${mdCell(area.id)}** | **${mdCell(area.title)}** |${area.statistic ? ` ${score(area.statistic.score)} | ${mdCell(ratingLabel(area.statistic.rating, scale))} ` : " | "}| | | |`);
    for (const k of kpis) {
      out.push(
        `| ${mdCell(k.id)} | ${mdCell(k.title)} | ${score(k.score)} | ${mdCell(ratingLabel(k.rating, scale))}${k.provisional ? " (provisional)" : ""} | ${k.miCoverage.scored} of ${k.miCoverage.total} | ${k.coverage.scored} / ${k.coverage.noEvidence} / ${k.coverage.notApplicable} | ${k.confidence.high}/${k.confidence.medium}/${k.confidence.low} |`,
      );
    }
  }

  const provisional = result.kpis.filter((k) => k.provisional);
  if (provisional.length > 0) {
    out.push("", "Provisional KPI ratings, under the coverage rule:", "");
    for (const k of provisional) out.push(`- ${mdCell(k.id)}: ${mdCell(k.provisional!.reason)}.`);
  }
  out.push(
    "",
    "## Strengths and weaknesses",
    "",
    `The ${model.strengths.length} highest and ${model.weaknesses.length} lowest scored micro-indicators (at most ${TOP_N} each) of ${model.scoredMis} scored; ties in framework order.`,
    "",
  );
  const ranked = (title: string, mis: readonly MiResult[]) => {
    out.push(`### ${title}`, "");
    if (mis.length === 0) return void out.push("No scored micro-indicators.", "");
    out.push("| MI | Title | Score | Rating |", "|---|---|---:|---|");
    for (const m of mis) out.push(`| ${mdCell(m.id)} | ${mdCell(m.title)} | ${score(m.score)} | ${mdCell(ratingLabel(m.rating, scale))} |`);
    out.push("");
  };
  ranked("Highest scored MIs", model.strengths);
  ranked("Lowest scored MIs", model.weaknesses);

  out.push("## Coverage", "", "Elements (results MIs for results KPIs) per KPI.", "", "| KPI | Scored | N/E | N/A | Total | Share scored |", "|---|---:|---:|---:|---:|---:|");
  for (const k of result.kpis) {
    const c = k.coverage;
    out.push(`| ${mdCell(k.id)} | ${c.scored} | ${c.noEvidence} | ${c.notApplicable} | ${c.total} | ${c.total === 0 ? "—" : `${Math.round((c.scored / c.total) * 100)}%`} |`);
  }

  out.push("", "## Micro-indicators, elements and evidence", "");
  for (const { kpi, mis } of model.details) {
    out.push(`### ${mdCell(kpi.id)} ${mdCell(kpi.title)}: ${score(kpi.score)} ${mdCell(ratingLabel(kpi.rating, scale))}${kpi.provisional ? " (provisional)" : ""}`, "");
    for (const { mi, listed, collapsed } of mis) {
      out.push(`#### ${mdCell(mi.id)} ${mdCell(mi.title)}: ${score(mi.score)} ${mdCell(ratingLabel(mi.rating, scale))}${mi.provisional ? " (provisional)" : ""}`, "");
      out.push(`Coverage: ${coverageText(mi.coverage)}. Confidence: ${mdCell(confidenceText(mi))}.${mi.provisional ? ` Provisional: ${mdCell(mi.provisional.reason)}.` : ""}`, "");
      if (listed.length > 0) {
        out.push(`| ${mi.scoring === "rubric" ? "Rated item" : "Element"} | Score | Basis | Rationale | Evidence |`, "|---|---:|---|---|---|");
        for (const item of listed) {
          const notes = [
            item.rationale ? mdLines(item.rationale) : "",
            item.descriptor ? `Level ${itemValue(item)}: ${mdCell(item.descriptor)}` : "",
            item.conflict
              ? `Evidence streams disagree: ${Object.entries(item.conflict.streams)
                  .map(([s, v]) => `${s} ${v}`)
                  .join(", ")} (spread ${item.conflict.spread}).`
              : "",
          ]
            .filter((x) => x !== "")
            .join(" ");
          out.push(`| ${mdCell(item.id)} ${mdCell(item.title)} | ${mdCell(itemValue(item))} | ${item.label} | ${notes} | ${item.evidence.map(mdCell).join(", ")} |`);
        }
        out.push("");
      }
      for (const run of collapsed) out.push(mdCell(collapsedText(run, mi)), "");
    }
  }
  if (options.survey) {
    const { statistics, context, note } = options.survey;
    out.push(renderSurveyMarkdown(statistics, context, true, 2).trimEnd(), "");
    if (note) out.push(mdCell(note), "");
  }
  out.push("## Evidence", "");
  if (model.evidence.length === 0) out.push("The assessment records no evidence.", "");
  for (const { evidence, citedBy } of model.evidence) out.push(evidenceLine(evidence, citedBy));
  if (model.evidence.length > 0) out.push("");
  out.push(
    "---",
    "",
    `Generated by ${result.provenance.engine.name} ${result.provenance.engine.version} from assessment \`${result.provenance.assessmentHash}\` and framework \`${result.provenance.framework.id}\` ${mdCell(result.provenance.framework.version)}.`,
    "",
  );
  return out.join("\n");
}

/** Text for a table cell keeping its line breaks (<br>) and paragraphs (<br><br>), escaped. */
const mdLines = (text: string): string => text.replace(/\r\n?/g, "\n").split("\n").map(mdCell).join("<br>");

function evidenceLine(ev: Evidence, citedBy: readonly string[]): string {
  const parts = [`**${mdCell(ev.id)}** (${ev.stream})`];
  if (ev.quote) parts.push(`“${mdCell(ev.quote)}”`);
  if (ev.summary) parts.push(mdCell(ev.summary));
  parts.push(`Source: ${mdCell(sourceLine(ev))}${ev.source.url ? `, ${mdCell(ev.source.url)}` : ""}`);
  parts.push(citedBy.length > 0 ? `Cited by ${citedBy.map(mdCell).join(", ")}` : "Not cited by any element");
  return `- ${parts.join(" — ")}`;
}
