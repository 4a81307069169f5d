import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { describeValue, pointerSegment } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { levelOfId, parseId } from "../framework/ids.js";
import { type Framework, type FrameworkIndex, indexFramework, judgedIdsOf } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import { resolveRatingScale } from "../framework/rating-scale.js";
import { type RatingAuthority, ratingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
import type { ScoringPolicy } from "../framework/schema.js";
import { onStep } from "../util/exact.js";
import type { Assessment } from "./schema.js";
import { parseAssessmentShape } from "./shape.js";

export interface AssessmentContext {
  /** The resolved framework the assessment names; undefined when it could not be loaded. */
  readonly framework: Framework | undefined;
  /** The known rating scales: the assessment is rated on the one `resolveRatingScale` chooses for its methodology. */
  readonly scales?: readonly RatingScale[];
  /** A rating scale chosen by the caller instead (still checked against the framework's policy). */
  readonly scale?: RatingScale | undefined;
  readonly file?: string;
  /** How a message names the place of a JSON pointer when the data came from elsewhere: "scores.csv line 12", "Scores!B17". */
  readonly placeOf?: (pointer: string) => string | undefined;
}

export interface CheckedAssessment {
  readonly assessment?: Assessment;
  /** The rating scale the assessment is rated on, when one could be resolved. */
  readonly scale?: RatingScale;
  readonly diagnostics: Diagnostic[];
}

/**
 * Shape and meaning of an assessment against its framework, every problem collected. The
 * semantic pass reads the raw data leniently, so it runs even where the shape is broken.
 */
export function checkAssessment(raw: unknown, context: AssessmentContext): CheckedAssessment {
  const { framework, file, placeOf } = context;
  const sink: Sink = { out: [], file };
  const { out } = sink;

  const parsed = parseAssessmentShape(raw);
  if (!parsed.success) out.push(...diagnosticsFromZod(parsed.error, raw, file));
  if (!isRecord(raw)) return { diagnostics: out.length ? out : [{ ...locate(sink, ""), code: "invalid-type", severity: "error", message: "An assessment must be a JSON object." }] };

  const scale = checkHeader(raw, context, sink);
  const evidenceList = Array.isArray(raw["evidence"]) ? raw["evidence"] : [];
  const evidenceIds = evidenceIdsOf(evidenceList, sink);
  if (!framework) return result(parsed.success && out.length === 0 ? parsed.data : undefined, scale, out);

  reportLookAlikes(evidenceIds, sink);
  const table = idTableOf(framework);
  const slotMarks = takeMarks(table, table.ids.length);
  const marks: Marks = { ...slotMarks, judgedElsewhere: new Map(), suggestedElsewhere: new Set(), cited: new Uint8Array(evidenceList.length) };
  checkJudgements(Array.isArray(raw["judgements"]) ? raw["judgements"] : [], table, evidenceIds, marks, sink, placeOf);
  checkEvidenceUse(evidenceList, table, evidenceIds, marks, sink);
  reportUnjudged(table, marks, sink);
  if (isRecord(raw["statedConfidence"])) checkStatedConfidence(raw["statedConfidence"], table, sink);
  const published = raw["published"];
  if (isRecord(published)) checkPublished(published, table, scale ? ratingAuthority(table.policy, scale) : undefined, sink);

  table.spare = slotMarks;
  const ok = parsed.success && !out.some((d) => d.severity === "error");
  return result(ok ? parsed.data : undefined, scale, out);
}

/** Where the checks write their diagnostics, and the file they name. */
interface Sink {
  readonly out: Diagnostic[];
  readonly file: string | undefined;
}

const locate = (sink: Sink, pointer: string) => (sink.file === undefined ? { pointer } : { file: sink.file, pointer });

function report(sink: Sink, pointer: string, code: string, message: string, extra: Partial<Diagnostic> = {}, severity: Diagnostic["severity"] = "error"): void {
  sink.out.push({ ...locate(sink, pointer), code, severity, message, ...extra });
}

function result(assessment: Assessment | undefined, scale: RatingScale | undefined, diagnostics: Diagnostic[]): CheckedAssessment {
  if (assessment === undefined) return scale ? { scale, diagnostics } : { diagnostics };
  return scale ? { assessment, scale, diagnostics } : { assessment, diagnostics };
}

/** The scale the assessment is rated on, with what its methodology, framework version and period say. */
function checkHeader(raw: Record<string, unknown>, context: AssessmentContext, sink: Sink): RatingScale | undefined {
  const { framework } = context;
  const methodology = typeof raw["methodology"] === "string" ? raw["methodology"] : undefined;
  let scale: RatingScale | undefined;
  if (methodology !== undefined) {
    const choice = context.scale ? { explicit: context.scale } : { scales: context.scales ?? [] };
    const resolved = resolveRatingScale(framework, methodology, choice, locate(sink, "/methodology"));
    sink.out.push(...resolved.diagnostics);
    scale = resolved.scale;
  }
  const fw = isRecord(raw["framework"]) ? raw["framework"] : undefined;
  if (framework && fw && typeof fw["version"] === "string" && fw["version"] !== framework.version) {
    report(
      sink,
      "/framework/version",
      "framework-version-mismatch",
      `The assessment was made with ${framework.id} ${fw["version"]}; version ${framework.version} is installed. Scores may differ.`,
      { expected: framework.version, received: fw["version"] },
      "warning",
    );
  }

  if (framework && methodology !== undefined && scale && methodology !== framework.methodology) {
    report(
      sink,
      "/methodology",
      "methodology-differs",
      `Methodology ${methodology} (rating scale ${scale.id}) differs from ${framework.methodology}, the version ${framework.id} was written for; ratings use ${scale.id}.`,
      { expected: framework.methodology, received: methodology },
      "warning",
    );
  }

  const period = isRecord(raw["period"]) ? raw["period"] : undefined;
  if (period && typeof period["from"] === "string" && typeof period["to"] === "string" && period["from"] > period["to"]) {
    report(sink, "/period", "period-reversed", `The period ends (${period["to"]}) before it starts (${period["from"]}).`);
  }
  return scale;
}

/** Each evidence id with the index of its first entry; later entries of the same id are reported. */
function evidenceIdsOf(evidenceList: readonly unknown[], sink: Sink): Map<string, number> {
  const evidenceIds = new Map<string, number>();
  for (let i = 0; i < evidenceList.length; i++) {
    const e = evidenceList[i];
    if (!isRecord(e)) continue;
    const id = e["id"];
    if (typeof id !== "string") continue;
    const first = evidenceIds.get(id);
    if (first !== undefined) {
      report(sink, `/evidence/${i}/id`, "duplicate-evidence-id", `Evidence id "${id}" is used twice (first at /evidence/${first}).`, { received: id });
    } else evidenceIds.set(id, i);
  }
  return evidenceIds;
}

/**
 * Ids that differ only in what a reader cannot see or a spreadsheet may change: a citation meant
 * for one silently points at the other.
 */
function reportLookAlikes(evidenceIds: ReadonlyMap<string, number>, sink: Sink): void {
  const lookAlikes = new Map<string, string>();
  for (const id of evidenceIds.keys()) {
    const key = lookAlikeKey(id);
    const first = lookAlikes.get(key);
    if (first === undefined) lookAlikes.set(key, id);
    else {
      report(
        sink,
        `/evidence/${evidenceIds.get(id)}/id`,
        "look-alike-evidence-id",
        `Evidence ids ${JSON.stringify(first)} and ${JSON.stringify(id)} differ only in case, Unicode normalisation, invisible or no-break spaces; give them distinct names.`,
        { received: id },
        "warning",
      );
    }
  }
}

/** What the judgements and evidence say of each id: per slot of the id table for the framework's own ids, in maps for any other. */
interface Marks {
  /** The index of the first judgement of each slot, -1 where there is none. */
  readonly judgedAt: Int32Array;
  readonly scored: Uint8Array;
  readonly suggested: Uint8Array;
  readonly judgedElsewhere: Map<string, number>;
  readonly suggestedElsewhere: Set<string>;
  /** Per evidence entry: 1 when a judgement cites it. */
  readonly cited: Uint8Array;
}

/** Why an id the assessment uses is wrong, or undefined when it is an element or a results MI (`slot`: its place in the table, if any). */
const problemOf = (table: IdTable, id: string, slot: number | undefined): Problem | undefined => (slot === undefined ? unknownIdProblem(id, table.index, table.frameworkId) : table.problems[slot]);

/** Why a score is not on its scale (off the scale, or between its steps), or undefined when it is. */
function scoreProblem(policy: ScoringPolicy, id: string, value: number, results: boolean): (Problem & { extra: Partial<Diagnostic> }) | undefined {
  const s = results ? policy.resultsScale : policy.elementScale;
  const what = results ? "results rating" : "element score";
  if (!Number.isFinite(value) || value < s.min || value > s.max) {
    const received = describeValue(value);
    return { code: "score-off-scale", message: `${received} for "${id}" is outside the ${what} scale ${s.min} to ${s.max}.`, extra: { expected: `${s.min} to ${s.max}`, received } };
  }
  if (onStep(value, s.min, s.step)) return undefined;
  return {
    code: "score-off-step",
    message: `${value} for "${id}" is not a step of the ${what} scale (${s.min} to ${s.max} in steps of ${s.step}).`,
    extra: { expected: `steps of ${s.step}`, received: String(value) },
  };
}

function checkJudgements(judgements: readonly unknown[], table: IdTable, evidenceIds: ReadonlyMap<string, number>, marks: Marks, sink: Sink, placeOf: AssessmentContext["placeOf"]): void {
  const { judgedAt, scored, judgedElsewhere, cited } = marks;
  for (let i = 0; i < judgements.length; i++) {
    const j = judgements[i];
    if (!isRecord(j)) continue;
    const id = j["id"];
    if (typeof id !== "string") continue;
    const slot = table.slotOf.get(id);
    const problem = problemOf(table, id, slot);
    const score = j["score"];
    if (problem !== undefined) report(sink, `/judgements/${i}/id`, problem.code, problem.message, { received: id });
    else if (typeof score === "number") {
      const wrong = scoreProblem(table.policy, id, score, table.results[slot!] === 1);
      if (wrong !== undefined) report(sink, `/judgements/${i}/score`, wrong.code, wrong.message, wrong.extra);
    }
    const first = slot === undefined ? judgedElsewhere.get(id) : judgedAt[slot]! < 0 ? undefined : judgedAt[slot];
    if (first !== undefined)
      report(sink, `/judgements/${i}/id`, "duplicate-judgement", `"${id}" is judged twice (first at ${placeOf?.(`/judgements/${first}`) ?? `/judgements/${first}`}); only one judgement can count.`, {
        received: id,
      });
    else if (slot === undefined) judgedElsewhere.set(id, i);
    else judgedAt[slot] = i;
    if (slot !== undefined && score !== undefined) scored[slot] = 1;
    const refs = j["evidence"];
    if (Array.isArray(refs)) {
      for (let r = 0; r < refs.length; r++) {
        const ref = refs[r];
        if (typeof ref !== "string") continue;
        const at = evidenceIds.get(ref);
        if (at !== undefined) cited[at] = 1;
        else report(sink, `/judgements/${i}/evidence/${r}`, "unknown-evidence", `Judgement of "${id}" cites evidence "${ref}", which the assessment does not contain.`, { received: ref });
      }
    }
  }
}

/** The ids each evidence entry names and the scores it suggests; and evidence nothing uses. */
function checkEvidenceUse(evidenceList: readonly unknown[], table: IdTable, evidenceIds: ReadonlyMap<string, number>, marks: Marks, sink: Sink): void {
  // Evidence that no judgement cites, with no suggested score, whose elements are not judged: used
  // only if a later entry suggests a score for one of its elements, so decided after the loop.
  const undecided: number[] = [];
  for (let i = 0; i < evidenceList.length; i++) {
    const e = evidenceList[i];
    if (!isRecord(e)) continue;
    const eid = e["id"];
    const first = typeof eid === "string" && eid !== "" ? evidenceIds.get(eid)! : -1;
    let used = first < 0 || marks.cited[first] === 1;
    const elements = e["elements"];
    if (Array.isArray(elements)) used = checkElements(elements, i, used, table, marks, sink);
    const suggestions = e["suggestedScores"];
    if (isRecord(suggestions)) used = checkSuggestions(suggestions, i, table, marks, sink) || used;
    if (!used) undecided.push(i);
  }
  if (undecided.length > 0) reportUnused(evidenceList, undecided, table, marks, sink);
}

/** Reports the unknown ids among an evidence entry's elements; whether the entry is used (`used`, or one of its elements is judged). */
function checkElements(elements: readonly unknown[], i: number, used: boolean, table: IdTable, marks: Marks, sink: Sink): boolean {
  const { judgedAt, judgedElsewhere } = marks;
  for (let k = 0; k < elements.length; k++) {
    const id = elements[k];
    if (typeof id !== "string") continue;
    const slot = table.slotOf.get(id);
    const problem = problemOf(table, id, slot);
    if (problem !== undefined) report(sink, `/evidence/${i}/elements/${k}`, problem.code, problem.message, { received: id });
    if (!used) used = slot === undefined ? judgedElsewhere.has(id) : judgedAt[slot]! >= 0;
  }
  return used;
}

/** Reports the unknown ids and off-scale values among an entry's suggested scores, and marks the ids suggested; whether it suggests any. */
function checkSuggestions(suggestions: Record<string, unknown>, i: number, table: IdTable, marks: Marks, sink: Sink): boolean {
  const { suggested, suggestedElsewhere } = marks;
  let any = false;
  for (const id of Object.keys(suggestions)) {
    any = true;
    const slot = table.slotOf.get(id);
    const problem = problemOf(table, id, slot);
    if (problem !== undefined) report(sink, `/evidence/${i}/suggestedScores/${pointerSegment(id)}`, problem.code, problem.message, { received: id });
    else {
      const value = suggestions[id];
      const wrong = typeof value === "number" ? scoreProblem(table.policy, id, value, table.results[slot!] === 1) : undefined;
      if (wrong !== undefined) report(sink, `/evidence/${i}/suggestedScores/${pointerSegment(id)}`, wrong.code, wrong.message, wrong.extra);
    }
    if (slot === undefined) suggestedElsewhere.add(id);
    else suggested[slot] = 1;
  }
  return any;
}

/** The undecided entries none of whose elements a later entry suggests a score for. */
function reportUnused(evidenceList: readonly unknown[], undecided: readonly number[], table: IdTable, marks: Marks, sink: Sink): void {
  const { suggested, suggestedElsewhere } = marks;
  for (const i of undecided) {
    const e = evidenceList[i] as Record<string, unknown>;
    const elements = e["elements"];
    const suggestedLater =
      Array.isArray(elements) &&
      elements.some((id) => {
        if (typeof id !== "string") return false;
        const slot = table.slotOf.get(id);
        return slot === undefined ? suggestedElsewhere.has(id) : suggested[slot] === 1;
      });
    if (!suggestedLater) report(sink, `/evidence/${i}`, "unused-evidence", `Evidence "${e["id"] as string}" is cited by no judgement and bears on no judged element.`, {}, "warning");
  }
}

/**
 * Not judged yet: no score given (no judgement, or a blank one) and no suggested score to derive
 * one from. One warning for all, counted per KPI, so that --strict fails an unfinished assessment
 * without burying other problems under hundreds of lines.
 */
function reportUnjudged(table: IdTable, marks: Marks, sink: Sink): void {
  const { scored, suggested } = marks;
  let unjudged: string[] | undefined;
  let perKpi: Map<string, number> | undefined;
  for (let l = 0; l < table.leaves.length; l++) {
    const slot = table.leaves[l]!;
    if (scored[slot] === 1 || suggested[slot] === 1) continue;
    unjudged ??= [];
    perKpi ??= new Map();
    unjudged.push(table.ids[slot]!);
    const kpi = table.leafKpis[l]!;
    perKpi.set(kpi, (perKpi.get(kpi) ?? 0) + 1);
  }
  if (unjudged !== undefined && perKpi !== undefined) {
    const counts = [...perKpi].map(([kpi, n]) => `${kpi} ${n}`).join(", ");
    report(
      sink,
      "/judgements",
      "unjudged-element",
      `${unjudged.length} of ${table.leaves.length} elements and results MIs are not judged yet (${counts}): their score is blank and no evidence suggests one. They count as N/E until judged; give each a score, N/E (judged: no evidence) or N/A.`,
      { expected: "a score, N/E or N/A for every element and results MI", received: unjudged.join(", ") },
      "warning",
    );
  }
}

function checkStatedConfidence(stated: Record<string, unknown>, table: IdTable, sink: Sink): void {
  for (const id of Object.keys(stated)) {
    if (!table.index.mis.has(id))
      report(sink, `/statedConfidence/${pointerSegment(id)}`, "unknown-id", `Confidence is stated for "${id}", which is not an MI of ${table.frameworkId}.`, { received: id });
  }
}

/** Published KPIs and MIs: known ids, and ratings that are the scale's rating of the published score. */
function checkPublished(published: Record<string, unknown>, table: IdTable, authority: RatingAuthority | undefined, sink: Sink): void {
  for (const level of ["kpis", "mis"] as const) {
    const entries = isRecord(published[level]) ? published[level] : undefined;
    if (!entries) continue;
    const known = level === "kpis" ? table.index.kpis : table.index.mis;
    for (const [id, entry] of Object.entries(entries)) {
      const pointer = `/published/${level}/${pointerSegment(id)}`;
      if (!known.has(id)) {
        report(sink, pointer, "unknown-id", `Published ${level === "kpis" ? "KPI" : "MI"} "${id}" is not in ${table.frameworkId}.`, { received: id });
        continue;
      }
      if (!isRecord(entry) || !authority) continue;
      const { score, rating } = entry;
      const codes = authority.codes();
      if (typeof rating === "string" && !codes.includes(rating)) {
        report(sink, `${pointer}/rating`, "unknown-rating", `"${rating}" is not a rating of scale ${authority.scale.id} (${codes.join(", ")}).`, { received: rating, expected: codes.join(" | ") });
      } else if (typeof score === "number" && typeof rating === "string" && Number.isFinite(score)) {
        const expected = authority.rateScore(score).rating;
        if (expected !== rating) {
          report(sink, `${pointer}/rating`, "published-rating-mismatch", `Published ${id} score ${score} is "${expected}" under scale ${authority.scale.id}, but the rating given is "${rating}".`, {
            expected,
            received: rating,
          });
        }
      }
    }
  }
}

interface Problem {
  readonly code: string;
  readonly message: string;
}

/**
 * The ids of a framework an assessment may use, each with a slot (an index into arrays the
 * checks fill per assessment), whether it is a results MI, and why it is wrong when it is one
 * (an MI scored through its elements); and the leaves to judge in order, with their KPIs.
 */
interface IdTable {
  readonly index: FrameworkIndex;
  readonly frameworkId: string;
  readonly policy: ScoringPolicy;
  readonly slotOf: ReadonlyMap<string, number>;
  readonly ids: readonly string[];
  readonly results: Uint8Array;
  readonly problems: readonly (Problem | undefined)[];
  readonly leaves: Int32Array;
  readonly leafKpis: readonly string[];
  /** The marks the last check returned, cleared and reused by the next (a check begun during another, through `placeOf`, makes its own). */
  spare: SlotMarks | undefined;
}

/** Per slot of an id table: the first judgement of the id (-1 where there is none), and whether it is scored, and suggested a score. */
interface SlotMarks {
  readonly judgedAt: Int32Array;
  readonly scored: Uint8Array;
  readonly suggested: Uint8Array;
}

function takeMarks(table: IdTable, slots: number): SlotMarks {
  const marks = table.spare;
  if (marks === undefined) return { judgedAt: new Int32Array(slots).fill(-1), scored: new Uint8Array(slots), suggested: new Uint8Array(slots) };
  table.spare = undefined;
  marks.judgedAt.fill(-1);
  marks.scored.fill(0);
  marks.suggested.fill(0);
  return marks;
}

const idTables = new WeakMap<Framework, IdTable>();

function idTableOf(framework: Framework): IdTable {
  const known = idTables.get(framework);
  if (known) return known;
  const index = indexFramework(framework);
  const slotOf = new Map<string, number>();
  const ids: string[] = [];
  const slot = (id: string): number => {
    let at = slotOf.get(id);
    if (at === undefined) {
      at = ids.push(id) - 1;
      slotOf.set(id, at);
    }
    return at;
  };
  for (const id of index.mis.keys()) slot(id);
  for (const id of index.elements.keys()) slot(id);
  const results = new Uint8Array(ids.length);
  const problems = ids.map((id, at): Problem | undefined => {
    // An element id wins over an MI of the same id, as in `unknownIdProblem`.
    if (index.elements.has(id)) return undefined;
    const mi = index.mis.get(id)!;
    if (mi.scoring === "rubric") {
      results[at] = 1;
      return undefined;
    }
    return { code: "mi-scored-through-elements", message: `"${id}" is scored through its elements; judge those (${mi.elements[0]?.id ?? "none"} ...) instead.` };
  });
  const leaves: number[] = [];
  const leafKpis: string[] = [];
  for (const mi of index.mis.values()) {
    for (const id of judgedIdsOf(mi)) {
      leaves.push(slot(id));
      leafKpis.push(mi.kpi);
    }
  }
  const table: IdTable = { index, frameworkId: framework.id, policy: framework.policy, slotOf, ids, results, problems, leaves: Int32Array.from(leaves), leafKpis, spare: undefined };
  idTables.set(framework, table);
  return table;
}

/** Why an id that is not an element or MI of the framework is wrong. */
function unknownIdProblem(id: string, index: FrameworkIndex, frameworkId: string): Problem {
  const numbers = parseId("element", id);
  const parent = numbers === undefined ? undefined : `MI${numbers[0]}.${numbers[1]}`;
  const parentMi = parent === undefined ? undefined : index.mis.get(parent);
  if (parentMi?.scoring === "rubric") return { code: "element-on-results-mi", message: `"${parent}" is a results MI, rated directly: it has no element "${id}". Rate "${parent}" itself.` };
  const level = levelOfId(id);
  const hint = level === undefined ? "" : ` (no such ${level === "element" ? "element" : level === "mi" ? "MI" : level === "kpi" ? "KPI" : "performance area"} in ${frameworkId})`;
  return { code: "unknown-id", message: `"${id}" is not an element or results MI of ${frameworkId}${hint}.` };
}

/** An id as a reader sees it: NFKC, without zero-width characters, no-break spaces as spaces, lower case. */
export function lookAlikeKey(id: string): string {
  // ASCII is its own NFKC form and holds none of the characters removed or replaced below.
  if (isAscii(id)) return id.toLowerCase();
  return lookAlikeKeyOfAnyText(id);
}

/** `lookAlikeKey` by its definition, for any text. */
export const lookAlikeKeyOfAnyText = (id: string): string =>
  id
    .normalize("NFKC")
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, "")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .toLowerCase();

const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};
