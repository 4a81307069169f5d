import { toCsv } from "../text/csv-write.js";
import type { ScoreResult } from "../scoring/result.js";
import type { ScoreRenderOptions } from "./score-text.js";

/** `provisional`: why a rating is provisional; `not_judged`: of the no_evidence count, the items not judged yet (blank score, nothing to derive it from). */
const HEADER = ["level", "id", "parent", "title", "score", "rating", "scored", "no_evidence", "not_applicable", "confidence", "flag", "source", "provisional", "not_judged"];

/**
 * One row per KPI; with detail also per MI and element, in framework order. `provisional` holds the
 * reason a rating is provisional under the coverage rule (empty when it is not); `confidence` keeps
 * the data codes, where `low` is "little to no confidence".
 */
export function renderScoreCsv(result: ScoreResult, options: ScoreRenderOptions = {}): string {
  const rows: string[][] = [];
  const n = (v: number | null) => (v === null ? "" : String(v));
  const misById = new Map(result.mis.map((m) => [m.id, m]));
  const elementsByMi = new Map<string, ScoreResult["elements"][number][]>();
  for (const e of result.elements) elementsByMi.set(e.mi, [...(elementsByMi.get(e.mi) ?? []), e]);
  for (const kpi of result.kpis) {
    const c = kpi.coverage;
    rows.push([
      "kpi",
      kpi.id,
      kpi.performanceArea,
      kpi.title,
      n(kpi.score),
      kpi.rating,
      String(c.scored),
      String(c.noEvidence),
      String(c.notApplicable),
      `high ${kpi.confidence.high}; medium ${kpi.confidence.medium}; low ${kpi.confidence.low}`,
      "",
      "",
      kpi.provisional?.reason ?? "",
      String(kpi.unjudged),
    ]);
    if (!options.detail) continue;
    for (const id of kpi.mis) {
      const mi = misById.get(id)!;
      const m = mi.coverage;
      rows.push([
        "mi",
        mi.id,
        kpi.id,
        mi.title,
        n(mi.score),
        mi.rating,
        String(m.scored),
        String(m.noEvidence),
        String(m.notApplicable),
        mi.confidence.computed ?? "",
        "",
        "",
        mi.provisional?.reason ?? "",
        String(mi.unjudged),
      ]);
      for (const e of elementsByMi.get(mi.id) ?? []) {
        rows.push(["element", e.id, mi.id, "", n(e.score), "", "", "", "", "", e.source === "unjudged" ? "" : (e.flag ?? ""), e.source, "", e.source === "unjudged" ? "1" : "0"]);
      }
    }
  }
  return toCsv(HEADER, rows);
}
