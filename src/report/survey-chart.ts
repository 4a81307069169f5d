import type { QuestionView } from "../render/survey.js";
import type { ResponseScale } from "../survey/schema.js";
import { FONT_STACK, truncate } from "./chart.js";
import { escapeHtml as e, safeColour } from "./escape.js";

// Drawn at the width of a printed page, like the report's other charts (see chart.ts), so no text
// prints below 8 pt: the smallest font is 11.5 units.
const WIDTH = 720;
const LABEL_X = 8;
/** Where the centre line is, and the width of 100% of the answers on either side of it. */
export const SURVEY_CHART = { centre: 356, half: 150 } as const;
const CENTRE = SURVEY_CHART.centre;
const HALF = SURVEY_CHART.half;
const NOTE_X = CENTRE + HALF + 16;
const ROW = 26;
const BAR = 18;
const LEGEND_ROW = 20;
const INK = "#1f2933";
const MUTED = "#52606d";
const RULE = "#d9dee4";

const pct = (x: number) => `${Math.round(x * 100)}%`;
const round2 = (x: number) => Math.round(x * 100) / 100;
const num = (x: number) => String(round2(x));

/**
 * A diverging stacked bar chart of one question: a bar for all respondents and one per shown group.
 * Disagreeing answers extend left of the centre line and agreeing ones right, the mildest next to
 * the line; each bar's length is the share of its substantive answers. Beside each bar: the
 * substantive n and the share of don't-know and blank answers. SVG only, no script; every piece of
 * data escaped.
 */
export function surveyChartSvg(question: QuestionView, scale: ResponseScale): string {
  const options = [...scale.options].sort((a, b) => a.value - b.value);
  const disagree = options.filter((o) => o.value < scale.agreeFrom).reverse();
  const agree = options.filter((o) => o.value >= scale.agreeFrom);
  const parts: string[] = [];
  // Legend: the answers from the most negative to the most positive, in rows that wrap at the width.
  let x = LABEL_X;
  let legendRows = 0;
  for (const o of options) {
    const width = 34 + Math.ceil([...o.label].length * 6.8);
    if (x > LABEL_X && x + width > WIDTH - 8) {
      x = LABEL_X;
      legendRows++;
    }
    const top = 6 + legendRows * LEGEND_ROW;
    parts.push(`<rect x="${x}" y="${top}" width="12" height="12" rx="2" fill="${safeColour(o.colour)}"/><text x="${x + 17}" y="${top + 10}" font-size="11.5" fill="${INK}">${e(o.label)}</text>`);
    x += width;
  }
  const TOP = 34 + legendRows * LEGEND_ROW;
  const height = TOP + question.cells.length * ROW + 30;
  parts.push(`<text x="${NOTE_X}" y="${TOP - 6}" font-size="11.5" fill="${MUTED}">n · don't know</text>`);
  parts.push(`<line x1="${CENTRE}" x2="${CENTRE}" y1="${TOP - 4}" y2="${TOP + question.cells.length * ROW}" stroke="${MUTED}" stroke-width="1"/>`);
  question.cells.forEach((cell, i) => {
    const y = TOP + i * ROW;
    const rows: string[] = [`<text x="${LABEL_X}" y="${y + 13}" font-size="12" fill="${INK}"${i === 0 ? ' font-weight="600"' : ""}>${e(truncate(cell.group, 26))}</text>`];
    if (cell.distribution === null || cell.substantive === 0) {
      rows.push(
        `<text x="${CENTRE}" y="${y + 13}" font-size="11.5" text-anchor="middle" fill="${MUTED}">${cell.substantive === 0 ? "no substantive answers" : "too few substantive answers to show"}</text>`,
      );
    } else {
      const count = new Map(cell.distribution.map((d) => [d.value, d.count]));
      // Edges rounded once, so neighbouring segments meet exactly and both halves start at the line.
      const segment = (o: (typeof options)[number], from: number, to: number) => {
        const c = count.get(o.value) ?? 0;
        const [a, b] = [round2(from), round2(to)];
        return `<rect class="segment" data-value="${o.value}" x="${num(a)}" y="${y}" width="${num(b - a)}" height="${BAR}" fill="${safeColour(o.colour)}"><title>${e(`${cell.group}: ${o.label}, ${c} of ${cell.substantive} (${pct(c / cell.substantive)})`)}</title></rect>`;
      };
      let left = CENTRE;
      for (const o of disagree) {
        const width = (HALF * (count.get(o.value) ?? 0)) / cell.substantive;
        if (width > 0) rows.push(segment(o, left - width, left));
        left -= width;
      }
      let right = CENTRE;
      for (const o of agree) {
        const width = (HALF * (count.get(o.value) ?? 0)) / cell.substantive;
        if (width > 0) rows.push(segment(o, right, right + width));
        right += width;
      }
      if (cell.shareAgreeing !== null) rows.push(`<text x="${num(Math.min(right + 4, CENTRE + HALF - 30))}" y="${y + 13}" font-size="11.5" fill="${INK}">${pct(cell.shareAgreeing)}</text>`);
    }
    rows.push(`<text class="note" x="${NOTE_X}" y="${y + 13}" font-size="12" fill="${INK}">n ${cell.substantive} · DK ${cell.dontKnowShare === null ? "—" : pct(cell.dontKnowShare)}</text>`);
    parts.push(`<g class="bar" data-group="${e(cell.group)}">${rows.join("")}</g>`);
  });
  const axis = TOP + question.cells.length * ROW + 14;
  parts.push(`<line x1="${CENTRE - HALF}" x2="${CENTRE + HALF}" y1="${axis - 8}" y2="${axis - 8}" stroke="${RULE}"/>`);
  for (const share of [-1, -0.5, 0, 0.5, 1]) {
    parts.push(`<text x="${CENTRE + share * HALF}" y="${axis + 6}" font-size="11.5" text-anchor="middle" fill="${MUTED}">${pct(Math.abs(share))}</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="survey-chart" data-question="${e(question.id)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${e(`Question ${question.id}: answers by group`)}" font-family="${e(FONT_STACK)}">${parts.join("")}</svg>`;
}
