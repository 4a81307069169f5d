import type { ComparedItem, Comparison, UnmatchedItem } from "../analysis/compare.js";
import { type CompareScales, formatChange, provisionalText, ratingChangeText, reasonText } from "../render/compare.js";
import { formatScore, ratingLabel } from "../render/labels.js";
import { type SafeHtml, html } from "./escape.js";
import { htmlPage, ratingChip, scorePill } from "./html.js";

const ARROW = { [-1]: "↓", 0: "→", 1: "↑" } as const;

/** A comparison as one self-contained HTML page (no scripts, no external assets). */
export function renderCompareHtml(c: Comparison, scales: CompareScales): string {
  const decimals = 2;
  const side = (s: Comparison["a"]) =>
    html`<div><dt>${s.label}</dt><dd>${s.organisation}; <code>${s.framework.id}</code> ${s.framework.version}, methodology ${s.methodology}, rating scale <code>${s.ratingScale}</code></dd></div>`;
  const changes = [...c.kpis, ...c.mis].filter((r) => r.ratingChanged || r.ratingChange !== "none");
  const table = (rows: readonly ComparedItem[]): SafeHtml => comparedItemsTable(c, rows, scales);
  const body = html`<header>
<p class="eyebrow">Comparison · scores computed from each assessment's judgements · see each side's provenance</p>
<h1>${c.a.label} and ${c.b.label}</h1>
<p class="subtitle">Change = ${c.b.label} − ${c.a.label}; KPIs and MIs sorted by absolute change.</p>
</header>
<dl class="facts">${side(c.a)}${side(c.b)}</dl>
${c.crosswalk ? html`<aside class="notice" role="note"><p>The frameworks differ: items are paired through the crosswalk <code>${c.crosswalk.from}</code> → <code>${c.crosswalk.to}</code>. Items it cannot pair are listed at the end.</p></aside>` : ""}
${c.scaleChanged ? html`<aside class="notice" role="note"><p><strong>Rating scale changed</strong> (${c.a.ratingScale} → ${c.b.ratingScale}). Each ${c.a.label} score is also rated on ${c.b.ratingScale}: a band change without a change in score is a scale effect, not a change in performance.</p></aside>` : ""}
<section><h2>Rating changes</h2>
${changes.length === 0 ? html`<p>No rating changed.</p>` : html`<ul>${changes.map((r) => html`<li><b>${r.id}</b> ${ratingLabel(r.a.rating, scales.a)} ${ARROW[r.direction]} ${ratingLabel(r.b.rating, scales.b)}: ${ratingChangeText(r)}; change ${formatChange(r.change, decimals)}${r.b.score !== null ? ` (now ${formatScore(r.b.score, decimals)})` : ""}</li>`)}</ul>`}
</section>
<section><h2>KPIs</h2><p class="small muted">${summaryText(c, "kpis")}</p>${table(c.kpis)}</section>
<section><h2>Micro-indicators</h2><p class="small muted">${summaryText(c, "mis")}</p>${table(c.mis)}</section>
${onlyIn(c.a.label, c.unmatched.a, c.b.label)}${onlyIn(c.b.label, c.unmatched.b, c.a.label)}`;
  return htmlPage(`Comparison: ${c.a.label} and ${c.b.label}`, body);
}

/** Compared items as a table: both scores and ratings, the change, and what kind of rating change it is. */
export function comparedItemsTable(c: Comparison, rows: readonly ComparedItem[], scales: CompareScales): SafeHtml {
  const decimals = 2;
  return html`<table class="compare">
<thead><tr><th>Id</th><th>Title</th><th class="num">${c.a.label}</th><th class="num">${c.b.label}</th><th class="num">Change</th><th>Rating ${c.a.label}</th>${c.scaleChanged ? html`<th>${c.a.label} on ${c.b.ratingScale}</th>` : ""}<th>Rating ${c.b.label}</th><th>Note</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr${r.ratingChanged ? html` class="rating-changed"` : ""}><td class="id">${r.idA === r.id ? r.id : `${r.idA} → ${r.id}`}</td><td>${r.title}</td>
<td class="num">${scorePill(r.a.score, r.a.rating, scales.a, decimals)}</td><td class="num">${scorePill(r.b.score, r.b.rating, scales.b, decimals)}</td>
<td class="num ${r.change !== null && r.change > 0 ? "change-up" : r.change !== null && r.change < 0 ? "change-down" : ""}">${formatChange(r.change, decimals)}</td>
<td>${ratingChip(r.a.rating, scales.a)}</td>${c.scaleChanged ? html`<td>${r.aOnScaleB === null ? "—" : ratingChip(r.aOnScaleB, scales.b)}</td>` : ""}<td>${ratingChip(r.b.rating, scales.b)}</td>
<td class="small">${r.ratingChanged ? html`<b>${ratingChangeText(r)}</b>` : ratingChangeText(r)}${provisionalText(r, { a: c.a.label, b: c.b.label }) ? html`<br><span class="tag">${provisionalText(r, { a: c.a.label, b: c.b.label })}</span>` : ""}${r.frameworkNote ? html`<br><span class="muted">framework: ${r.frameworkNote}</span>` : ""}</td></tr>`,
  )}</tbody></table>`;
}

function onlyIn(label: string, list: readonly UnmatchedItem[], other: string): SafeHtml | "" {
  if (list.length === 0) return "";
  return html`<section><h2>Only in ${label}</h2><p class="small muted">${list.length} item(s) not compared.</p><table><thead><tr><th>Id</th><th>Title</th><th>Why</th></tr></thead><tbody>${list.map((u) => html`<tr><td class="id">${u.id}</td><td>${u.title}</td><td>${reasonText(u.reason, other)}</td></tr>`)}</tbody></table></section>`;
}

function summaryText(c: Comparison, level: "kpis" | "mis"): string {
  const s = c.summary[level];
  return `${s.compared} compared, ${s.scoreChanged} changed score, ${s.ratingChanged} changed rating${c.scaleChanged ? `, ${s.scaleEffects} with a scale effect` : ""}.`;
}
