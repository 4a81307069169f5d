import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { describeValue, pointerSegment } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { levelOfId, parseId } from "../framework/ids.js";
import { type Framework, indexFramework } from "../framework/model.js";
import { isRecord } from "../framework/tree.js";
import { resolveRatingScale } from "../framework/rating-scale.js";
import { RatingAuthority } from "../rating/authority.js";
import type { RatingScale } from "../rating/schema.js";
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
  const out: Diagnostic[] = [];
  const at = (pointer: string) => (file === undefined ? { pointer } : { file, pointer });
  const push = (pointer: string, code: string, message: string, extra: Partial<Diagnostic> = {}, severity: Diagnostic["severity"] = "error") =>
    out.push({ ...at(pointer), code, severity, message, ...extra });

  const parsed = parseAssessmentShape(raw);
  if (!parsed.success) out.push(...diagnosticsFromZod(parsed.error, raw, file));
  if (!isRecord(raw)) return { diagnostics: out.length ? out : [{ ...at(""), code: "invalid-type", severity: "error", message: "An assessment must be a JSON object." }] };

  const methodology = typeof raw["methodology"] === "string" ? raw["methodology"] : undefined;
  let scale: RatingScale | undefined;
  if (methodology !== undefined) {
    const choice = context.scale ? { explicit: context.scale } : { scales: context.scales ?? [] };
    const resolved = resolveRatingScale(framework, methodology, choice, at("/methodology"));
    out.push(...resolved.diagnostics);
    scale = resolved.scale;
  }
  const withScale = scale ? { scale } : {};
  const fw = isRecord(raw["framework"]) ? raw["framework"] : undefined;
  if (framework && fw && typeof fw["version"] === "string" && fw["version"] !== framework.version) {
    push(
      "/framework/version",
      "framework-version-mismatch",
      `The assessment was made with ${framework.id} ${fw["version"]}; version ${framework.version} is installed. Scores may differ.`,
      { expected: framework.version, received: fw["version"] },
      "warning",
    );
  }

  if (framework && methodology !== undefined && scale && methodology !== framework.methodology) {
    push(
      "/methodology",
      "methodology-differs",
      `Methodology ${methodology} (rating scale ${scale.id}) differs from ${framework.methodology}, the version ${framework.id} was written for; ratings use ${scale.id}.`,
      { expected: framework.methodology, received: methodology },
      "warning",
    );
  }

  const period = isRecord(raw["period"]) ? raw["period"] : undefined;
  if (period && typeof period["from"] === "string" && typeof period["to"] === "string" && period["from"] > period["to"]) {
    push("/period", "period-reversed", `The period ends (${period["to"]}) before it starts (${period["from"]}).`);
  }

  const evidenceList = Array.isArray(raw["evidence"]) ? raw["evidence"] : [];
  const evidenceIds = new Map<string, number>();
  evidenceList.forEach((e, i) => {
    if (!isRecord(e) || typeof e["id"] !== "string") return;
    if (evidenceIds.has(e["id"])) {
      push(`/evidence/${i}/id`, "duplicate-evidence-id", `Evidence id "${e["id"]}" is used twice (first at /evidence/${evidenceIds.get(e["id"])}).`, { received: e["id"] });
    } else evidenceIds.set(e["id"], i);
  });

  if (!framework) return { ...(parsed.success && out.length === 0 ? { assessment: parsed.data } : {}), ...withScale, diagnostics: out };

  // Ids that differ only in what a reader cannot see or a spreadsheet may change: a citation meant
  // for one silently points at the other.
  const lookAlikes = new Map<string, string>();
  for (const [id, i] of evidenceIds) {
    const key = lookAlikeKey(id);
    const first = lookAlikes.get(key);
    if (first === undefined) lookAlikes.set(key, id);
    else {
      push(
        `/evidence/${i}/id`,
        "look-alike-evidence-id",
        `Evidence ids ${JSON.stringify(first)} and ${JSON.stringify(id)} differ only in case, Unicode normalisation, invisible or no-break spaces; give them distinct names.`,
        { received: id },
        "warning",
      );
    }
  }
  const index = indexFramework(framework);
  const { policy } = framework;

  /** Classifies an id the assessment uses: what it is in the framework, or why it is wrong. */
  const lookup = (id: string): "element" | "results-mi" | { code: string; message: string } => {
    if (index.elements.has(id)) return "element";
    const mi = index.mis.get(id);
    if (mi?.scoring === "rubric") return "results-mi";
    if (mi) return { code: "mi-scored-through-elements", message: `"${id}" is scored through its elements; judge those (${mi.elements[0]?.id ?? "none"} ...) instead.` };
    const numbers = parseId("element", id);
    const parent = numbers === undefined ? undefined : `MI${numbers[0]}.${numbers[1]}`;
    const parentMi = parent === undefined ? undefined : index.mis.get(parent);
    if (parentMi?.scoring === "rubric") return { code: "element-on-results-mi", message: `"${parent}" is a results MI, rated directly: it has no element "${id}". Rate "${parent}" itself.` };
    const level = levelOfId(id);
    const hint = level === undefined ? "" : ` (no such ${level === "element" ? "element" : level === "mi" ? "MI" : level === "kpi" ? "KPI" : "performance area"} in ${framework.id})`;
    return { code: "unknown-id", message: `"${id}" is not an element or results MI of ${framework.id}${hint}.` };
  };

  const checkScore = (where: () => string, id: string, value: unknown, kind: "element" | "results-mi") => {
    if (typeof value !== "number") return;
    const s = kind === "results-mi" ? policy.resultsScale : policy.elementScale;
    const what = kind === "results-mi" ? "results rating" : "element score";
    if (!Number.isFinite(value) || value < s.min || value > s.max) {
      push(where(), "score-off-scale", `${describeValue(value)} for "${id}" is outside the ${what} scale ${s.min} to ${s.max}.`, { expected: `${s.min} to ${s.max}`, received: describeValue(value) });
    } else if (!onStep(value, s.min, s.step)) {
      push(where(), "score-off-step", `${value} for "${id}" is not a step of the ${what} scale (${s.min} to ${s.max} in steps of ${s.step}).`, {
        expected: `steps of ${s.step}`,
        received: String(value),
      });
    }
  };

  const judgements = Array.isArray(raw["judgements"]) ? raw["judgements"] : [];
  const judged = new Map<string, number>();
  const cited = new Set<string>();
  judgements.forEach((j, i) => {
    if (!isRecord(j) || typeof j["id"] !== "string") return;
    const id = j["id"];
    const kind = lookup(id);
    if (typeof kind === "object") push(`/judgements/${i}/id`, kind.code, kind.message, { received: id });
    else checkScore(() => `/judgements/${i}/score`, id, j["score"], kind);
    if (judged.has(id))
      push(
        `/judgements/${i}/id`,
        "duplicate-judgement",
        `"${id}" is judged twice (first at ${placeOf?.(`/judgements/${judged.get(id)}`) ?? `/judgements/${judged.get(id)}`}); only one judgement can count.`,
        { received: id },
      );
    else judged.set(id, i);
    if (Array.isArray(j["evidence"])) {
      j["evidence"].forEach((ref, r) => {
        if (typeof ref !== "string") return;
        cited.add(ref);
        if (!evidenceIds.has(ref))
          push(`/judgements/${i}/evidence/${r}`, "unknown-evidence", `Judgement of "${id}" cites evidence "${ref}", which the assessment does not contain.`, { received: ref });
      });
    }
  });

  const suggested = new Set<string>();
  const targetsOf: string[][] = [];
  evidenceList.forEach((e, i) => {
    const targets: string[] = [];
    targetsOf.push(targets);
    if (!isRecord(e)) return;
    if (Array.isArray(e["elements"])) {
      e["elements"].forEach((id, k) => {
        if (typeof id !== "string") return;
        const kind = lookup(id);
        if (typeof kind === "object") push(`/evidence/${i}/elements/${k}`, kind.code, kind.message, { received: id });
        targets.push(id);
      });
    }
    if (isRecord(e["suggestedScores"])) {
      for (const [id, value] of Object.entries(e["suggestedScores"])) {
        const pointer = () => `/evidence/${i}/suggestedScores/${pointerSegment(id)}`;
        const kind = lookup(id);
        if (typeof kind === "object") push(pointer(), kind.code, kind.message, { received: id });
        else checkScore(pointer, id, value, kind);
        targets.push(id);
        suggested.add(id);
      }
    }
  });
  evidenceList.forEach((e, i) => {
    const eid = isRecord(e) && typeof e["id"] === "string" ? e["id"] : "";
    if (eid !== "" && !cited.has(eid) && !targetsOf[i]!.some((t) => judged.has(t) || suggested.has(t))) {
      push(`/evidence/${i}`, "unused-evidence", `Evidence "${eid}" is cited by no judgement and bears on no judged element.`, {}, "warning");
    }
  });

  // Not judged yet: no score given (no judgement, or a blank one) and no suggested score to derive
  // one from. One warning for all, counted per KPI, so that --strict fails an unfinished assessment
  // without burying other problems under hundreds of lines.
  const scored = new Set<string>();
  for (const j of judgements) if (isRecord(j) && typeof j["id"] === "string" && j["score"] !== undefined) scored.add(j["id"]);
  const unjudged: string[] = [];
  const perKpi = new Map<string, number>();
  let leafCount = 0;
  for (const mi of index.mis.values()) {
    for (const id of mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id)) {
      leafCount++;
      if (scored.has(id) || suggested.has(id)) continue;
      unjudged.push(id);
      perKpi.set(mi.kpi, (perKpi.get(mi.kpi) ?? 0) + 1);
    }
  }
  if (unjudged.length > 0) {
    const counts = [...perKpi].map(([kpi, n]) => `${kpi} ${n}`).join(", ");
    push(
      "/judgements",
      "unjudged-element",
      `${unjudged.length} of ${leafCount} elements and results MIs are not judged yet (${counts}): their score is blank and no evidence suggests one. They count as N/E until judged; give each a score, N/E (judged: no evidence) or N/A.`,
      { expected: "a score, N/E or N/A for every element and results MI", received: unjudged.join(", ") },
      "warning",
    );
  }

  if (isRecord(raw["statedConfidence"])) {
    for (const id of Object.keys(raw["statedConfidence"])) {
      if (!index.mis.has(id)) push(`/statedConfidence/${pointerSegment(id)}`, "unknown-id", `Confidence is stated for "${id}", which is not an MI of ${framework.id}.`, { received: id });
    }
  }

  const published = isRecord(raw["published"]) ? raw["published"] : undefined;
  const authority = scale ? new RatingAuthority(policy, scale) : undefined;
  for (const level of ["kpis", "mis"] as const) {
    const entries = published && isRecord(published[level]) ? published[level] : undefined;
    if (!entries) continue;
    const known = level === "kpis" ? index.kpis : index.mis;
    for (const [id, entry] of Object.entries(entries)) {
      const pointer = `/published/${level}/${pointerSegment(id)}`;
      if (!known.has(id)) {
        push(pointer, "unknown-id", `Published ${level === "kpis" ? "KPI" : "MI"} "${id}" is not in ${framework.id}.`, { received: id });
        continue;
      }
      if (!isRecord(entry) || !authority) continue;
      const { score, rating } = entry;
      const codes = authority.codes();
      if (typeof rating === "string" && !codes.includes(rating)) {
        push(`${pointer}/rating`, "unknown-rating", `"${rating}" is not a rating of scale ${authority.scale.id} (${codes.join(", ")}).`, { received: rating, expected: codes.join(" | ") });
      } else if (typeof score === "number" && typeof rating === "string" && Number.isFinite(score)) {
        const expected = authority.rateScore(score).rating;
        if (expected !== rating) {
          push(`${pointer}/rating`, "published-rating-mismatch", `Published ${id} score ${score} is "${expected}" under scale ${authority.scale.id}, but the rating given is "${rating}".`, {
            expected,
            received: rating,
          });
        }
      }
    }
  }

  const ok = parsed.success && !out.some((d) => d.severity === "error");
  return { ...(ok ? { assessment: parsed.data } : {}), ...withScale, diagnostics: out };
}

/** An id as a reader sees it: NFKC, without zero-width characters, no-break spaces as spaces, lower case. */
const lookAlikeKey = (id: string): string =>
  id
    .normalize("NFKC")
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, "")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .toLowerCase();
