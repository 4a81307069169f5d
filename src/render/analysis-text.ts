/** Plain-text reports of the analyses: sensitivity, simulation, what-if. */
import type { Crossing, ItemSensitivity, SensitivityResult } from "../analysis/sensitivity.js";
import type { Rated } from "../analysis/shared.js";
import type { SimulationResult } from "../analysis/simulate.js";
import type { WhatIfResult } from "../analysis/what-if.js";
import type { FlagTreatment } from "../framework/schema.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { formatScore, pad, ratingLabel } from "./labels.js";

const signedChange = (n: number, places: number) => (n === 0 ? "0" : `${n > 0 ? "+" : "-"}${Math.abs(n).toFixed(places)}`);
const treatment = (t: FlagTreatment) => (t.treatment === "exclude" ? "left out" : `counted as ${t.score}`);

export function renderSensitivityText(r: SensitivityResult, scale: RatingScale, title: string): string {
  const d = r.parameters.policy.rounding.decimals;
  const authority = new RatingAuthority(r.parameters.policy, scale);
  const signed = (n: number) => (n === 0 ? "0" : `${n > 0 ? "+" : "-"}${authority.formatMargin(Math.abs(n))}`);
  const show = (x: Rated) => `${formatScore(x.score, d)} ${ratingLabel(x.rating, scale)}`;
  const crossing = (c: Crossing, word: string) => {
    if (!c.reached) return `${word}: ${c.reason}`;
    const moves = c.changes.map((ch) => `${ch.id} ${ch.from}->${ch.to}`).join(", ");
    return `${word}: ${c.changes.length} change${c.changes.length === 1 ? "" : "s"}${c.minimal ? "" : " (greedy)"}: ${moves}; gives ${show(c.result)}`;
  };
  const block = (item: ItemSensitivity, indent: string) => {
    const lines = [`${indent}${pad(item.id, 8)} ${show(item.current)}${item.provisional ? " (provisional)" : ""}${item.kpi ? `  (${item.kpi})` : ""}`];
    if (item.provisional) lines.push(`${indent}  provisional: ${item.provisional}`);
    const m = item.margin;
    const margin = [
      m.up ? `${signed(m.up.distance)} to ${ratingLabel(m.up.band, scale)} (at ${m.up.threshold.toFixed(d)})` : undefined,
      m.down ? `${signed(-m.down.distance)} to ${ratingLabel(m.down.band, scale)} (at ${m.down.threshold.toFixed(d)})` : undefined,
    ].filter((x) => x !== undefined);
    if (margin.length > 0) lines.push(`${indent}  margin: ${margin.join("; ")}`);
    if (item.current.score !== null) {
      lines.push(`${indent}  ${crossing(item.changes.up, "up")}`);
      lines.push(`${indent}  ${crossing(item.changes.down, "down")}`);
    }
    if (item.noEvidence) {
      lines.push(`${indent}  N/E (${item.noEvidence.leaves.length}): best ${show(item.noEvidence.best)}, worst ${show(item.noEvidence.worst)}`);
    }
    return lines;
  };
  const p = r.parameters;
  const lines = [
    title,
    `Sensitivity: framework ${p.framework.id} ${p.framework.version}, rating scale ${p.ratingScale}; N/E ${treatment(p.noEvidence.policy)} (compared with: ${treatment(p.noEvidence.alternative)})${p.comparedScales.length ? `; compared scales: ${p.comparedScales.join(", ")}` : ""}`,
    "Margins are changes of the rated score; change sets move the fewest scored elements (results MIs on the results scale) within their scale.",
    "",
    "KPIs",
  ];
  for (const k of r.kpis) lines.push(...block(k, "  "));
  lines.push("", "MIs");
  for (const m of r.mis) lines.push(...block(m, "  "));
  lines.push("", `N/E ${treatment(r.noEvidencePolicy.alternative)} instead of ${treatment(r.noEvidencePolicy.policy)}: ${r.noEvidencePolicy.ratingChanges.length} rating change(s)`);
  for (const c of r.noEvidencePolicy.ratingChanges) lines.push(`  ${pad(c.id, 8)} ${show(c.from)} -> ${show(c.to)}`);
  for (const s of r.scales) {
    lines.push("", `Rated by scale ${s.scale} instead of ${p.ratingScale}: ${s.ratingChanges.length} rating change(s)`);
    for (const c of s.ratingChanges) lines.push(`  ${pad(c.id, 8)} ${formatScore(c.from.score, d)} ${ratingLabel(c.from.rating, scale)} -> ${ratingLabel(c.to.rating, scale)}`);
  }
  return lines.join("\n") + "\n";
}

export function renderSimulationText(r: SimulationResult, scale: RatingScale, title: string): string {
  const p = r.parameters;
  const d = p.policy.rounding.decimals;
  const codes = RatingAuthority.bandsOf(scale).map((b) => b.code);
  const short = (code: string) =>
    ratingLabel(code, scale)
      .split(/\s+/)
      .map((w) => w[0]!.toUpperCase())
      .join("");
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    title,
    `Simulation: ${p.draws} draws, seed ${p.seed}, uncertainty model "${p.uncertainty.id}" (${p.uncertainty.provenance.status}: assumptions, not MOPAN rules), ${p.method}`,
    `Interval: ${p.interval[0] * 100}% to ${p.interval[1] * 100}% quantiles of the KPI score. Rating shares: ${codes.map((c) => `${short(c)} ${ratingLabel(c, scale)}`).join(", ")}.`,
    "",
    `  ${pad("KPI", 8)} ${pad("Score", 6)} ${pad("Rating", 22)} ${pad("Mean", 6)} ${pad("Interval", 13)} ${pad("Same", 7)} ${codes.map((c) => pad(short(c), 7)).join(" ")}`,
  ];
  for (const k of r.kpis) {
    const i = k.interval;
    lines.push(
      `  ${pad(k.id, 8)} ${pad(formatScore(k.deterministic.score, d), 6)} ${pad(ratingLabel(k.deterministic.rating, scale), 22)} ${pad(k.mean === null ? "—" : k.mean.toFixed(d), 6)} ${pad(i ? `${i.low.toFixed(d)}-${i.high.toFixed(d)}` : "—", 13)} ${pad(pct(k.stability), 7)} ${codes.map((c) => pad(k.probabilities[c] === undefined ? "—" : pct(k.probabilities[c]), 7)).join(" ")}`,
    );
  }
  lines.push("", "Same: share of draws with the rating the assessment has without uncertainty.");
  return lines.join("\n") + "\n";
}

export function renderWhatIfText(r: WhatIfResult, scale: RatingScale, title: string): string {
  const d = r.parameters.policy.rounding.decimals;
  const show = (x: Rated) => `${pad(formatScore(x.score, d), 5)} ${pad(ratingLabel(x.rating, scale), 22)}`;
  const row = (c: WhatIfResult["kpis"][number]) =>
    `  ${pad(c.id, 8)} ${show(c.before)} -> ${show(c.after)} ${c.change === null ? (c.ratingChanged ? "(score appears/disappears)" : "") : signedChange(c.change, d + 2)}${c.ratingChanged ? "  RATING CHANGES" : ""}`;
  const lines = [
    title,
    `What if: ${r.parameters.settings.map((s) => `${s.id} ${s.from} -> ${s.to}`).join(", ")}`,
    "",
    r.ratingChanges.length === 0 ? "No rating changes." : `Rating changes: ${r.ratingChanges.map((c) => `${c.id} ${ratingLabel(c.from, scale)} -> ${ratingLabel(c.to, scale)}`).join("; ")}`,
    "",
    "KPIs, largest change first",
  ];
  for (const k of r.kpis) lines.push(row(k));
  const moved = r.mis.filter((m) => (m.exactChange !== null && m.exactChange !== "0") || m.ratingChanged);
  lines.push("", "MIs that change, largest change first");
  for (const m of moved) lines.push(row(m));
  lines.push(`(${r.mis.length - moved.length} MIs unchanged)`);
  return lines.join("\n") + "\n";
}
