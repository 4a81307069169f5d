import type { Assessment } from "../assessment/schema.js";
import type { Framework } from "../framework/model.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { formatScore, ratingColour, ratingLabel } from "../render/labels.js";
import { provenanceTag, provisionalSummary } from "../render/provenance.js";
import type { Coverage, MiResult, Provisional, ScoreResult } from "../scoring/result.js";
import { coverageChartSvg, performanceChartSvg, textOn } from "./chart.js";
import { type SafeHtml, anchorId, html, safeColour, safeHref, trusted } from "./escape.js";
import {
  type EvidenceDetail,
  type ItemDetail,
  type MiDetail,
  type ReportModel,
  type ReportOptions,
  TOP_N,
  buildReportModel,
  collapsedText,
  confidenceText,
  coverageText,
  itemValue,
  organisationName,
  sourceLine,
} from "./model.js";
import { CSP, REPORT_CSS } from "./style.js";
import { type SurveySectionInput, surveySection } from "./survey-html.js";

/** A rating as a coloured swatch and its label. */
export const ratingChip = (code: string, scale: RatingScale): SafeHtml =>
  html`<span class="rating"><span class="swatch" style="background:${safeColour(ratingColour(code, scale))}"></span>${ratingLabel(code, scale)}</span>`;

/** A score on a pill in its rating's colour. */
export function scorePill(score: number | null, rating: string, scale: RatingScale, decimals: number): SafeHtml {
  const colour = safeColour(ratingColour(rating, scale));
  return html`<span class="pill" style="background:${colour};color:${textOn(colour)}">${formatScore(score, decimals)}</span>`;
}

/** The start of every generated page, to its <title>: charset, the page's Content-Security-Policy, no referrer. */
export const pageHead = (title: string, csp: string): SafeHtml => html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mopan-engine">
<title>${title}</title>`;

/** A complete HTML page around a body: inline CSS, a CSP that forbids scripts and requests, no external assets. */
export function htmlPage(title: string, body: SafeHtml): string {
  return html`${pageHead(title, CSP)}
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
<div class="page">
${body}
</div>
</body>
</html>
`.value;
}

/**
 * The report as one self-contained HTML file: no scripts, no external assets, no requests;
 * readable with scripts off and printable. Every piece of data is escaped.
 */
export function renderHtmlReport(
  result: ScoreResult,
  framework: Framework,
  assessment: Assessment,
  scale: RatingScale,
  options: ReportOptions & { readonly survey?: SurveySectionInput } = {},
): string {
  const model = buildReportModel(result, framework, assessment, scale, options);
  const p = result.provenance;
  const d = model.decimals;
  const body = html`<header>
<p class="eyebrow">Performance report · ${model.provenanceTag}</p>
<h1>${model.organisation}</h1>
<p class="subtitle">${model.title}</p>
<p class="meta"><span>Period ${assessment.period.from} to ${assessment.period.to}</span><span>Framework <code>${p.framework.id}</code> ${p.framework.version}</span><span>Methodology ${p.methodology}</span><span>Rating scale <code>${p.ratingScale.id}</code></span><span class="screen-only">Engine ${p.engine.version}</span></p>
<nav class="toc screen-only" aria-label="Contents"><a href="#performance">Performance</a><a href="#strengths">Strengths and weaknesses</a><a href="#kpis">KPI scores</a><a href="#provenance">Provenance</a><a href="#coverage">Coverage</a><a href="#mis">Micro-indicators</a><a href="#evidence">Evidence</a>${options.survey ? html`<a href="#survey">Partner survey</a>` : ""}</nav>
</header>
<aside class="notice" role="note">${model.statement.map((s, i) => (i === 0 ? html`<p><strong>Provenance.</strong> ${s}</p>` : html`<p>${s}</p>`))}</aside>
<section id="summary" class="summary">
${keyFigures(result, scale)}
<section id="performance">
<h2>Performance</h2>
<figure>${trusted(performanceChartSvg(result, scale))}
<figcaption>Each row is a KPI; each segment one of its micro-indicators (MIs) in order, coloured by its rating and labelled with its score.<span class="screen-only"> Hover a segment for the MI's title.</span></figcaption></figure>
</section>
<section id="strengths">
<h2>Strengths and weaknesses</h2>
<div class="two-col">
<div>${miList("Highest scored MIs", model.strengths, scale, d)}</div>
<div>${miList("Lowest scored MIs", model.weaknesses, scale, d)}</div>
</div>
<p class="muted small">At most ${TOP_N} each of the ${model.scoredMis} scored MIs, never one in both lists; ties in framework order; MIs without a score are not ranked.</p>
</section>
</section>
<section id="kpis">
<h2>KPI scores</h2>
${kpiTable(model, scale)}
${provisionalNotes(result)}
<p class="small muted">MIs scored: MIs with a score out of the KPI's MIs. Items: elements (results MIs for results KPIs) scored / without evidence (N/E) / not applicable (N/A). Confidence: the KPI's MIs by computed confidence.</p>
</section>
<section id="provenance">
<h2>Provenance</h2>
<dl class="facts">${model.facts.map((f) => html`<div><dt>${f.label}</dt><dd>${f.code ? html`<code>${f.value}</code>` : f.value}</dd></div>`)}</dl>
</section>
<section id="coverage">
<h2>Coverage</h2>
<figure>${trusted(coverageChartSvg(result, scale))}
<figcaption>Per KPI, the share of its elements (results MIs for results KPIs) that carry a score, that no evidence spoke to (N/E, left out of the means) and that do not apply (N/A).</figcaption></figure>
</section>
<section id="mis">
<h2>Micro-indicators, elements and evidence</h2>
<p class="small muted">${
    options.full
      ? "Every element is listed."
      : "Elements with a score, a rationale, evidence or a conflict are listed in full; those with nothing recorded are counted on one line per MI (mopan report --full lists every element)."
  } Evidence entries are listed once, in the Evidence section, and linked from the elements that cite them.</p>
${model.kpisByArea.map(
  ({ area, kpis }) => html`<h3 class="area" id="${anchorId("pa", area.id)}">${area.id} ${area.title}</h3>
${kpis
  .map((kpi) => model.details.find((k) => k.kpi.id === kpi.id))
  .map(
    (k) =>
      k &&
      html`<div class="kpi-block" id="${anchorId("kpi", k.kpi.id)}">
<h4>${k.kpi.id} ${k.kpi.title} <span class="muted">·</span> ${scorePill(k.kpi.score, k.kpi.rating, scale, d)} ${ratingChip(k.kpi.rating, scale)}${provisionalTag(k.kpi.provisional)}</h4>
${k.mis.map((m) => miArticle(m, model, scale, d))}
</div>`,
  )}`,
)}
</section>
<section id="evidence">
<h2>Evidence</h2>
${model.evidence.length > 0 ? html`<ol class="evidence">${model.evidence.map((ev) => evidenceItem(ev))}</ol>` : html`<p class="muted">The assessment records no evidence.</p>`}
</section>
${options.survey ? surveySection(options.survey, framework) : ""}
<footer>Generated by ${p.engine.name} ${p.engine.version} from assessment <code>${p.assessmentHash}</code> and framework <code>${p.framework.id}</code> ${p.framework.version} (<code>${p.framework.contentHash}</code>). Same inputs, same report.</footer>`;
  return htmlPage(`${model.organisation}: performance report`, body);
}

/**
 * Chromium's running header and footer for the printed report (header and footer templates of
 * page.pdf): organisation, framework and version, the provenance note, and "page n of m". Data is
 * escaped; the templates carry their own styles, as the page's do not reach them.
 */
export function printTemplates(result: ScoreResult, assessment: Assessment): { header: string; footer: string } {
  const p = result.provenance;
  const style =
    "width:100%;box-sizing:border-box;padding:0 14mm;font:8pt/1.3 system-ui,'Liberation Sans',Arial,sans-serif;color:#52606d;display:flex;justify-content:space-between;gap:12px;-webkit-print-color-adjust:exact";
  // Each part is cut with an ellipsis when both do not fit; the organisation keeps at least a quarter of the line.
  const give = "flex:0 1 auto;min-width:25%;overflow:hidden;white-space:nowrap;text-overflow:ellipsis";
  const keep = "flex:0 1 auto;min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;text-align:right";
  const org = organisationName(assessment);
  return {
    header: html`<div style="${style}"><span style="${give}">${org}</span><span style="${keep}">${p.framework.id} ${p.framework.version} · ${provenanceTag(p)}</span></div>`.value,
    footer:
      html`<div style="${style}"><span style="${give}">${p.engine.name} ${p.engine.version} · assessment ${p.assessmentHash.slice(0, 12)}</span><span style="${keep}">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
        .value,
  };
}

export function keyFigures(result: ScoreResult, scale: RatingScale): SafeHtml {
  const scoredKpis = result.kpis.filter((k) => k.score !== null).length;
  const scoredMis = result.mis.filter((m) => m.score !== null).length;
  const items = result.kpis.reduce<Coverage>(
    (a, k) => ({
      total: a.total + k.coverage.total,
      scored: a.scored + k.coverage.scored,
      noEvidence: a.noEvidence + k.coverage.noEvidence,
      notApplicable: a.notApplicable + k.coverage.notApplicable,
    }),
    { total: 0, scored: 0, noEvidence: 0, notApplicable: 0 },
  );
  const pct = items.total === 0 ? "—" : `${Math.round((items.scored / items.total) * 100)}%`;
  const confidence = (level: string) => result.mis.filter((m) => m.confidence.computed === level).length;
  return html`<div class="kpi-figures" aria-label="Key figures">
<div class="counts"><p><b>${scoredKpis} of ${result.kpis.length}</b> KPIs scored · <b>${scoredMis} of ${result.mis.length}</b> MIs scored</p><p><b>${pct}</b> of ${items.total} items scored (elements and results MIs)</p><p>MI evidence confidence: high <b>${confidence("high")}</b> · medium <b>${confidence("medium")}</b> · low <b>${confidence("low")}</b></p></div>
<div class="band-counts"><span class="label">KPI ratings</span><dl>${[...RatingAuthority.bandsOf(scale)].reverse().map((b) => html`<dt>${ratingChip(b.code, scale)}</dt><dd>${result.kpis.filter((k) => k.rating === b.code).length}</dd>`)}</dl></div>
</div>`;
}

export function kpiTable(model: ReportModel, scale: RatingScale): SafeHtml {
  const d = model.decimals;
  return html`<table class="kpis">
<thead><tr><th>KPI</th><th>Title</th><th class="num">Score</th><th>Rating</th><th class="num">MIs scored</th><th class="num">Items scored / N/E / N/A</th><th class="num">Confidence H / M / L</th></tr></thead>
<tbody>
${model.kpisByArea.map(
  ({
    area,
    kpis,
  }) => html`<tr class="area"><th colspan="7">${area.id} ${area.title}${area.statistic ? html` · mean ${formatScore(area.statistic.score, d)} (${ratingLabel(area.statistic.rating, scale)})` : ""}</th></tr>
${kpis.map((k) => html`<tr><td class="id"><a href="#${anchorId("kpi", k.id)}">${k.id}</a></td><td>${k.title}</td><td class="num">${scorePill(k.score, k.rating, scale, d)}</td><td>${ratingChip(k.rating, scale)}${provisionalTag(k.provisional)}</td><td class="num">${k.miCoverage.scored} of ${k.miCoverage.total}</td><td class="num">${k.coverage.scored} / ${k.coverage.noEvidence} / ${k.coverage.notApplicable}</td><td class="num">${k.confidence.high} / ${k.confidence.medium} / ${k.confidence.low}</td></tr>`)}`,
)}
</tbody></table>`;
}

function miList(heading: string, mis: readonly MiResult[], scale: RatingScale, d: number): SafeHtml {
  if (mis.length === 0) return html`<p class="muted">${heading}: no scored micro-indicators.</p>`;
  return html`<table class="ranked"><thead><tr><th>MI</th><th>${heading}</th><th class="num">Score</th></tr></thead><tbody>
${mis.map((m) => html`<tr><td class="id"><a href="#${anchorId("mi", m.id)}">${m.id}</a></td><td>${m.title}</td><td class="num">${scorePill(m.score, m.rating, scale, d)}</td></tr>`)}
</tbody></table>`;
}

function miArticle(detail: MiDetail, model: ReportModel, scale: RatingScale, d: number): SafeHtml {
  const { mi } = detail;
  return html`<article class="mi" id="${anchorId("mi", mi.id)}">
<h5><span class="mi-title">${mi.id} ${mi.title}</span> ${scorePill(mi.score, mi.rating, scale, d)} ${ratingChip(mi.rating, scale)}${provisionalTag(mi.provisional)}</h5>
<p class="mi-meta">${mi.scoring === "rubric" ? "Results MI, rated against its rubric" : "Scored through its elements"} · Coverage: ${coverageText(mi.coverage)} · Confidence: ${confidenceText(mi)}${mi.provisional ? ` · Provisional: ${mi.provisional.reason}` : ""}${mi.margin?.nearest !== null && mi.margin?.nearest !== undefined ? ` · ${mi.margin.nearest} from the nearest band limit` : ""}</p>
${
  detail.listed.length > 0
    ? html`<table class="items"><thead><tr><th>${mi.scoring === "rubric" ? "Rated item" : "Element"}</th><th class="num">Score</th><th>Rationale</th></tr></thead><tbody>
${detail.listed.map((item) => itemRow(item, model))}
</tbody></table>`
    : ""
}
${detail.collapsed.map((run) => html`<p class="collapsed">${collapsedText(run, mi)}</p>`)}
</article>`;
}

/** Text as paragraphs: a blank line starts a new one; single line breaks stay (white-space: pre-line). */
function paragraphs(text: string, className: string): SafeHtml {
  const parts = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((t) => t.replace(/^\n+|\n+$/g, ""))
    .filter((t) => t.trim() !== "");
  return html`${parts.map((t) => html`<p class="${className}">${t}</p>`)}`;
}

function itemRow(item: ItemDetail, model: ReportModel): SafeHtml {
  return html`<tr><td class="element"><span class="id">${item.id}</span><br>${item.title}</td>
<td class="num value"><b>${itemValue(item)}</b><br><span class="small muted">${item.label}</span></td>
<td>${item.rationale?.trim() ? paragraphs(item.rationale, "rationale") : html`<p class="rationale muted">No rationale recorded.</p>`}${item.descriptor ? html`<p class="descriptor">Level ${itemValue(item)}: ${item.descriptor}</p>` : ""}${
    item.conflict
      ? html`<p class="refs conflict">Evidence streams disagree: ${Object.entries(item.conflict.streams)
          .map(([s, v]) => `${s} ${v}`)
          .join(", ")} (spread ${item.conflict.spread}).</p>`
      : ""
  }${item.evidence.length > 0 ? html`<p class="refs">Evidence: ${item.evidence.map((ev, i) => html`${i > 0 ? ", " : ""}${evidenceLink(ev, model)}`)}</p>` : ""}</td></tr>`;
}

const evidenceLink = (id: string, model: ReportModel): SafeHtml => {
  const anchor = model.evidenceAnchors.get(id);
  return anchor === undefined ? html`${id}` : html`<a href="#${anchor}">${id}</a>`;
};

function evidenceItem(detail: EvidenceDetail): SafeHtml {
  const ev = detail.evidence;
  const href = ev.source.url === undefined ? null : safeHref(ev.source.url);
  return html`<li id="${detail.anchor}"><span class="ev-id">${ev.id}</span><span class="tag">${ev.stream}</span>
${ev.quote ? html`<blockquote>${paragraphs(ev.quote, "quote")}</blockquote>` : ""}${ev.summary ? paragraphs(ev.summary, "summary") : ""}
<p class="source">${sourceLine(ev)}${ev.source.file ? html` · file <code>${ev.source.file}</code>` : ""}${ev.source.url !== undefined ? html` · ${href ? html`<a href="${href}" rel="noopener noreferrer nofollow">${ev.source.url}</a>` : html`<code>${ev.source.url}</code>`}` : ""}</p>
<p class="cited">${detail.citedBy.length > 0 ? html`Cited by ${detail.citedBy.map((mi, i) => html`${i > 0 ? ", " : ""}<a href="#${anchorId("mi", mi)}">${mi}</a>`)}` : "Not cited by any element."}</p></li>`;
}

/** The mark of a rating the coverage rule makes provisional; its reason is in the notes beside it. */
export function provisionalTag(provisional: Provisional | null): SafeHtml | string {
  return provisional === null ? "" : html` <span class="tag" title="${provisional.reason}">provisional</span>`;
}

export function provisionalNotes(result: ScoreResult): SafeHtml | string {
  const summary = provisionalSummary(result);
  if (summary === null) return "";
  return html`<p class="small">${summary}</p><ul class="small">${result.kpis.filter((k) => k.provisional).map((k) => html`<li>${k.id}: ${k.provisional!.reason}.</li>`)}</ul>`;
}
