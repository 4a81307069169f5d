import type { ComparedItem, Comparison, RatingChangeCause, UnmatchedItem } from "../analysis/compare.js";
import { toCsv } from "../text/csv-write.js";
import type { RatingScale } from "../rating/schema.js";
import { mdCell } from "./score-md.js";
import { formatScore, pad, ratingLabel } from "./labels.js";

/** The two rating scales of a comparison, for labels. */
export interface CompareScales {
  readonly a: RatingScale;
  readonly b: RatingScale;
}

export const formatChange = (change: number | null, decimals = 2): string =>
  change === null ? "—" : change === 0 ? (0).toFixed(decimals) : `${change > 0 ? "+" : "−"}${Math.abs(change).toFixed(decimals)}`;

const ARROW = { [-1]: "↓", 0: "→", 1: "↑" } as const;

/** Why a rating changed, in words; empty for none. */
export function ratingChangeText(row: ComparedItem): string {
  const texts: Record<RatingChangeCause, string> = {
    none: "",
    performance: "performance",
    scale: "scale effect (the band limits moved, not the score)",
    "performance-and-scale": "performance and scale effect",
    coverage: "coverage (a side has no score)",
  };
  if (row.ratingChange === "performance-and-scale" && !row.ratingChanged) return "same rating: score change and scale effect cancel out";
  return texts[row.ratingChange];
}

/** Which sides' ratings are provisional under their coverage rule: "provisional in a and b"; empty for none. */
export function provisionalText(row: ComparedItem, labels: { readonly a: string; readonly b: string }): string {
  const sides = [row.a.provisional !== null ? labels.a : null, row.b.provisional !== null ? labels.b : null].filter((x) => x !== null);
  return sides.length === 0 ? "" : `provisional in ${sides.join(" and ")}`;
}

export const reasonText = (reason: UnmatchedItem["reason"], other: string): string =>
  reason === "not-in-crosswalk" ? "not in the crosswalk" : reason === "no-counterpart" ? "no counterpart in the crosswalk" : `not in ${other}`;

const decimalsOf = (c: Comparison) => Math.max(2, ...[...c.kpis, ...c.mis].map((r) => (r.change === null ? 0 : (String(r.change).split(".")[1] ?? "").length)));

function header(c: Comparison): string[] {
  const side = (s: Comparison["a"]) => `${s.label}: ${s.organisation}; ${s.framework.id} ${s.framework.version}, methodology ${s.methodology}, rating scale ${s.ratingScale}`;
  const lines = [`Comparison of ${c.a.label} and ${c.b.label} (change = b − a)`, `  a = ${side(c.a)}`, `  b = ${side(c.b)}`];
  if (c.crosswalk) lines.push(`Frameworks differ: items paired through the crosswalk ${c.crosswalk.from} → ${c.crosswalk.to}.`);
  if (c.scaleChanged) {
    lines.push(
      `Rating scales differ (${c.a.ratingScale} → ${c.b.ratingScale}): each score of ${c.a.label} is also rated on ${c.b.ratingScale}, so a band change without a change in score shows as a scale effect, not as a change in performance.`,
    );
  }
  lines.push("Scores are computed by mopan-engine from each assessment's judgements; see each side's provenance (mopan score).");
  return lines;
}

/** Plain-text comparison: rating changes called out first, then KPIs and MIs by absolute change, then unmatched items. */
export function renderCompareText(c: Comparison, scales: CompareScales): string {
  const d = decimalsOf(c);
  const lines = [...header(c), ""];
  const changes = [...c.kpis, ...c.mis].filter((r) => r.ratingChanged || r.ratingChange !== "none");
  if (changes.length > 0) {
    lines.push("Rating changes:");
    for (const r of changes) {
      lines.push(`  ${pad(r.id, 8)} ${ratingLabel(r.a.rating, scales.a)} ${ARROW[r.direction]} ${ratingLabel(r.b.rating, scales.b)}  ${ratingChangeText(r)}; change ${formatChange(r.change, d)}`);
    }
  } else lines.push("No rating changed.");
  lines.push("");
  for (const [name, rows, summary] of [
    ["KPIs", c.kpis, c.summary.kpis],
    ["MIs", c.mis, c.summary.mis],
  ] as const) {
    lines.push(
      `${name}: ${summary.compared} compared, ${summary.scoreChanged} changed score, ${summary.ratingChanged} changed rating${c.scaleChanged ? `, ${summary.scaleEffects} with a scale effect` : ""} (sorted by absolute change)`,
    );
    if (rows.length === 0) {
      lines.push("");
      continue;
    }
    const onB = c.scaleChanged ? ` ${pad(`a on ${c.b.ratingScale}`, 22)}` : "";
    lines.push(`  ${pad("id", 8)} ${pad("a", 7)} ${pad("b", 7)} ${pad("change", 7)} ${pad("rating a", 22)}${onB} ${pad("rating b", 22)} note`);
    for (const r of rows) {
      const id = r.idA === r.id ? r.id : `${r.idA}→${r.id}`;
      const scaleCol = c.scaleChanged ? ` ${pad(r.aOnScaleB === null ? "—" : ratingLabel(r.aOnScaleB, scales.b), 22)}` : "";
      const note = [ratingChangeText(r), provisionalText(r, { a: c.a.label, b: c.b.label }), r.frameworkNote ? `framework: ${r.frameworkNote}` : ""].filter((x) => x !== "").join("; ");
      lines.push(
        `  ${pad(id, 8)} ${pad(formatScore(r.a.score, d), 7)} ${pad(formatScore(r.b.score, d), 7)} ${pad(formatChange(r.change, d), 7)} ${pad(ratingLabel(r.a.rating, scales.a), 22)}${scaleCol} ${pad(ratingLabel(r.b.rating, scales.b), 22)} ${r.ratingChanged ? "* " : ""}${note}`.trimEnd(),
      );
    }
    lines.push("");
  }
  for (const [side, list, other] of [
    [c.a.label, c.unmatched.a, c.b.label],
    [c.b.label, c.unmatched.b, c.a.label],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`Only in ${side} (${list.length}, not compared):`);
    for (const u of list) lines.push(`  ${pad(u.id, 8)} ${reasonText(u.reason, other)}  ${u.title}`);
    lines.push("");
  }
  lines.push("* rating changed. Provisional: a rating its coverage rule marks provisional (see mopan score).");
  return lines.join("\n") + "\n";
}

const CSV_HEADER = [
  "status",
  "level",
  "id_a",
  "id_b",
  "title",
  "score_a",
  "score_b",
  "change",
  "rating_a",
  "rating_a_on_scale_b",
  "rating_b",
  "rating_changed",
  "rating_change",
  "framework_note",
  "provisional_a",
  "provisional_b",
];

/** One row per compared item (KPIs then MIs, each by absolute change), then unmatched items. */
export function renderCompareCsv(c: Comparison): string {
  const n = (v: number | null) => (v === null ? "" : String(v));
  const rows: string[][] = [...c.kpis, ...c.mis].map((r) => [
    "compared",
    r.level,
    r.idA,
    r.id,
    r.title,
    n(r.a.score),
    n(r.b.score),
    n(r.change),
    r.a.rating,
    r.aOnScaleB ?? "",
    r.b.rating,
    String(r.ratingChanged),
    r.ratingChange,
    r.frameworkNote ?? "",
    r.a.provisional ?? "",
    r.b.provisional ?? "",
  ]);
  for (const u of c.unmatched.a) rows.push([`only-in-a:${u.reason}`, u.level, u.id, "", u.title, "", "", "", "", "", "", "", "", "", "", ""]);
  for (const u of c.unmatched.b) rows.push([`only-in-b:${u.reason}`, u.level, "", u.id, u.title, "", "", "", "", "", "", "", "", "", "", ""]);
  return toCsv(CSV_HEADER, rows);
}

/** Markdown comparison: the same content as the text form, as tables. */
export function renderCompareMarkdown(c: Comparison, scales: CompareScales): string {
  const d = decimalsOf(c);
  const [title, ...rest] = header(c);
  const out = [`# ${mdCell(title!)}`, "", ...rest.map((l) => `${mdCell(l.trim())}  `), ""];
  for (const [name, rows, summary] of [
    ["KPIs", c.kpis, c.summary.kpis],
    ["MIs", c.mis, c.summary.mis],
  ] as const) {
    out.push(
      `## ${name}`,
      "",
      `${summary.compared} compared, ${summary.scoreChanged} changed score, ${summary.ratingChanged} changed rating${c.scaleChanged ? `, ${summary.scaleEffects} with a scale effect` : ""}; sorted by absolute change.`,
      "",
    );
    if (rows.length === 0) continue;
    const scaleHead = c.scaleChanged ? ` ${mdCell(c.a.label)} on ${mdCell(c.b.ratingScale)} |` : "";
    out.push(`| Id | Title | ${mdCell(c.a.label)} | ${mdCell(c.b.label)} | Change | Rating ${mdCell(c.a.label)} |${scaleHead} Rating ${mdCell(c.b.label)} | Rating change |`);
    out.push(`|---|---|---:|---:|---:|---|${c.scaleChanged ? "---|" : ""}---|---|`);
    for (const r of rows) {
      const id = r.idA === r.id ? r.id : `${r.idA} → ${r.id}`;
      const scaleCol = c.scaleChanged ? ` ${r.aOnScaleB === null ? "—" : mdCell(ratingLabel(r.aOnScaleB, scales.b))} |` : "";
      const note = [
        r.ratingChanged ? `**${mdCell(ratingChangeText(r))}**` : mdCell(ratingChangeText(r)),
        mdCell(provisionalText(r, { a: c.a.label, b: c.b.label })),
        r.frameworkNote ? `framework: ${mdCell(r.frameworkNote)}` : "",
      ]
        .filter((x) => x !== "")
        .join("; ");
      out.push(
        `| ${mdCell(id)} | ${mdCell(r.title)} | ${formatScore(r.a.score, d)} | ${formatScore(r.b.score, d)} | ${formatChange(r.change, d)} | ${mdCell(ratingLabel(r.a.rating, scales.a))} |${scaleCol} ${mdCell(ratingLabel(r.b.rating, scales.b))} | ${note} |`,
      );
    }
    out.push("");
  }
  for (const [side, list, other] of [
    [c.a.label, c.unmatched.a, c.b.label],
    [c.b.label, c.unmatched.b, c.a.label],
  ] as const) {
    if (list.length === 0) continue;
    out.push(`## Only in ${mdCell(side)}`, "", "| Id | Title | Why |", "|---|---|---|");
    for (const u of list) out.push(`| ${mdCell(u.id)} | ${mdCell(u.title)} | ${mdCell(reasonText(u.reason, other))} |`);
    out.push("");
  }
  return out.join("\n");
}
