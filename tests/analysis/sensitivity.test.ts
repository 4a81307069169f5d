import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Crossing, sensitivity } from "../../src/analysis/sensitivity.js";
import { applySettings } from "../../src/analysis/what-if.js";
import type { ScoringPolicy } from "../../src/framework/schema.js";
import { score } from "../../src/scoring/score.js";
import { POLICY, SCALES, SCALE_31, TWO_KPI_JUDGEMENTS, TWO_KPI_SPEC, byId, makeAssessment, makeFramework, withPolicy } from "./support.js";

const SEED = Number(process.env["FC_SEED"] ?? 20_251_128);

// MI1.1 = (3+3+2+2)/4 = 2.50 U; MI1.2 = (3+4)/2 = 3.50 S; KPI1 = 3.00 S.
// MI2.1 (results) = 3 S; MI2.2 = (1+2+3)/3 = 2.00 U; KPI2 = 2.50 U.
const FW = makeFramework(TWO_KPI_SPEC);
const JUDGED = TWO_KPI_JUDGEMENTS;
const result = sensitivity(FW, SCALE_31, makeAssessment(FW, JUDGED), { scales: SCALES });

const reached = (c: Crossing) => {
  if (!c.reached) throw new Error(`not reached: ${c.reason}`);
  return c;
};

describe("sensitivity: current ratings and margins", () => {
  it("reports the scores and ratings score() gives", () => {
    expect(byId(result.mis, "MI1.1").current).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
    expect(byId(result.kpis, "KPI1").current).toEqual({ score: 3, exact: "3", rating: "satisfactory" });
    expect(byId(result.kpis, "KPI2").current).toEqual({ score: 2.5, exact: "5/2", rating: "unsatisfactory" });
  });

  it("margins are exact distances of the rated score to the neighbouring bands at the policy's decimals", () => {
    expect(byId(result.mis, "MI1.1").margin).toEqual({
      up: { band: "satisfactory", threshold: 2.51, distance: 0.01, exact: "1/100" },
      down: { band: "highly-unsatisfactory", threshold: 1.5, distance: 1, exact: "1" },
    });
    expect(byId(result.mis, "MI1.2").margin).toEqual({
      up: { band: "highly-satisfactory", threshold: 3.51, distance: 0.01, exact: "1/100" },
      down: { band: "unsatisfactory", threshold: 2.5, distance: 1, exact: "1" },
    });
    expect(byId(result.kpis, "KPI1").margin).toEqual({
      up: { band: "highly-satisfactory", threshold: 3.51, distance: 0.51, exact: "51/100" },
      down: { band: "unsatisfactory", threshold: 2.5, distance: 0.5, exact: "1/2" },
    });
  });

  it("an item in the top band has no margin and no change set upward", () => {
    const fw = makeFramework([[1]]);
    const r = sensitivity(fw, SCALE_31, makeAssessment(fw, { "MI1.1.E1": 4 }));
    const mi = byId(r.mis, "MI1.1");
    expect(mi.margin.up).toBeNull();
    expect(mi.changes.up).toEqual({ reached: false, reason: "Already in the highest band." });
    expect(mi.margin.down).toEqual({ band: "satisfactory", threshold: 3.5, distance: 0.5, exact: "1/2" });
    expect(reached(mi.changes.down).changes).toEqual([{ id: "MI1.1.E1", from: 4, to: 3 }]);
  });
});

describe("sensitivity: smallest change sets", () => {
  it("MI: one element a step up crosses 2.51; two elements are needed to fall to 1.50", () => {
    const mi = byId(result.mis, "MI1.1");
    expect(reached(mi.changes.up)).toEqual({
      reached: true,
      target: "satisfactory",
      minimal: true,
      changes: [{ id: "MI1.1.E3", from: 2, to: 3 }],
      result: { score: 2.75, exact: "11/4", rating: "satisfactory" },
    });
    // Sum 10 must fall to 6 (1.50): no single element can drop 4; E1 3->0 and E2 3->2 do.
    expect(reached(mi.changes.down)).toEqual({
      reached: true,
      target: "highly-unsatisfactory",
      minimal: true,
      changes: [
        { id: "MI1.1.E1", from: 3, to: 0 },
        { id: "MI1.1.E2", from: 3, to: 2 },
      ],
      result: { score: 1.5, exact: "3/2", rating: "highly-unsatisfactory" },
    });
  });

  it("KPI: three elements are needed to rise 0.505; one suffices to fall", () => {
    const kpi = byId(result.kpis, "KPI1");
    // Largest possible effects on KPI1: MI1.1.E3, MI1.1.E4, MI1.2.E1 0.25 each; any two give 3.50 at most.
    expect(reached(kpi.changes.up)).toEqual({
      reached: true,
      target: "highly-satisfactory",
      minimal: true,
      changes: [
        { id: "MI1.1.E3", from: 2, to: 4 },
        { id: "MI1.1.E4", from: 2, to: 3 },
        { id: "MI1.2.E1", from: 3, to: 4 },
      ],
      result: { score: 3.63, exact: "29/8", rating: "highly-satisfactory" },
    });
    expect(reached(kpi.changes.down)).toEqual({
      reached: true,
      target: "unsatisfactory",
      minimal: true,
      changes: [{ id: "MI1.2.E2", from: 4, to: 2 }],
      result: { score: 2.5, exact: "5/2", rating: "unsatisfactory" },
    });
  });

  it("results MIs move on the results scale (1 to 4), at MI and KPI level", () => {
    const mi = byId(result.mis, "MI2.1");
    expect(reached(mi.changes.up).changes).toEqual([{ id: "MI2.1", from: 3, to: 4 }]);
    expect(reached(mi.changes.down).changes).toEqual([{ id: "MI2.1", from: 3, to: 2 }]);
    const kpi = byId(result.kpis, "KPI2");
    expect(reached(kpi.changes.up)).toMatchObject({ changes: [{ id: "MI2.1", from: 3, to: 4 }], result: { score: 3, rating: "satisfactory" } });
    // Down to 1.50 needs a drop of 1 in the KPI: only MI2.1 3->1 does it alone (the results scale stops at 1).
    expect(reached(kpi.changes.down)).toMatchObject({ changes: [{ id: "MI2.1", from: 3, to: 1 }], result: { score: 1.5, rating: "highly-unsatisfactory" } });
  });

  it("says so when no change of scored elements can reach the band", () => {
    const policy = withPolicy({ flags: { "N/E": { treatment: "score", score: 0 }, "N/A": { treatment: "exclude" } } });
    const fw = makeFramework([[4]], policy);
    const r = sensitivity(fw, SCALE_31, makeAssessment(fw, { "MI1.1.E1": "N/E", "MI1.1.E2": "N/E", "MI1.1.E3": "N/E", "MI1.1.E4": 0 }));
    expect(byId(r.mis, "MI1.1").current.rating).toBe("highly-unsatisfactory");
    expect(byId(r.mis, "MI1.1").changes.up).toEqual({ reached: false, reason: "Not reachable: even with all 1 scored leaves at the top of their scale the rating does not go up." });
  });

  it("marks KPI change sets as greedy (not proven minimal) when MI scores are rounded before the KPI mean", () => {
    const policy = withPolicy({ rounding: { ...POLICY.rounding, roundBeforeAggregating: true } });
    const fw = makeFramework(
      [
        [4, 2],
        ["rubric", 3],
      ],
      policy,
    );
    const r = sensitivity(fw, SCALE_31, makeAssessment(fw, JUDGED));
    expect(reached(byId(r.kpis, "KPI1").changes.up).minimal).toBe(false);
    expect(reached(byId(r.mis, "MI1.1").changes.up).minimal).toBe(true);
    expect(r.parameters.changeSearch).toMatch(/greedy/);
  });

  it("the greedy count equals a brute-force minimum over all subsets (random means, weights, results MIs)", () => {
    const mi = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant("rubric" as const));
    const spec = fc.array(mi, { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        spec,
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 12, maxLength: 12 }),
        (mis, values, weights) => {
          const ids: { id: string; results: boolean }[] = [];
          mis.forEach((m, i) => {
            if (m === "rubric") ids.push({ id: `MI1.${i + 1}`, results: true });
            else for (let e = 1; e <= m; e++) ids.push({ id: `MI1.${i + 1}.E${e}`, results: false });
          });
          const miWeights = Object.fromEntries(ids.filter((l) => !l.results).map((l, i) => [l.id, weights[i]!]));
          const kpiWeights = Object.fromEntries(mis.map((_, i) => [`MI1.${i + 1}`, weights[11 - i]!]));
          const policy: ScoringPolicy = withPolicy({ aggregation: { mi: { method: "mean", weights: miWeights }, kpi: { method: "mean", weights: kpiWeights } } });
          const fw = makeFramework([mis], policy);
          const judged = Object.fromEntries(ids.map((l, i) => [l.id, l.results ? Math.max(1, values[i]!) : values[i]!]));
          const assessment = makeAssessment(fw, judged);
          const r = sensitivity(fw, SCALE_31, assessment);
          const bandIndex = (code: string) => [...SCALE_31.bands].sort((a, b) => a.min - b.min).findIndex((b) => b.code === code);
          for (const item of [...r.kpis, ...r.mis]) {
            const leaves = item.level === "kpi" ? ids : ids.filter((l) => l.id === item.id || l.id.startsWith(`${item.id}.`));
            const current = bandIndex(item.current.rating);
            for (const dir of [1, -1] as const) {
              // Brute force: the smallest subset that, moved to the scale's end, changes the band that way.
              let best: number | null = null;
              for (let mask = 1; mask < 1 << leaves.length; mask++) {
                const size = popcount(mask);
                if (best !== null && size >= best) continue;
                const set = new Map(leaves.filter((_, i) => mask & (1 << i)).map((l) => [l.id, dir > 0 ? 4 : l.results ? 1 : 0] as const));
                const s = score(fw, SCALE_31, applySettings(assessment, set));
                const item2 = (item.level === "kpi" ? s.kpis : s.mis).find((x) => x.id === item.id)!;
                if ((bandIndex(item2.rating) - current) * dir > 0) best = size;
              }
              const c = dir > 0 ? item.changes.up : item.changes.down;
              if (best === null) expect(c.reached).toBe(false);
              else {
                const got = reached(c);
                expect(got.changes.length).toBe(best);
                // Applying the reported changes gives the reported result.
                const applied = score(fw, SCALE_31, applySettings(assessment, new Map(got.changes.map((ch) => [ch.id, ch.to]))));
                const after = (item.level === "kpi" ? applied.kpis : applied.mis).find((x) => x.id === item.id)!;
                expect({ score: after.score, exact: after.exact, rating: after.rating }).toEqual(got.result);
              }
            }
          }
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});

const popcount = (n: number) => {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
};

describe("sensitivity: N/E bounds, N/E policy and rating scales", () => {
  // MI1.1 = (4 + 2)/2 = 3.00 S with E2 N/E; MI1.2 all N/E; KPI1 = 3.00 S.
  const fw = makeFramework([[3, 2]]);
  const r = sensitivity(fw, SCALE_31, makeAssessment(fw, { "MI1.1.E1": 4, "MI1.1.E2": "N/E", "MI1.1.E3": 2, "MI1.2.E1": "N/E", "MI1.2.E2": "N/E" }), { scales: SCALES });

  it("N/E elements at the scale's max and min bound the MI and KPI exactly", () => {
    expect(byId(r.mis, "MI1.1").noEvidence).toEqual({
      leaves: ["MI1.1.E2"],
      best: { score: 3.33, exact: "10/3", rating: "satisfactory" },
      worst: { score: 2, exact: "2", rating: "unsatisfactory" },
    });
    expect(byId(r.mis, "MI1.2").noEvidence).toEqual({
      leaves: ["MI1.2.E1", "MI1.2.E2"],
      best: { score: 4, exact: "4", rating: "highly-satisfactory" },
      worst: { score: 0, exact: "0", rating: "highly-unsatisfactory" },
    });
    expect(byId(r.kpis, "KPI1").noEvidence).toEqual({
      leaves: ["MI1.1.E2", "MI1.2.E1", "MI1.2.E2"],
      best: { score: 3.67, exact: "11/3", rating: "highly-satisfactory" },
      worst: { score: 1, exact: "1", rating: "highly-unsatisfactory" },
    });
    expect(byId(result.mis, "MI1.1").noEvidence).toBeNull();
  });

  it("counting N/E as the element scale's minimum instead of leaving it out changes these ratings", () => {
    expect(r.noEvidencePolicy.policy).toEqual({ treatment: "exclude" });
    expect(r.noEvidencePolicy.alternative).toEqual({ treatment: "score", score: POLICY.elementScale.min });
    expect(r.noEvidencePolicy.ratingChanges).toEqual([
      { id: "KPI1", level: "kpi", from: { score: 3, exact: "3", rating: "satisfactory" }, to: { score: 1, exact: "1", rating: "highly-unsatisfactory" } },
      { id: "MI1.1", level: "mi", from: { score: 3, exact: "3", rating: "satisfactory" }, to: { score: 2, exact: "2", rating: "unsatisfactory" } },
      { id: "MI1.2", level: "mi", from: { score: null, exact: null, rating: "no-evidence" }, to: { score: 0, exact: "0", rating: "highly-unsatisfactory" } },
    ]);
    expect(byId(r.mis, "MI1.1").noEvidencePolicy).toEqual({ score: 2, exact: "2", rating: "unsatisfactory", changed: true });
  });

  it("the other N/E treatment of a policy that counts N/E is to leave it out", () => {
    const policy = withPolicy({ flags: { "N/E": { treatment: "score", score: 0 }, "N/A": { treatment: "exclude" } } });
    const fw0 = makeFramework([[3]], policy);
    const r0 = sensitivity(fw0, SCALE_31, makeAssessment(fw0, { "MI1.1.E1": 4, "MI1.1.E2": "N/E", "MI1.1.E3": 2 }));
    expect(r0.parameters.noEvidence).toEqual({ policy: { treatment: "score", score: 0 }, alternative: { treatment: "exclude" } });
    expect(byId(r0.mis, "MI1.1").current.score).toBe(2);
    expect(byId(r0.mis, "MI1.1").noEvidencePolicy).toEqual({ score: 3, exact: "3", rating: "satisfactory", changed: true });
  });

  it("rating by the 3.0 scale instead of 3.1 changes exactly the items between the two sets of limits", () => {
    expect(result.parameters.comparedScales).toEqual(["mopan-3.0"]);
    expect(result.scales).toEqual([
      {
        scale: "mopan-3.0",
        ratingChanges: [
          { id: "KPI2", level: "kpi", from: { score: 2.5, exact: "5/2", rating: "unsatisfactory" }, to: { score: 2.5, exact: "5/2", rating: "satisfactory" } },
          { id: "MI1.1", level: "mi", from: { score: 2.5, exact: "5/2", rating: "unsatisfactory" }, to: { score: 2.5, exact: "5/2", rating: "satisfactory" } },
          { id: "MI1.2", level: "mi", from: { score: 3.5, exact: "7/2", rating: "satisfactory" }, to: { score: 3.5, exact: "7/2", rating: "highly-satisfactory" } },
        ],
      },
    ]);
    expect(byId(result.kpis, "KPI1").otherScales).toEqual([{ scale: "mopan-3.0", rating: "satisfactory", changed: false }]);
  });

  it("records its parameters", () => {
    expect(result.parameters).toMatchObject({
      framework: { id: "test-analysis", version: "1.0.0" },
      ratingScale: "mopan-3.1",
      policy: POLICY,
      noEvidence: { policy: { treatment: "exclude" }, alternative: { treatment: "score", score: 0 } },
    });
    expect(result.parameters.assessmentHash).toMatch(/^sha256:/);
  });
});
