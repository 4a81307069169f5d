import { FONT_STACK } from "./chart.js";

/** The Content-Security-Policy of every generated HTML page: no scripts, no requests, inline CSS only. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Inline CSS shared by the report and the comparison pages (screen and print). */
export const REPORT_CSS = `
:root { --ink: #1f2933; --muted: #52606d; --faint: #7b8794; --rule: #d9dee4; --soft: #f5f7fa; --accent: #1d4e89; --warn-bg: #fff8e6; --warn: #8a5a00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f5; color: var(--ink); font: 15px/1.55 ${FONT_STACK}; }
.page { max-width: 1180px; margin: 0 auto; padding: 28px 32px 56px; background: #fff; box-shadow: 0 0 0 1px var(--rule); }
h1, h2, h3, h4 { line-height: 1.25; color: var(--ink); }
h1 { font-size: 30px; margin: 4px 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 16px; margin: 20px 0 8px; }
h5 { font-size: 15px; margin: 0; }
h1, h2, h3, h4, h5, p, li, dd, td, th, blockquote, figcaption { overflow-wrap: anywhere; }
p { margin: 6px 0 10px; }
a { color: var(--accent); }
code, .code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 0.86em; overflow-wrap: anywhere; }
.eyebrow { margin: 0; color: var(--muted); font-size: 12.5px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; }
.subtitle { margin: 0 0 4px; color: var(--muted); font-size: 16px; }
.meta { margin: 8px 0 0; color: var(--muted); font-size: 13.5px; }
.meta span + span::before { content: "·"; margin: 0 8px; color: var(--faint); }
.notice { margin: 20px 0; padding: 12px 16px; background: var(--warn-bg); border-left: 4px solid #e0a100; color: #3d2c00; font-size: 14px; }
.notice p { margin: 4px 0; }
.notice strong { color: var(--warn); }
.toc { margin: 16px 0 0; font-size: 13.5px; color: var(--muted); }
.toc a { margin-right: 14px; text-decoration: none; }
.toc a:hover { text-decoration: underline; }
.facts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 32px; margin: 8px 0 0; font-size: 13px; line-height: 1.45; }
.facts div { display: grid; grid-template-columns: 170px minmax(0, 1fr); gap: 12px; padding: 5px 0; border-bottom: 1px solid var(--rule); }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.kpi-figures { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; margin: 16px 0 4px; }
.kpi-figures div { padding: 12px 14px; background: var(--soft); border-radius: 6px; }
.kpi-figures .counts p { margin: 0; color: var(--muted); font-size: 13px; }
.kpi-figures .counts b { color: var(--ink); font-size: 15px; white-space: nowrap; }
.kpi-figures .label { color: var(--muted); font-size: 13px; }
.kpi-figures dl { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr) auto; gap: 0 10px; margin: 2px 0 0; font-size: 13px; line-height: 1.45; }
.kpi-figures dt { min-width: 0; }
.kpi-figures dt .rating { white-space: normal; }
.kpi-figures dd { margin: 0 4px 0 0; font-weight: 700; text-align: right; font-variant-numeric: tabular-nums; }
.kpi-figures .label { display: block; }
figure { margin: 12px 0 8px; }
figure svg { display: block; width: 100%; height: auto; max-width: 720px; }
figcaption { margin-top: 6px; color: var(--muted); font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; margin: 8px 0 16px; }
th, td { padding: 7px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--rule); }
thead th { background: var(--soft); color: var(--muted); font-weight: 600; font-size: 12.5px; border-bottom: 1px solid #c5ccd3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr.area th { background: #fff; padding-top: 16px; font-size: 12.5px; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); border-bottom: 1px solid var(--ink); }
.id { font-weight: 600; }
td.id { white-space: nowrap; }
.rating { white-space: nowrap; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; box-shadow: inset 0 0 0 1px rgba(0,0,0,0.12); }
.pill { display: inline-block; min-width: 44px; padding: 1px 8px; border-radius: 4px; font-weight: 700; text-align: center; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
.two-col { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 28px; }
.two-col h3 { margin-top: 8px; }
.kpi-block { margin-top: 28px; }
h3.area { margin-top: 32px; font-size: 14px; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); border-bottom: 1px solid var(--ink); padding-bottom: 4px; }
.kpi-block > h4 { padding: 8px 12px; background: var(--soft); border-radius: 6px; }
article.mi { margin: 14px 0 22px; padding: 0 0 8px 14px; border-left: 3px solid var(--rule); }
article.mi h5 .mi-title { margin-right: 8px; }
.collapsed { margin: 4px 0; color: var(--muted); font-size: 13px; white-space: pre-line; }
.mi-meta { margin: 4px 0 6px; color: var(--muted); font-size: 13px; }
.items td.value { width: 60px; }
.items td.element { width: 28%; }
.items .rationale { margin: 0 0 6px; white-space: pre-line; }
.items .rationale:last-child { margin-bottom: 0; }
blockquote .quote, li .summary { white-space: pre-line; margin: 2px 0; }
.items .refs { margin: 4px 0 0; font-size: 12.5px; color: var(--muted); }
.descriptor { margin: 4px 0 0; font-size: 12.5px; color: var(--muted); font-style: italic; }
ol.evidence { margin: 8px 0; padding: 0; list-style: none; }
ol.evidence li { margin: 0 0 10px; padding: 8px 12px; background: var(--soft); border-radius: 6px; }
ol.evidence blockquote { margin: 4px 0; padding-left: 10px; border-left: 3px solid #b8c2cc; font-style: italic; }
.ev-id { font-weight: 700; margin-right: 8px; overflow-wrap: anywhere; }
.cited { margin: 2px 0 0; color: var(--muted); font-size: 12.5px; }
.tag { display: inline-block; padding: 0 6px; margin-right: 6px; border-radius: 3px; background: #e4e8ee; color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.04em; }
.source { margin: 2px 0 0; color: var(--muted); font-size: 12.5px; overflow-wrap: anywhere; }
.conflict { color: #a23b00; }
.change-up { color: #1a7f37; }
table.compare td:last-child { min-width: 200px; }
table.compare tr.rating-changed td:first-child { box-shadow: inset 3px 0 0 #e0a100; }
.change-down { color: #b42318; }
footer { margin-top: 44px; padding-top: 12px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12.5px; }
@media screen and (max-width: 820px) {
  .page { padding: 16px; }
  .facts, .two-col, .kpi-figures { grid-template-columns: minmax(0, 1fr); }
  .kpi-figures dl { grid-template-columns: minmax(0, 1fr) auto; }
  .facts div { grid-template-columns: minmax(0, 1fr); gap: 0; }
}
@media print {
  /* A4 and US Letter alike: the PDF writer picks the paper; the running header and footer print in the margins. */
  @page { margin: 15mm 14mm; }
  html, body { background: #fff; }
  body { font-size: 9.5pt; line-height: 1.4; }
  .page { max-width: none; padding: 0; box-shadow: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .screen-only { display: none !important; }
  code, .code { font-size: max(8pt, 0.86em); }
  a { color: inherit; text-decoration: none; }
  h1 { font-size: 16pt; margin: 0 0 2px; }
  h2 { font-size: 14pt; margin: 18px 0 8px; }
  h3 { font-size: 11.5pt; margin: 14px 0 6px; }
  h3.area { font-size: 10pt; margin-top: 18px; }
  h4 { font-size: 10.5pt; margin: 14px 0 6px; }
  h5 { font-size: 10pt; }
  h1, h2, h3, h4, h5, .mi-meta, thead, .subtitle, .eyebrow { break-after: avoid; }
  h1, h2, h3, h4, h5, figure, tr, ol.evidence li, .notice, .facts div, .kpi-figures, .two-col, table.kpis, table.ranked, .collapsed { break-inside: avoid; }
  .eyebrow, .meta, .small, .muted, .mi-meta, .refs, .descriptor, .source, .cited, .tag, .collapsed, figcaption, footer, thead th, tbody tr.area th { font-size: 8pt; }
  .notice { margin: 6px 0; padding: 3px 8px; font-size: 8pt; line-height: 1.15; }
  .notice p { margin: 1px 0; }
  .subtitle { font-size: 9.5pt; }
  .meta { margin-top: 4px; }
  .summary { break-after: page; }
  .eyebrow { display: none; }
  .summary table.ranked { table-layout: fixed; margin-bottom: 4px; }
  .summary table.ranked th:first-child { width: 4.2em; }
  .summary table.ranked th:last-child { width: 4.2em; }
  .summary table.ranked td:nth-child(2) { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .summary table.ranked td, .summary table.ranked th { padding: 1px 4px; line-height: 1.25; }
  .summary .pill { line-height: 1.2; }
  .summary h2 { font-size: 12pt; }
  .summary #strengths p.small { margin: 2px 0 0; }
  .summary h2 { margin: 8px 0 4px; padding-bottom: 2px; }
  .kpi-figures { gap: 6px; margin: 6px 0 0; }
  .kpi-figures .counts p { line-height: 1.25; }
  .kpi-figures dl { gap: 0 6px; }
  .kpi-figures div { padding: 6px 8px; }
  .kpi-figures .counts b { font-size: 9.5pt; }
  .kpi-figures .counts p, .kpi-figures .label, .kpi-figures dl { font-size: 8pt; }
  figure { margin: 4px 0; }
  table { font-size: 8.5pt; margin: 4px 0 10px; }
  th, td { padding: 3px 6px; }
  .two-col { gap: 14px; }
  .two-col h3 { margin: 4px 0; font-size: 10pt; }
  .pill { min-width: 36px; padding: 0 5px; }
  .facts { font-size: 8.5pt; gap: 0 16px; }
  .facts div { grid-template-columns: 120px minmax(0, 1fr); gap: 8px; padding: 3px 0; }
  #kpis { break-before: page; }
  table.kpis { font-size: 8pt; }
  table.kpis td, table.kpis th { padding: 2px 5px; line-height: 1.3; }
  .kpi-block > h4 { padding: 4px 8px; }
  article.mi { margin: 8px 0 12px; padding-left: 10px; }
  ol.evidence li { padding: 5px 8px; margin-bottom: 6px; }
}
`;
