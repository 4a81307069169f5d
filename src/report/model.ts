import { assessmentTitle } from "../assessment/title.js";
import type { Assessment, Evidence, Judgement } from "../assessment/schema.js";
import { type Framework, type MiItem, indexFramework, provenanceSummary } from "../framework/model.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import { confidenceLabel } from "../render/labels.js";
import { coverageRuleText, provenanceLines, provenanceTag, provisionalSummary } from "../render/provenance.js";
import { unjudgedPerKpi } from "../render/score-text.js";
import type { ElementResult, KpiResult, MiResult, ScoreResult } from "../scoring/result.js";
import { bandRange } from "./chart.js";

/** What the HTML and Markdown reports show, gathered once from the result, framework and assessment. */
export interface ReportModel {
  readonly title: string;
  readonly organisation: string;
  readonly decimals: number;
  readonly facts: readonly Fact[];
  /** Sentences saying what is reconstructed and what these figures are not, from the provenance. */
  readonly statement: readonly string[];
  /** The same in a few words, for the report's eyebrow. */
  readonly provenanceTag: string;
  readonly kpisByArea: readonly { readonly area: ScoreResult["performanceAreas"][number]; readonly kpis: readonly KpiResult[] }[];
  readonly strengths: readonly MiResult[];
  readonly weaknesses: readonly MiResult[];
  readonly scoredMis: number;
  readonly details: readonly KpiDetail[];
  /** Every evidence entry of the assessment, once, in id order, with the MIs that cite it. */
  readonly evidence: readonly EvidenceDetail[];
  /** Evidence id -> fragment id of its entry. */
  readonly evidenceAnchors: ReadonlyMap<string, string>;
}

export interface EvidenceDetail {
  readonly evidence: Evidence;
  /** Fragment id of the entry in the report ("ev-3"); unique even when two ids differ only in punctuation. */
  readonly anchor: string;
  /** MIs whose elements (or the results MI itself) cite the entry, in framework order. */
  readonly citedBy: readonly string[];
}

/** One labelled line of the provenance block. */
export interface Fact {
  readonly label: string;
  readonly value: string;
  /** Shown in a monospace font (ids, hashes). */
  readonly code?: boolean;
}

export interface KpiDetail {
  readonly kpi: KpiResult;
  readonly mis: readonly MiDetail[];
}

export interface MiDetail {
  readonly mi: MiResult;
  readonly item: MiItem | undefined;
  /** Elements, or for a results MI the MI itself as its one judged item. */
  readonly items: readonly ItemDetail[];
  /** The items listed in full: all of them with `full`, else those with a score or something to say. */
  readonly listed: readonly ItemDetail[];
  /** The rest, one run per label: unscored items with no rationale, evidence or conflict. */
  readonly collapsed: readonly CollapsedRun[];
}

/**
 * Items with nothing of their own to say, shown as one line: "4 elements no evidence (N/E), no
 * rationale recorded: E1, E2, E3, E5", or with the rationale they share word for word.
 */
export interface CollapsedRun {
  readonly label: ItemLabel;
  readonly ids: readonly string[];
  readonly rationale?: string;
}

export interface ItemDetail {
  readonly id: string;
  readonly title: string;
  readonly score: number | null;
  readonly flag: "N/E" | "N/A" | null;
  readonly source: ElementResult["source"];
  readonly rationale: string | undefined;
  /** For a results MI: the descriptor of the level given. */
  readonly descriptor: string | undefined;
  readonly evidence: readonly string[];
  readonly conflict: ElementResult["conflict"];
  /** What the item is: "judged", "from evidence", "not judged", "no evidence", "not applicable". */
  readonly label: ItemLabel;
}

export type ItemLabel = "judged" | "from evidence" | "not judged" | "no evidence" | "not applicable";

/** What an item is, from where its score came and its flag; never "judgement" for an empty row. */
function itemLabel(item: Pick<ItemDetail, "source" | "flag">): ItemLabel {
  if (item.source === "unjudged") return "not judged";
  if (item.flag === "N/E") return "no evidence";
  if (item.flag === "N/A") return "not applicable";
  return item.source === "triangulated" ? "from evidence" : "judged";
}

/**
 * An item with nothing of its own to show: no score (N/E or not judged; N/A is a judgement and
 * stays), no evidence, no conflict, and no rationale or only one that other such items repeat word
 * for word ("The sources do not speak to this element.").
 */
const saysNothing = (item: ItemDetail, boilerplate: ReadonlySet<string>): boolean =>
  item.score === null && item.flag !== "N/A" && item.evidence.length === 0 && item.conflict === null && (!item.rationale?.trim() || boilerplate.has(item.rationale.trim()));

/** How many MIs the strengths and weaknesses lists show at most. */
export const TOP_N = 5;

export interface ReportOptions {
  /** Heading of the report; the assessment's title by default. */
  readonly title?: string;
  /** List every element in full, even those with nothing to say (otherwise runs of them collapse to one line per MI). */
  readonly full?: boolean;
}

export const organisationName = (a: Assessment): string => `${a.organisation.name}${a.organisation.acronym ? ` (${a.organisation.acronym})` : ""}`;

/** The element score or flag as printed: "3", "N/E". */
export const itemValue = (item: Pick<ItemDetail, "score" | "flag"> & { source?: ItemDetail["source"] }): string =>
  item.source === "unjudged" ? "—" : (item.flag ?? (item.score === null ? "—" : String(item.score)));

/**
 * Highest and lowest scored MIs: at most TOP_N each, never the same MI in both (with fewer than
 * 2 x TOP_N scored MIs the lists split them). Ties keep framework order.
 */
export function strengthsAndWeaknesses(result: ScoreResult, n = TOP_N): { strengths: MiResult[]; weaknesses: MiResult[] } {
  const order = new Map(result.mis.map((m, i) => [m.id, i]));
  const scored = result.mis.filter((m) => m.score !== null);
  const byScore = (dir: 1 | -1) => (a: MiResult, b: MiResult) => dir * (a.score! - b.score!) || order.get(a.id)! - order.get(b.id)!;
  const strong = Math.min(n, Math.ceil(scored.length / 2));
  const weak = Math.min(n, scored.length - strong);
  const strengths = [...scored].sort(byScore(-1)).slice(0, strong);
  const taken = new Set(strengths.map((m) => m.id));
  const weaknesses = [...scored]
    .sort(byScore(1))
    .filter((m) => !taken.has(m.id))
    .slice(0, weak);
  return { strengths, weaknesses };
}

export function buildReportModel(result: ScoreResult, framework: Framework, assessment: Assessment, scale: RatingScale, options: ReportOptions = {}): ReportModel {
  const index = indexFramework(framework);
  const p = result.provenance;
  const d = p.policy.rounding.decimals;
  const judgements = new Map<string, Judgement>(assessment.judgements.map((j) => [j.id, j]));
  const citedBy = new Map<string, string[]>(assessment.evidence.map((ev) => [ev.id, []]));
  // Rationales that unscored judgements repeat word for word: boilerplate, shown once per run.
  const rationaleCount = new Map<string, number>();
  for (const j of assessment.judgements) {
    const text = j.rationale?.trim();
    if (text && typeof j.score !== "number") rationaleCount.set(text, (rationaleCount.get(text) ?? 0) + 1);
  }
  const boilerplate = new Set([...rationaleCount].filter(([, n]) => n >= 2).map(([text]) => text));
  const elementsByMi = new Map<string, ElementResult[]>();
  for (const el of result.elements) {
    const list = elementsByMi.get(el.mi);
    if (list) list.push(el);
    else elementsByMi.set(el.mi, [el]);
  }
  const misById = new Map(result.mis.map((m) => [m.id, m]));

  const details: KpiDetail[] = result.kpis.map((kpi) => ({
    kpi,
    mis: kpi.mis.flatMap((id): MiDetail[] => {
      const mi = misById.get(id);
      if (!mi) return [];
      const item = index.mis.get(id);
      let items: ItemDetail[];
      if (mi.scoring === "rubric") {
        const j = judgements.get(id);
        const score = typeof j?.score === "number" ? j.score : mi.score;
        const flag = j?.score === "N/E" || j?.score === "N/A" ? j.score : mi.score === null ? (mi.rating === scale.flags.notApplicable.code ? "N/A" : "N/E") : null;
        const rubricItem: Omit<ItemDetail, "label"> = {
          id,
          title: mi.title,
          score: flag ? null : score,
          flag,
          source: j?.score !== undefined ? "judgement" : mi.score !== null ? "triangulated" : "unjudged",
          rationale: j?.rationale,
          descriptor: score === null || flag ? undefined : item?.rubric?.[String(score)],
          evidence: mi.evidence,
          conflict: result.conflicts.find((c) => c.id === id) ?? null,
        };
        items = [{ ...rubricItem, label: itemLabel(rubricItem) }];
      } else {
        items = (elementsByMi.get(id) ?? []).map((el) => ({
          id: el.id,
          title: index.elements.get(el.id)?.title ?? el.id,
          score: el.score,
          flag: el.flag,
          source: el.source,
          rationale: judgements.get(el.id)?.rationale,
          descriptor: undefined,
          evidence: el.evidence,
          conflict: el.conflict,
          label: itemLabel(el),
        }));
      }
      for (const ev of new Set(items.flatMap((i) => i.evidence))) citedBy.get(ev)?.push(id);
      const quiet = (i: ItemDetail) => !options.full && saysNothing(i, boilerplate);
      const runs = new Map<string, { label: ItemLabel; ids: string[]; rationale?: string }>();
      for (const i of items.filter(quiet)) {
        const rationale = i.rationale?.trim() || undefined;
        const key = JSON.stringify([i.label, rationale ?? null]);
        const run = runs.get(key);
        if (run) run.ids.push(i.id);
        else runs.set(key, { label: i.label, ids: [i.id], ...(rationale === undefined ? {} : { rationale }) });
      }
      return [{ mi, item, items, listed: items.filter((i) => !quiet(i)), collapsed: [...runs.values()] }];
    }),
  }));

  const evidence: EvidenceDetail[] = [...assessment.evidence]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((ev, i) => ({ evidence: ev, anchor: `ev-${i + 1}`, citedBy: citedBy.get(ev.id) ?? [] }));

  const kpisByArea = result.performanceAreas.map((area) => ({ area, kpis: result.kpis.filter((k) => k.performanceArea === area.id) }));
  const { strengths, weaknesses } = strengthsAndWeaknesses(result);
  const ap = assessment.provenance;
  const counts = provenanceSummary(framework);
  const facts: Fact[] = [
    { label: "Organisation", value: organisationName(assessment) },
    { label: "Period", value: `${assessment.period.from} to ${assessment.period.to}` },
    { label: "Framework", value: `${p.framework.id} ${p.framework.version}${framework.base ? ` (overlay on ${framework.base.id} ${framework.base.version})` : ""}`, code: true },
    { label: "Framework content hash", value: p.framework.contentHash, code: true },
    { label: "Framework provenance", value: `${framework.provenance.status}${framework.provenance.source ? `: ${framework.provenance.source}` : ""}` },
    {
      label: "Framework items by provenance",
      value: Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    },
    { label: "Methodology", value: p.methodology },
    { label: "Rating scale", value: `${scale.id}: ${scale.title}`, code: false },
    {
      label: "Rating bands",
      value: [...RatingAuthority.bandsOf(scale)]
        .reverse()
        .map((b) => `${b.label} ${bandRange(b, scale)}`)
        .join("; "),
    },
    { label: "Rating scale provenance", value: `${scale.provenance.status}${scale.provenance.source ? `: ${scale.provenance.source}` : ""}` },
    { label: "Assessment provenance", value: ap ? `${ap.status}${ap.source ? `: ${ap.source}` : ""}` : "not stated" },
    ...(ap?.basis ? [{ label: "Assessment basis", value: ap.basis }] : []),
    { label: "Assessment hash", value: p.assessmentHash, code: true },
    { label: "Assessors", value: assessment.assessors.map((a) => `${a.name}${a.role ? ` (${a.role})` : ""}`).join("; ") || "not stated" },
    {
      label: "Scoring",
      value: `means of elements per MI and of MIs per KPI; N/E ${flagTreatment(p.policy.flags["N/E"])}, N/A ${flagTreatment(p.policy.flags["N/A"])}; ${p.policy.rounding.decimals} decimals, ${p.policy.rounding.mode}${p.policy.rounding.classifyAfterRounding ? ", rated after rounding" : ""}`,
    },
    { label: "Coverage rule", value: coverageRuleText(p.policy) ?? "none: no rating is marked provisional" },
    { label: "Engine", value: `${p.engine.name} ${p.engine.version}`, code: true },
  ];
  if (assessment.context?.notes) facts.push({ label: "Context", value: assessment.context.notes });

  const provisional = provisionalSummary(result);
  const statement = [
    `These scores were computed by ${p.engine.name} ${p.engine.version} from the judgements recorded in this assessment; elements the evidence does not speak to are N/E.`,
    ...provenanceLines(p),
    ...(provisional === null ? [] : [provisional]),
    ...(result.unjudged.length > 0
      ? [
          `${result.unjudged.length} elements and results MIs are not judged yet (${unjudgedPerKpi(result)}): they are left out of the means like N/E, but they are not judgements, and the scores will change when they are judged.`,
        ]
      : []),
    ...(assessment.published ? [`Published figures for comparison: ${assessment.published.source} (see "mopan compare --published").`] : []),
  ];

  return {
    title: options.title ?? assessmentTitle(assessment),
    organisation: organisationName(assessment),
    decimals: d,
    facts,
    statement,
    provenanceTag: provenanceTag(p),
    kpisByArea,
    strengths,
    weaknesses,
    scoredMis: result.mis.filter((m) => m.score !== null).length,
    details,
    evidence,
    evidenceAnchors: new Map(evidence.map((e) => [e.evidence.id, e.anchor])),
  };
}

function flagTreatment(t: Framework["policy"]["flags"]["N/E"]): string {
  return t.treatment === "exclude" ? "left out" : `counted as ${t.score}`;
}

/** A source as one line: title, section, page, survey question, interviews, date. */
export function sourceLine(ev: Evidence): string {
  const s = ev.source;
  return [
    s.title,
    s.section && `section: ${s.section}`,
    s.page && `p. ${s.page}`,
    s.surveyQuestion && `survey question: ${s.surveyQuestion}`,
    s.interviews !== undefined && `${s.interviews} interview${s.interviews === 1 ? "" : "s"}`,
    ev.date,
  ]
    .filter((x): x is string => typeof x === "string" && x !== "")
    .join(" · ");
}

/** Confidence as one phrase: "little to no (1 stream, 4 evidence entries, 40% scored); stated medium". */
export function confidenceText(mi: MiResult): string {
  const c = mi.confidence;
  const b = c.basis;
  const share = b.scoredShare === null ? "nothing applicable" : `${Math.round(b.scoredShare * 100)}% scored`;
  const basis = `${b.streams.length} stream${b.streams.length === 1 ? "" : "s"}${b.streams.length ? ` (${b.streams.join(", ")})` : ""}, ${b.evidence} evidence entr${b.evidence === 1 ? "y" : "ies"}, ${share}${b.conflicts ? `, ${b.conflicts} conflict${b.conflicts === 1 ? "" : "s"}` : ""}`;
  const stated = c.stated === null ? "" : `; stated ${confidenceLabel(c.stated)}${c.agrees === false ? " (differs)" : ""}`;
  return `${c.computed === null ? "none" : confidenceLabel(c.computed)} (${basis})${stated}`;
}

export const coverageText = (c: { total: number; scored: number; noEvidence: number; notApplicable: number }): string =>
  `${c.scored} of ${c.total} scored, ${c.noEvidence} N/E, ${c.notApplicable} N/A`;

/** "4 elements no evidence (N/E): E1, E2, E3, E5"; a results MI's own run: "Not judged". */
export function collapsedText(run: CollapsedRun, mi: MiResult): string {
  const what = run.label === "no evidence" ? "no evidence (N/E)" : run.label;
  const why = run.rationale === undefined ? "no rationale recorded" : `rationale: ${run.rationale}`;
  if (mi.scoring === "rubric") return `${what[0]!.toUpperCase()}${what.slice(1)}; ${why}`;
  const short = run.ids.map((id) => (id.startsWith(`${mi.id}.`) ? id.slice(mi.id.length + 1) : id));
  return `${run.ids.length} element${run.ids.length === 1 ? "" : "s"} ${what}: ${short.join(", ")}; ${why}`;
}
