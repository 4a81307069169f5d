import { RatingAuthority } from "../rating/authority.js";
import type { RatingBand, RatingScale } from "../rating/schema.js";
import { formatScore, ratingColour, ratingLabel } from "../render/labels.js";
import type { Coverage, KpiResult, MiResult, ScoreResult } from "../scoring/result.js";
import { escapeHtml as e, safeColour } from "./escape.js";

/** Font stack shared by the charts and the HTML report. */
export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";

const WIDTH = 1120;
const LABEL_X = 8;
const TRACK_X = 300;
const TRACK_WIDTH = 440;
const BULLET_X = 770;
const BULLET_WIDTH = 176;
const PILL_X = 960;
const RATING_X = 1010;
const ROW = 42;
const PA_ROW = 30;
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
  return chars.length <= max ? text : chars.slice(0, max - 1).join("").trimEnd() + "…";
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

/** "MI1.1" -> "1.1": the short label printed inside a segment. */
const shortId = (id: string): string => id.replace(/^MI/, "");

/** "3.51–4.00" for a band, at the scale's precision. */
export const bandRange = (band: RatingScale["bands"][number], scale: RatingScale): string =>
  `${band.min.toFixed(scale.decimals)}–${band.max.toFixed(scale.decimals)}`;

/** Swatches with labels in rows that wrap at the chart's width; returns the markup and its height. */
function legend(items: readonly { colour: string; label: string }[], y: number): { svg: string; height: number } {
  let x = LABEL_X;
  let line = 0;
  const parts: string[] = [];
  for (const item of items) {
    // Rough width of a label: about 6.2 units a character at 12px.
    const width = 20 + Math.ceil([...item.label].length * 6.2) + 18;
    if (x > LABEL_X && x + width > WIDTH - 8) {
      x = LABEL_X;
      line++;
    }
    const top = y + line * 22;
    parts.push(
      `<rect x="${x}" y="${top}" width="14" height="14" rx="2" fill="${safeColour(item.colour)}"/>` +
        `<text x="${x + 20}" y="${top + 11.5}" font-size="12" fill="${INK}">${e(item.label)}</text>`,
    );
    x += width;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, height: (line + 1) * 22 };
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
    `<text x="${LABEL_X}" y="${y + 17}" font-size="13" font-weight="600" fill="${INK}">${e(kpi.id)}</text>` +
    `<text x="${LABEL_X}" y="${y + 33}" font-size="11" fill="${MUTED}">${e(truncate(kpi.title, 46))}</text></g>`
  );
}

function paHeader(pa: ScoreResult["performanceAreas"][number], y: number, decimals: number, scale: RatingScale): string {
  const stat = pa.statistic ? `  ·  mean ${formatScore(pa.statistic.score, decimals)} (${ratingLabel(pa.statistic.rating, scale)})` : "";
  return (
    `<line x1="${LABEL_X}" y1="${y + 6}" x2="${WIDTH - 8}" y2="${y + 6}" stroke="${RULE}" stroke-width="1"/>` +
    `<text x="${LABEL_X}" y="${y + 24}" font-size="12" font-weight="700" fill="${MUTED}" letter-spacing="0.06em">${e(`${pa.id.toUpperCase()}  ${pa.title.toUpperCase()}${stat}`)}</text>`
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
  const span = scale.max - scale.min || 1;
  const xOf = (score: number) => BULLET_X + ((Math.min(Math.max(score, scale.min), scale.max) - scale.min) / span) * BULLET_WIDTH;

  const body: string[] = [];
  let y = 0;
  const key = legend(scaleLegend(scale), y + 8);
  body.push(key.svg);
  y += key.height + 18;
  // Column headings and the axis of the KPI score.
  body.push(
    `<text x="${LABEL_X}" y="${y + 12}" font-size="11" fill="${MUTED}">KPI</text>` +
      `<text x="${TRACK_X}" y="${y + 12}" font-size="11" fill="${MUTED}">Micro-indicators: one segment each, coloured by rating</text>` +
      `<text x="${PILL_X}" y="${y + 12}" font-size="11" fill="${MUTED}">KPI score and rating</text>`,
  );
  const ticks: string[] = [];
  const step = Math.max(1, Math.ceil(span / 8));
  for (let t = Math.ceil(scale.min); t <= scale.max; t += step) {
    ticks.push(`<text x="${num(xOf(t))}" y="${y + 12}" font-size="10" fill="${MUTED}" text-anchor="middle">${t}</text>`);
  }
  body.push(`<g class="axis">${ticks.join("")}</g>`);
  y += 18;

  const kpisByPa = new Map<string, KpiResult[]>();
  for (const kpi of result.kpis) kpisByPa.set(kpi.performanceArea, [...(kpisByPa.get(kpi.performanceArea) ?? []), kpi]);
  const bands = RatingAuthority.bandsOf(scale);

  for (const pa of result.performanceAreas) {
    body.push(paHeader(pa, y, d, scale));
    y += PA_ROW;
    for (const kpi of kpisByPa.get(pa.id) ?? []) {
      const row: string[] = [kpiLabel(kpi, y)];
      kpi.mis.forEach((miId, i) => {
        const mi = misById.get(miId);
        if (mi) row.push(miSegment(mi, TRACK_X + i * cell, y + 4, cell - gap, ROW - 8, d, scale));
      });
      row.push(bullet(kpi, y, bands, scale, xOf));
      const colour = safeColour(ratingColour(kpi.rating, scale));
      row.push(
        `<rect x="${PILL_X}" y="${y + 10}" width="44" height="22" rx="4" fill="${colour}"/>` +
          `<text x="${PILL_X + 22}" y="${y + 25.5}" font-size="12.5" font-weight="700" text-anchor="middle" fill="${textOn(colour)}">${e(kpi.score === null ? "–" : formatScore(kpi.score, d))}</text>` +
          `<text x="${RATING_X}" y="${y + 25.5}" font-size="12" fill="${INK}">${e(ratingLabel(kpi.rating, scale))}</text>`,
      );
      body.push(`<g class="kpi" data-kpi="${e(kpi.id)}">${row.join("")}</g>`);
      y += ROW;
    }
  }
  y += 8;
  const description = `Scores of ${result.kpis.length} KPIs and ${result.mis.length} micro-indicators of ${result.organisation}, rated on scale ${scale.id}.`;
  return `${svgOpen(id, y, `Performance chart: ${result.organisation}`, description)}${body.join("")}</svg>`;
}

function miSegment(mi: MiResult, x: number, y: number, width: number, height: number, decimals: number, scale: RatingScale): string {
  const colour = safeColour(ratingColour(mi.rating, scale));
  const ink = textOn(colour);
  const value = mi.score === null ? (mi.rating === scale.flags.notApplicable.code ? "N/A" : "N/E") : formatScore(mi.score, decimals);
  const tip = `${mi.id} ${mi.title}\nScore: ${mi.score === null ? "none" : formatScore(mi.score, decimals)}\nRating: ${ratingLabel(mi.rating, scale)}`;
  const cx = num(x + width / 2);
  const showText = width >= 30;
  return (
    `<g class="mi" data-mi="${e(mi.id)}" data-rating="${e(mi.rating)}"><title>${e(tip)}</title>` +
    `<rect x="${num(x)}" y="${y}" width="${num(width)}" height="${height}" rx="3" fill="${colour}"/>` +
    (showText
      ? `<text x="${cx}" y="${y + 13}" font-size="9.5" text-anchor="middle" fill="${ink}" fill-opacity="0.85">${e(shortId(mi.id))}</text>` +
        `<text x="${cx}" y="${y + 27}" font-size="11" font-weight="700" text-anchor="middle" fill="${ink}">${e(value)}</text>`
      : "") +
    `</g>`
  );
}

/** The KPI score as a dark bar over the scale's bands (tinted), like a bullet graph. */
function bullet(kpi: KpiResult, y: number, bands: readonly RatingBand[], scale: RatingScale, xOf: (n: number) => number): string {
  const top = y + 13;
  const parts: string[] = [];
  bands.forEach((band, i) => {
    const from = i === 0 ? scale.min : band.min;
    const to = bands[i + 1]?.min ?? scale.max;
    parts.push(`<rect x="${num(xOf(from))}" y="${top}" width="${num(Math.max(0, xOf(to) - xOf(from)))}" height="16" fill="${safeColour(band.colour)}" fill-opacity="0.28"/>`);
  });
  if (kpi.score !== null) {
    parts.push(`<rect x="${num(xOf(scale.min))}" y="${top + 5}" width="${num(Math.max(1, xOf(kpi.score) - xOf(scale.min)))}" height="6" fill="${INK}"/>`);
    parts.push(`<rect x="${num(xOf(kpi.score) - 1)}" y="${top + 1}" width="2" height="14" fill="${INK}"/>`);
  } else {
    parts.push(`<text x="${num(xOf(scale.min) + 6)}" y="${top + 12}" font-size="10.5" fill="${MUTED}">no score</text>`);
  }
  return `<g class="bullet">${parts.join("")}</g>`;
}

/** Coverage: per KPI a stacked bar of the shares of its elements (results MIs) scored, N/E and N/A. */
export function coverageChartSvg(result: ScoreResult, scale: RatingScale, options: ChartOptions = {}): string {
  const id = options.id ?? "coverage-chart";
  const barX = TRACK_X;
  const barWidth = 560;
  const parts = [
    { key: "scored", label: "Scored", colour: SCORED_COLOUR },
    { key: "noEvidence", label: scale.flags.noEvidence.label, colour: scale.flags.noEvidence.colour },
    { key: "notApplicable", label: scale.flags.notApplicable.label, colour: scale.flags.notApplicable.colour },
  ] as const;
  const body: string[] = [];
  const key = legend(parts, 8);
  body.push(key.svg);
  let y = key.height + 18;
  const kpisByPa = new Map<string, KpiResult[]>();
  for (const kpi of result.kpis) kpisByPa.set(kpi.performanceArea, [...(kpisByPa.get(kpi.performanceArea) ?? []), kpi]);
  const rowHeight = 36;
  for (const pa of result.performanceAreas) {
    body.push(
      `<line x1="${LABEL_X}" y1="${y + 6}" x2="${WIDTH - 8}" y2="${y + 6}" stroke="${RULE}" stroke-width="1"/>` +
        `<text x="${LABEL_X}" y="${y + 24}" font-size="12" font-weight="700" fill="${MUTED}" letter-spacing="0.06em">${e(`${pa.id.toUpperCase()}  ${pa.title.toUpperCase()}`)}</text>`,
    );
    y += PA_ROW;
    for (const kpi of kpisByPa.get(pa.id) ?? []) {
      const c: Coverage = kpi.coverage;
      const row: string[] = [
        `<g class="kpi-label"><title>${e(`${kpi.id} ${kpi.title}`)}</title>` +
          `<text x="${LABEL_X}" y="${y + 15}" font-size="13" font-weight="600" fill="${INK}">${e(kpi.id)}</text>` +
          `<text x="${LABEL_X + 56}" y="${y + 15}" font-size="11" fill="${MUTED}">${e(truncate(kpi.title, 36))}</text></g>`,
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
            (w >= 26 ? `<text x="${num(x + w / 2)}" y="${y + 16}" font-size="11" font-weight="600" text-anchor="middle" fill="${textOn(p.colour)}">${count}</text>` : "") +
            `</g>`,
        );
        x += w;
      }
      if (c.total === 0) row.push(`<rect x="${barX}" y="${y + 2}" width="${barWidth}" height="20" fill="none" stroke="${RULE}"/>`);
      const pct = c.total === 0 ? "—" : `${Math.round((c.scored / c.total) * 100)}%`;
      row.push(`<text x="${barX + barWidth + 14}" y="${y + 16}" font-size="12" fill="${INK}">${e(`${c.scored} of ${c.total} scored (${pct})`)}</text>`);
      body.push(`<g class="kpi" data-kpi="${e(kpi.id)}">${row.join("")}</g>`);
      y += rowHeight;
    }
  }
  y += 4;
  const description = `Share of elements (results MIs for results KPIs) scored, without evidence and not applicable, per KPI of ${result.organisation}.`;
  return `${svgOpen(id, y, `Coverage chart: ${result.organisation}`, description)}${body.join("")}</svg>`;
}
