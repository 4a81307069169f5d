import { describe, expect, it } from "vitest";
import { checkSettings, whatIf } from "../../src/analysis/what-if.js";
import { SCALE_31, TWO_KPI_JUDGEMENTS, TWO_KPI_SPEC, byId, makeAssessment, makeFramework } from "./support.js";

// MI1.1 = 2.50 U, MI1.2 = 3.50 S, KPI1 = 3.00 S; MI2.1 (results) = 3 S, MI2.2 = 2.00 U, KPI2 = 2.50 U.
const FW = makeFramework(TWO_KPI_SPEC);
const ASSESSMENT = makeAssessment(FW, TWO_KPI_JUDGEMENTS);
const run = (...sets: [string, string][]) => {
  const out = whatIf(
    FW,
    SCALE_31,
    ASSESSMENT,
    sets.map(([id, value]) => ({ id, value })),
  );
  if (!out.result) throw new Error(JSON.stringify(out.diagnostics));
  return out.result;
};

describe("what-if", () => {
  it("an element moved 2 -> 4 raises its MI by 2/4 and its KPI by 2/4/2, and calls out the rating change", () => {
    const r = run(["MI1.1.E3", "4"]);
    expect(r.parameters.settings).toEqual([{ id: "MI1.1.E3", from: 2, to: 4 }]);
    expect(r.mis[0]).toEqual({
      id: "MI1.1",
      level: "mi",
      before: { score: 2.5, exact: "5/2", rating: "unsatisfactory" },
      after: { score: 3, exact: "3", rating: "satisfactory" },
      change: 0.5,
      exactChange: "1/2",
      ratingChanged: true,
    });
    expect(r.kpis[0]).toMatchObject({ id: "KPI1", change: 0.25, exactChange: "1/4", ratingChanged: false, after: { score: 3.25 } });
    expect(byId(r.kpis, "KPI2")).toMatchObject({ change: 0, exactChange: "0", ratingChanged: false });
    expect(r.ratingChanges).toEqual([{ id: "MI1.1", level: "mi", from: "unsatisfactory", to: "satisfactory" }]);
    expect(r.parameters.assessmentHash.before).not.toBe(r.parameters.assessmentHash.after);
  });

  it("sorts by absolute change, largest first; a score that disappears ranks first", () => {
    // MI1.2.E2 4 -> 1: MI1.2 -1.5, KPI1 -0.75; MI2.1 3 -> N/E: MI2.1 loses its score, KPI2 2.5 -> 2.0.
    const r = run(["MI1.2.E2", "1"], ["MI2.1", "N/E"]);
    expect(r.kpis.map((k) => [k.id, k.exactChange])).toEqual([
      ["KPI1", "-3/4"],
      ["KPI2", "-1/2"],
    ]);
    expect(r.mis.map((m) => [m.id, m.exactChange])).toEqual([
      ["MI2.1", null],
      ["MI1.2", "-3/2"],
      ["MI1.1", "0"],
      ["MI2.2", "0"],
    ]);
    expect(byId(r.mis, "MI2.1")).toMatchObject({ after: { score: null, rating: "no-evidence" }, change: null, ratingChanged: true });
    expect(r.ratingChanges).toEqual([
      { id: "KPI1", level: "kpi", from: "satisfactory", to: "unsatisfactory" },
      { id: "MI2.1", level: "mi", from: "satisfactory", to: "no-evidence" },
      { id: "MI1.2", level: "mi", from: "satisfactory", to: "unsatisfactory" },
    ]);
  });

  it("a setting replaces an evidence-derived score and can add a judgement the assessment lacked", () => {
    const fw = makeFramework([[2]]);
    const evidence = [{ id: "EV1", stream: "document", source: { title: "s" }, elements: [], suggestedScores: { "MI1.1.E1": 1 } }];
    const a = makeAssessment(fw, { "MI1.1.E2": 3 }, { evidence });
    const out = whatIf(fw, SCALE_31, a, [{ id: "MI1.1.E1", value: "3" }]);
    expect(out.result!.parameters.settings).toEqual([{ id: "MI1.1.E1", from: 1, to: 3 }]);
    expect(out.result!.mis[0]).toMatchObject({ before: { exact: "2" }, after: { exact: "3" }, change: 1 });
  });

  it("rejects unknown ids, MIs scored through elements, off-scale, off-step, non-numeric and repeated settings", () => {
    const { diagnostics } = checkSettings(FW, [
      { id: "MI9.9.E1", value: "3" },
      { id: "MI1.1", value: "3" },
      { id: "MI1.1.E1", value: "5" },
      { id: "MI2.1", value: "0" },
      { id: "MI1.1.E2", value: "2.5" },
      { id: "MI1.1.E3", value: "high" },
      { id: "MI1.2.E1", value: "2" },
      { id: "MI1.2.E1", value: "3" },
    ]);
    expect(diagnostics.map((d) => [d.file, d.code])).toEqual([
      ["--set MI9.9.E1=3", "unknown-id"],
      ["--set MI1.1=3", "mi-scored-through-elements"],
      ["--set MI1.1.E1=5", "score-off-scale"],
      ["--set MI2.1=0", "score-off-scale"],
      ["--set MI1.1.E2=2.5", "score-off-step"],
      ["--set MI1.1.E3=high", "invalid-value"],
      ["--set MI1.2.E1=3", "duplicate-setting"],
    ]);
    expect(whatIf(FW, SCALE_31, ASSESSMENT, [{ id: "X", value: "1" }]).result).toBeUndefined();
  });
});
