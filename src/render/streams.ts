import type { ScoreResult } from "../scoring/result.js";
import { pad } from "./labels.js";

/** Per MI: the evidence streams behind it, and whether the survey and the documents conflict on any of its elements. */
export interface MiStreams {
  readonly mi: string;
  readonly streams: readonly string[];
  /** Elements (or the results MI) where the survey and document streams differ by the conflict spread or more. */
  readonly surveyDocumentConflicts: readonly { readonly id: string; readonly survey: number; readonly document: number }[];
}

export function miStreams(result: ScoreResult): MiStreams[] {
  const conflicts = new Map<string, MiStreams["surveyDocumentConflicts"][number][]>();
  const miOf = new Map(result.elements.map((e) => [e.id, e.mi]));
  const spread = result.provenance.policy.triangulation.conflictSpread;
  for (const c of result.conflicts) {
    const survey = c.streams["survey"];
    const document = c.streams["document"];
    if (survey === undefined || document === undefined || Math.abs(survey - document) < spread) continue;
    const mi = miOf.get(c.id) ?? c.id;
    conflicts.set(mi, [...(conflicts.get(mi) ?? []), { id: c.id, survey, document }]);
  }
  return result.mis.filter((m) => m.confidence.basis.streams.length > 0).map((m) => ({ mi: m.id, streams: m.confidence.basis.streams, surveyDocumentConflicts: conflicts.get(m.id) ?? [] }));
}

/**
 * The lines of `mopan score` that list, per MI with evidence, the streams behind it and whether the
 * survey and the documents conflict; none when no MI draws on more than one stream.
 */
export function streamLines(result: ScoreResult): string[] {
  const list = miStreams(result);
  if (!list.some((m) => m.streams.length > 1)) return [];
  const lines = ["", "Evidence streams per MI (survey vs documents: conflict when they differ by the conflict spread or more):"];
  for (const m of list) {
    const both = m.streams.includes("survey") && m.streams.includes("document");
    const verdict =
      m.surveyDocumentConflicts.length > 0
        ? `survey and documents conflict on ${m.surveyDocumentConflicts.map((c) => `${c.id} (survey ${c.survey}, document ${c.document})`).join(", ")}`
        : both
          ? "survey and documents: no conflict"
          : "";
    lines.push(`  ${pad(m.mi, 8)} ${pad(m.streams.join(", "), 28)} ${verdict}`.trimEnd());
  }
  return lines;
}
