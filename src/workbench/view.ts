import type { Crossing, ItemSensitivity, SensitivityResult } from "../analysis/sensitivity.js";
import type { Rated } from "../analysis/shared.js";
import { RatingAuthority } from "../rating/authority.js";
import type { SimulationResult } from "../analysis/simulate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { splitList } from "../io/csv/assessment-csv.js";
import type { RatingScale } from "../rating/schema.js";
import { formatScore, ratingLabel } from "../render/labels.js";
import { coverageChartSvg, performanceChartSvg } from "../report/chart.js";
import { comparedItemsTable } from "../report/compare-html.js";
import { type SafeHtml, anchorId, html, trusted } from "../report/escape.js";
import { keyFigures, kpiTable, provisionalNotes, provisionalTag, ratingChip, scorePill } from "../report/html.js";
import { buildReportModel, confidenceText, coverageText, itemValue, sourceLine } from "../report/model.js";
import type { Session } from "./session.js";

/** What the page shows besides the session: where it came from, its diagnostics, the chosen KPI, the simulation. */
export interface ViewState {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly kpi: string;
  /** The sensitivity of the current version, once the worker has it. */
  readonly sensitivity?: SensitivityResult | undefined;
  readonly simulation: {
    readonly seed: number;
    readonly draws: number;
    readonly running: boolean;
    readonly done: number;
    readonly total: number;
    readonly result?: SimulationResult;
    readonly error?: string;
  };
}

/** Control ids built from item ids (ids are data: anchorId keeps only safe characters). */
export const controlId = (kind: "score" | "rationale" | "evidence" | "row", id: string): string => anchorId(kind, id);

/** Parses the evidence field as the CSV reader parses an evidence cell. */
export const evidenceIds = (text: string): string[] => splitList(text);

/** The page's parts, each re-rendered only when its markup changed. */
export type Part = readonly [key: string, markup: SafeHtml];

export function renderSession(session: Session, state: ViewState): Part[] {
  const { result, scale } = session;
  const d = result.provenance.policy.rounding.decimals;
  const model = buildReportModel(result, session.framework, session.assessment, scale);
  const changed = session.changedLeaves();
  const comparison = session.comparison();
  const moved = [...comparison.kpis, ...comparison.mis].filter((r) => r.a.score !== r.b.score || r.a.rating !== r.b.rating || r.ratingChange !== "none");
  return [
    [
      "summary",
      html`<section aria-labelledby="h-summary" class="wb-summary">
<h2 id="h-summary">${model.organisation}</h2>
<p class="subtitle">${model.title}</p>
<p class="meta"><span>Opened from <code>${state.file}</code></span><span>Framework <code>${session.framework.id}</code> ${session.framework.version}</span><span>Rating scale <code>${scale.id}</code></span><span>${changed.size === 0 ? "No changes since opened" : `${changed.size} judgement${changed.size === 1 ? "" : "s"} changed since opened`}</span></p>
<aside class="notice" role="note"><p>${model.statement[0]}</p></aside>
</section>`,
    ],
    ["figures", keyFigures(result, scale)],
    [
      "performance",
      html`<section aria-labelledby="h-performance"><h2 id="h-performance">Performance</h2>
<figure>${trusted(performanceChartSvg(result, scale))}<figcaption>Each row is a KPI; each segment one of its micro-indicators, coloured by its rating and labelled with its score.</figcaption></figure>
</section>`,
    ],
    [
      "kpis",
      html`<section aria-labelledby="h-kpis"><h2 id="h-kpis">KPI scores</h2>
<p class="small muted">Choose a KPI's id to edit its judgements and explore its margins below.</p>
${kpiTable(model, scale)}
${provisionalNotes(result)}
</section>`,
    ],
    [
      "changes",
      html`<section aria-labelledby="h-changes"><h2 id="h-changes">Changes against the opened version</h2>
${
  moved.length === 0
    ? html`<p>No score or rating differs from the opened version.</p>`
    : html`<p class="small muted">As <code>mopan compare</code> gives them: ${comparison.summary.kpis.scoreChanged} KPI(s) and ${comparison.summary.mis.scoreChanged} MI(s) changed score, ${comparison.summary.kpis.ratingChanged + comparison.summary.mis.ratingChanged} changed rating.</p>
${comparedItemsTable(comparison, moved, { a: scale, b: scale })}`
}
</section>`,
    ],
    ["diagnostics", diagnosticsList(state.diagnostics)],
    ...kpiEditor(session, state, model, changed, d),
    ...explore(session, state, d),
    [
      "coverage",
      html`<section aria-labelledby="h-coverage"><h2 id="h-coverage">Coverage</h2>
<figure>${trusted(coverageChartSvg(result, scale))}<figcaption>Per KPI, the share of its elements that carry a score, that no evidence spoke to (N/E) and that do not apply (N/A).</figcaption></figure>
</section>`,
    ],
  ];
}

export function diagnosticsList(diagnostics: readonly Diagnostic[]): SafeHtml {
  const errors = diagnostics.filter((x) => x.severity === "error").length;
  return html`<section aria-labelledby="h-diagnostics"><h2 id="h-diagnostics">Validation</h2>
${
  diagnostics.length === 0
    ? html`<p>No problems found.</p>`
    : html`<p>${errors} error(s), ${diagnostics.length - errors} warning(s). Choose one to go to its item.</p>
<ul class="diagnostics">${diagnostics.map((x, i) => html`<li class="${x.severity}"><button type="button" class="link" data-diagnostic="${i}"><b>${x.severity}</b> <code>${x.code}</code> ${place(x)}</button> ${x.message}</li>`)}</ul>`
}
</section>`;
}

const place = (x: Diagnostic): string =>
  [x.file, x.line !== undefined ? `:${x.line}${x.column !== undefined ? `:${x.column}` : ""}` : "", x.pointer !== undefined && x.line === undefined ? `#${x.pointer}` : ""].join("");

/** The editor of the chosen KPI: a part for its head, one per MI (so an edit redraws its own MI only), one for the end. */
function kpiEditor(session: Session, state: ViewState, model: ReturnType<typeof buildReportModel>, changed: ReadonlySet<string>, d: number): Part[] {
  const detail = model.details.find((k) => k.kpi.id === state.kpi) ?? model.details[0];
  if (!detail) return [];
  const { scale } = session;
  const evidenceIdsKnown = session.assessment.evidence.map((e) => e.id);
  return [
    [
      "edit",
      html`<h2 id="h-edit">Edit ${detail.kpi.id}: ${detail.kpi.title}</h2>
<p>${scorePill(detail.kpi.score, detail.kpi.rating, scale, d)} ${ratingChip(detail.kpi.rating, scale)}${provisionalTag(detail.kpi.provisional)} <span class="muted">· Coverage: ${coverageText(detail.kpi.coverage)}</span></p>
<nav aria-label="KPIs" class="kpi-nav">${session.result.kpis.map((k) => html`<button type="button" data-kpi="${k.id}"${k.id === detail.kpi.id ? html` aria-current="true"` : ""}>${k.id}</button>`)}</nav>`,
    ],
    ...detail.mis.map((m): Part => {
      // The report lists each evidence entry once with the MIs citing it; the editor shows an MI's own.
      const evidence = model.evidence.filter((e) => e.citedBy.includes(m.mi.id)).map((e) => e.evidence);
      return [
        `edit-${m.mi.id}`,
        html`<article class="mi" id="${anchorId("mi", m.mi.id)}">
<header><h3>${m.mi.id} ${m.mi.title}</h3>${scorePill(m.mi.score, m.mi.rating, scale, d)} ${ratingChip(m.mi.rating, scale)}${provisionalTag(m.mi.provisional)}</header>
<p class="mi-meta">Coverage: ${coverageText(m.mi.coverage)} · Confidence: ${confidenceText(m.mi)}${m.mi.provisional ? ` · Provisional: ${m.mi.provisional.reason}` : ""}${m.mi.margin ? ` · margin ${marginText(m.mi.margin, d)}` : ""}</p>
<table class="items editor"><thead><tr><th scope="col">${m.mi.scoring === "rubric" ? "Rated item" : "Element"}</th><th scope="col">Score</th><th scope="col">Rationale</th><th scope="col">Evidence ids</th></tr></thead><tbody>
${m.items.map((item) => {
  const j = session.judgement(item.id);
  const current = j?.score === undefined ? "" : String(j.score);
  const isChanged = changed.has(item.id);
  return html`<tr id="${controlId("row", item.id)}"${isChanged ? html` class="changed"` : ""}>
<th scope="row"><span class="id">${item.id}</span>${isChanged ? html` <span class="changed-tag">changed</span>` : ""}<br>${item.title}</th>
<td><select id="${controlId("score", item.id)}" data-edit="score" data-id="${item.id}" aria-label="Score of ${item.id}">
${current === "" ? html`<option value="" selected>not set (${itemValue(item)}, ${item.label})</option>` : ""}
${session.choices(item.id).map((v) => html`<option value="${v}"${v === current ? html` selected` : ""}>${v}</option>`)}
</select><br><span class="small muted">${item.label}</span></td>
<td><textarea id="${controlId("rationale", item.id)}" data-edit="rationale" data-id="${item.id}" rows="3" aria-label="Rationale of ${item.id}">${j?.rationale ?? ""}</textarea></td>
<td><input id="${controlId("evidence", item.id)}" data-edit="evidence" data-id="${item.id}" value="${(j?.evidence ?? []).join("; ")}" aria-label="Evidence ids of ${item.id}, separated by ;" list="evidence-ids"></td>
</tr>`;
})}
</tbody></table>
${evidence.length > 0 ? html`<details class="evidence"><summary>Evidence linked to ${m.mi.id} (${evidence.length})</summary><ul>${evidence.map((ev) => html`<li><span class="ev-id">${ev.id}</span> <span class="tag">${ev.stream}</span>${ev.quote ? html`<blockquote>${ev.quote}</blockquote>` : ""}${ev.summary ? html`<p>${ev.summary}</p>` : ""}<p class="source">${sourceLine(ev)}</p></li>`)}</ul></details>` : ""}
</article>`,
      ];
    }),
    ["edit-end", html`<datalist id="evidence-ids">${evidenceIdsKnown.map((id) => html`<option value="${id}"></option>`)}</datalist>`],
  ];
}

const marginText = (m: { toLowerBand: number | null; toHigherBand: number | null }, d: number): string =>
  [m.toHigherBand !== null ? `+${m.toHigherBand.toFixed(d)} to the band above` : "", m.toLowerBand !== null ? `−${m.toLowerBand.toFixed(d)} to the band below` : ""].filter(Boolean).join(", ");

function explore(session: Session, state: ViewState, d: number): Part[] {
  const { scale } = session;
  const sens = state.sensitivity;
  const items = sens ? [...sens.kpis.filter((k) => k.id === state.kpi), ...sens.mis.filter((m) => m.kpi === state.kpi)] : [];
  const sim = state.simulation;
  return [
    [
      "explore",
      html`<section aria-labelledby="h-explore" id="explore"><h2 id="h-explore">Explore ${state.kpi}</h2>
<h3>Margins and the fewest changes that cross them</h3>
<p class="small muted">As <code>mopan sensitivity</code> gives them: how far each rated score is from the neighbouring bands, and the fewest element changes that would cross into them.</p>
${sens ? "" : html`<p role="status" id="sensitivity-pending">Computing…</p>`}
<table class="sensitivity"><thead><tr><th scope="col">Item</th><th scope="col">Now</th><th scope="col">Up</th><th scope="col">Down</th></tr></thead><tbody>
${items.map((item) => html`<tr><th scope="row">${item.id}</th><td>${rated(item.current, scale, d)}</td><td>${direction(item, "up", scale, d)}</td><td>${direction(item, "down", scale, d)}</td></tr>`)}
</tbody></table></section>`,
    ],
    [
      "simulate",
      html`<section aria-labelledby="h-simulate"><h3 id="h-simulate">Simulation</h3>
<p class="small muted">As <code>mopan simulate</code> runs it: every scored element varies by the distribution of its MI's computed confidence (project assumptions, not MOPAN rules). It runs off the page's main thread.</p>
<form id="simulate" class="simulate">
<label>Seed <input id="sim-seed" name="seed" type="number" min="1" max="4294967295" step="1" value="${sim.seed}" required></label>
<label>Draws <input id="sim-draws" name="draws" type="number" min="1" max="1000000" step="1" value="${sim.draws}" required></label>
<button type="submit" id="sim-run"${sim.running ? html` disabled` : ""}>Run simulation</button>
<button type="button" id="sim-cancel"${sim.running ? "" : html` disabled`}>Cancel</button>
<progress id="sim-progress" max="${Math.max(sim.total, 1)}" value="${sim.done}" aria-label="Simulation progress"></progress>
<span id="sim-status" role="status">${sim.running ? `${sim.done} of ${sim.total} draws` : (sim.error ?? (sim.result ? `Done: ${sim.result.parameters.draws} draws, seed ${sim.result.parameters.seed}.` : ""))}</span>
</form>
${sim.result ? simulationTable(sim.result, scale, d) : ""}
</section>`,
    ],
  ];
}

const rated = (r: Rated, scale: RatingScale, d: number): SafeHtml => html`${formatScore(r.score, d)} ${ratingChip(r.rating, scale)}`;

function direction(item: ItemSensitivity, way: "up" | "down", scale: RatingScale, d: number): SafeHtml {
  const margin = item.margin[way];
  const crossing: Crossing = item.changes[way];
  if (!margin) return html`<span class="muted">no band ${way === "up" ? "above" : "below"}</span>`;
  return html`${way === "up" ? "+" : "−"}${margin.distance.toFixed(d)} to ${ratingLabel(margin.band, scale)}<br>${
    crossing.reached
      ? html`<span class="small">${crossing.changes.length} change(s)${crossing.minimal ? "" : " (greedy)"}: ${crossing.changes.map((c) => `${c.id} ${c.from}→${c.to}`).join(", ")}</span>`
      : html`<span class="small muted">${crossing.reason}</span>`
  }`;
}

function simulationTable(r: SimulationResult, scale: RatingScale, d: number): SafeHtml {
  const bands = [...RatingAuthority.bandsOf(scale)].reverse();
  return html`<table class="simulation"><caption>Probability of each rating per KPI (${r.parameters.draws} draws, seed ${r.parameters.seed})</caption>
<thead><tr><th scope="col">KPI</th><th scope="col">Rating now</th>${bands.map((b) => html`<th scope="col" class="num">${b.label}</th>`)}<th scope="col" class="num">5%–95%</th></tr></thead><tbody>
${r.kpis.map((k) => html`<tr><th scope="row">${k.id}</th><td>${rated(k.deterministic, scale, d)}</td>${bands.map((b) => html`<td class="num">${((k.probabilities[b.code] ?? 0) * 100).toFixed(1)}%</td>`)}<td class="num">${k.interval ? `${k.interval.low.toFixed(d)}–${k.interval.high.toFixed(d)}` : "—"}</td></tr>`)}
</tbody></table>`;
}
