import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { formatScore, ratingColour, ratingLabel } from "../render/labels.js";
import { provisionalMark } from "../render/provenance.js";
import type { Coverage, KpiResult, MiResult, ScoreResult } from "../scoring/result.js";
import { escapeHtml as e, safeColour } from "./escape.js";

/** Font stack shared by the charts and the HTML report. */
export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";

/*
 * The charts are drawn at the width of a printed page (A4 or US Letter less margins, about 700 CSS
 * pixels), so on paper they print at about their natural size and no text falls below 8 pt: the
 * smallest font here is 11.5 px, 8.4 pt at 97 % scale.
 */
const WIDTH = 720;
const LABEL_X = 8;
const TRACK_X = 196;
const TRACK_WIDTH = 316;
const PILL_X = 522;
const RATING_X = 574;
const ROW = 21;
const PA_ROW = 18;
/** The smallest text size of a chart, in SVG units (CSS pixels at natural size). */
const CHART_MIN_FONT = 11.5;
const INK = "#1f2933";
const MUTED = "#52606d";
const RULE = "#d9dee4";
/** Colour of the "scored" share in the coverage chart: neutral, unlike any rating colour. */
export const SCORED_COLOUR = "#3f6fa8";

export interface ChartOptions {
  /** id of the <svg> element; the HTML report uses "performance-chart" and "coverage-chart". */
  readonly id?: string;
}

/** Shortens text to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : chars
        .slice(0, max - 1)
        .join("")
        .trimEnd() + "…";
}

/** Dark or white text, whichever reads better on a fill colour (WCAG relative luminance). */
export function textOn(fill: string): string {
  const hex = safeColour(fill).slice(1);
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return l > 0.33 ? INK : "#ffffff";
}

const num = (n: number): string => String(Math.round(n * 100) / 100);

/** "3.51–4.00" for a band, at the scale's precision. */
export const bandRange = (band: RatingScale["bands"][number], scale: RatingScale): string => `${band.min.toFixed(scale.decimals)}–${band.max.toFixed(scale.decimals)}`;

/** Swatches with labels in rows that wrap at the chart's width; returns the markup and its height. */
function legend(items: readonly { colour: string; label: string }[], y: number): { svg: string; height: number } {
  let x = LABEL_X;
  let line = 0;
  const parts: string[] = [];
  for (const item of items) {
    // Rough width of a label: about 6.6 units a character at 12px.
    const width = 20 + Math.ceil([...item.label].length * 6.6) + 18;
    if (x > LABEL_X && x + width > WIDTH - 8) {
      x = LABEL_X;
      line++;
    }
    const top = y + line * 20;
    parts.push(
      `<rect x="${x}" y="${top}" width="14" height="14" rx="2" fill="${safeColour(item.colour)}"/>` + `<text x="${x + 20}" y="${top + 11.5}" font-size="12" fill="${INK}">${e(item.label)}</text>`,
    );
    x += width;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: (line + 1) * 20 };
}

/** The scale's bands (highest first) and its two flags, as legend items. */
const scaleLegend = (scale: RatingScale) => [
  ...[...RatingAuthority.bandsOf(scale)].reverse().map((b) => ({ colour: b.colour, label: `${b.label} (${bandRange(b, scale)})` })),
  { colour: scale.flags.noEvidence.colour, label: scale.flags.noEvidence.label },
  { colour: scale.flags.notApplicable.colour, label: scale.flags.notApplicable.label },
];

function svgOpen(id: string, height: number, label: string, description: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${e(id)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" ` +
    `role="img" aria-labelledby="${e(id)}-title ${e(id)}-desc" font-family="${e(FONT_STACK)}">` +
    `<title id="${e(id)}-title">${e(label)}</title><desc id="${e(id)}-desc">${e(description)}</desc>` +
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`
  );
}

function kpiLabel(kpi: KpiResult, y: number): string {
  return (
    `<g class="kpi-label"><title>${e(`${kpi.id} ${kpi.title}`)}</title>` +
    `<text x="${LABEL_X}" y="${y + 15}" font-size="12.5" font-weight="600" fill="${INK}">${e(kpi.id)}</text>` +
    `<text x="${LABEL_X + 50}" y="${y + 15}" font-size="${CHART_MIN_FONT}" fill="${MUTED}">${e(truncate(kpi.title, 20))}</text></g>`
  );
}

function paHeader(pa: ScoreResult["performanceAreas"][number], y: number, decimals: number, scale: RatingScale): string {
  const stat = pa.statistic ? `  ·  mean ${formatScore(pa.statistic.score, decimals)} (${ratingLabel(pa.statistic.rating, scale)})` : "";
  return (
    `<line x1="${LABEL_X}" y1="${y + 4}" x2="${WIDTH - 8}" y2="${y + 4}" stroke="${RULE}" stroke-width="1"/>` +
    `<text x="${LABEL_X}" y="${y + 16}" font-size="${CHART_MIN_FONT}" font-weight="700" fill="${MUTED}" letter-spacing="0.04em">${e(`${pa.id.toUpperCase()}  ${pa.title.toUpperCase()}${stat}`)}</text>`
  );
}

/**
 * The performance chart: KPIs grouped by performance area; per KPI one segment per MI, coloured by
 * the MI's rating (flags in the scale's flag colours), then the KPI score on the scale with its
 * bands behind it, and the rating. Every MI segment is a group with `data-mi` and a tooltip.
 */
export function performanceChartSvg(result: ScoreResult, scale: RatingScale, options: ChartOptions = {}): string {
  const id = options.id ?? "performance-chart";
  const d = result.provenance.policy.rounding.decimals;
  const misById = new Map(result.mis.map((m) => [m.id, m]));
  const maxMis = Math.max(1, ...result.kpis.map((k) => k.mis.length));
  const cell = Math.min(64, TRACK_WIDTH / maxMis);
  const gap = 3;

  const body: string[] = [];
  let y = 0;
  const key = legend(scaleLegend(scale), y + 8);
  body.push(key.svg);
  y += key.height + 4;

  const kpisByPa = groupByArea(result.kpis);
  for (const pa of result.performanceAreas) {
    body.push(paHeader(pa, y, d, scale));
    y += PA_ROW;
    for (const kpi of kpisByPa.get(pa.id) ?? []) {
      const row: string[] = [kpiLabel(kpi, y)];
      kpi.mis.forEach((miId, i) => {
        const mi = misById.get(miId);
        if (mi) row.push(miSegment(mi, TRACK_X + i * cell, y + 3, cell - gap, ROW - 5, d, scale));
      });
      const colour = safeColour(ratingColour(kpi.rating, scale));
      row.push(
        `<rect x="${PILL_X}" y="${y + 3}" width="44" height="${ROW - 5}" rx="4" fill="${colour}"/>` +
          `<text x="${PILL_X + 22}" y="${y + 15}" font-size="12.5" font-weight="700" text-anchor="middle" fill="${textOn(colour)}">${e(kpi.score === null ? "–" : formatScore(kpi.score, d))}</text>` +
          `<text x="${RATING_X}" y="${y + 15}" font-size="12" fill="${INK}">${e(truncate(ratingLabel(kpi.rating, scale), 22) + provisionalMark(kpi.provisional))}</text>`,
      );
      body.push(`<g class="kpi" data-kpi="${e(kpi.id)}">${row.join("")}</g>`);
      y += ROW;
    }
  }
  y += 6;
  const description = `Scores of ${result.kpis.length} KPIs and ${result.mis.length} micro-indicators of ${result.organisation}, rated on scale ${scale.id}.`;
  return `${svgOpen(id, y, `Performance chart: ${result.organisation}`, description)}${body.join("")}</svg>`;
}

function groupByArea(kpis: readonly KpiResult[]): Map<string, KpiResult[]> {
  const byArea = new Map<string, KpiResult[]>();
  for (const kpi of kpis) {
    const list = byArea.get(kpi.performanceArea);
    if (list) list.push(kpi);
    else byArea.set(kpi.performanceArea, [kpi]);
  }
  return byArea;
}

function miSegment(mi: MiResult, x: number, y: number, width: number, height: number, decimals: number, scale: RatingScale): string {
  const colour = safeColour(ratingColour(mi.rating, scale));
  const ink = textOn(colour);
  const value = mi.score === null ? (mi.rating === scale.flags.notApplicable.code ? "N/A" : "N/E") : formatScore(mi.score, decimals);
  const tip = `${mi.id} ${mi.title}\nScore: ${mi.score === null ? "none" : formatScore(mi.score, decimals)}\nRating: ${ratingLabel(mi.rating, scale)}`;
  const cx = num(x + width / 2);
  const showText = width >= 28;
  return (
    `<g class="mi" data-mi="${e(mi.id)}" data-rating="${e(mi.rating)}"><title>${e(tip)}</title>` +
    `<rect x="${num(x)}" y="${y}" width="${num(width)}" height="${height}" rx="3" fill="${colour}"/>` +
    (showText ? `<text x="${cx}" y="${num(y + height / 2 + 4.5)}" font-size="12" font-weight="700" text-anchor="middle" fill="${ink}">${e(value)}</text>` : "") +
    `</g>`
  );
}

/** Coverage: per KPI a stacked bar of the shares of its elements (results MIs) scored, N/E and N/A. */
export function coverageChartSvg(result: ScoreResult, scale: RatingScale, options: ChartOptions = {}): string {
  const id = options.id ?? "coverage-chart";
  const barX = 200;
  const barWidth = 340;
  const parts = [
    { key: "scored", label: "Scored", colour: SCORED_COLOUR },
    { key: "noEvidence", label: scale.flags.noEvidence.label, colour: scale.flags.noEvidence.colour },
    { key: "notApplicable", label: scale.flags.notApplicable.label, colour: scale.flags.notApplicable.colour },
  ] as const;
  const body: string[] = [];
  const key = legend(parts, 8);
  body.push(key.svg);
  let y = key.height + 18;
  const kpisByPa = groupByArea(result.kpis);
  const rowHeight = 26;
  for (const pa of result.performanceAreas) {
    body.push(
      `<line x1="${LABEL_X}" y1="${y + 6}" x2="${WIDTH - 8}" y2="${y + 6}" stroke="${RULE}" stroke-width="1"/>` +
        `<text x="${LABEL_X}" y="${y + 22}" font-size="12" font-weight="700" fill="${MUTED}" letter-spacing="0.04em">${e(`${pa.id.toUpperCase()}  ${pa.title.toUpperCase()}`)}</text>`,
    );
    y += PA_ROW;
    for (const kpi of kpisByPa.get(pa.id) ?? []) {
      const c: Coverage = kpi.coverage;
      const row: string[] = [
        `<g class="kpi-label"><title>${e(`${kpi.id} ${kpi.title}`)}</title>` +
          `<text x="${LABEL_X}" y="${y + 15}" font-size="13" font-weight="600" fill="${INK}">${e(kpi.id)}</text>` +
          `<text x="${LABEL_X + 50}" y="${y + 15}" font-size="${CHART_MIN_FONT}" fill="${MUTED}">${e(truncate(kpi.title, 21))}</text></g>`,
      ];
      let x = barX;
      for (const p of parts) {
        const count = c[p.key];
        if (count === 0 || c.total === 0) continue;
        const w = (count / c.total) * barWidth;
        const share = Math.round((count / c.total) * 100);
        row.push(
          `<g class="share" data-kpi="${e(kpi.id)}" data-share="${p.key}"><title>${e(`${kpi.id}: ${p.label} ${count} of ${c.total} (${share}%)`)}</title>` +
            `<rect x="${num(x)}" y="${y + 2}" width="${num(w)}" height="20" fill="${safeColour(p.colour)}"/>` +
            (w >= 26 ? `<text x="${num(x + w / 2)}" y="${y + 15}" font-size="${CHART_MIN_FONT}" font-weight="600" text-anchor="middle" fill="${textOn(p.colour)}">${count}</text>` : "") +
            `</g>`,
        );
        x += w;
      }
      if (c.total === 0) row.push(`<rect x="${barX}" y="${y + 2}" width="${barWidth}" height="20" fill="none" stroke="${RULE}"/>`);
      const pct = c.total === 0 ? "—" : `${Math.round((c.scored / c.total) * 100)}%`;
      row.push(`<text x="${barX + barWidth + 14}" y="${y + 15}" font-size="12" fill="${INK}">${e(`${c.scored} of ${c.total} scored (${pct})`)}</text>`);
      body.push(`<g class="kpi" data-kpi="${e(kpi.id)}">${row.join("")}</g>`);
      y += rowHeight;
    }
  }
  y += 4;
  const description = `Share of elements (results MIs for results KPIs) scored, without evidence and not applicable, per KPI of ${result.organisation}.`;
  return `${svgOpen(id, y, `Coverage chart: ${result.organisation}`, description)}${body.join("")}</svg>`;
}
