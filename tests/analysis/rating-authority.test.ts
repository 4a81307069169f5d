/**
 * The rating authority is the one place a score is rated. Every analysis must agree with
 * `score()` under both `classifyAfterRounding` settings, on a score where the two settings
 * disagree: one MI of two elements weighted 199:1 at 2 and 3, an exact mean of 401/200 = 2.005,
 * which rounds to 2.01. The 3.0 scale starts Satisfactory at 2.01, so the rounded score is
 * Satisfactory there and the exact one is not.
 */
import { describe, expect, it } from "vitest";
import { compareResults, publishedComparable } from "../../src/analysis/compare.js";
import { sensitivity } from "../../src/analysis/sensitivity.js";
import { simulate } from "../../src/analysis/simulate.js";
import { UncertaintyModel } from "../../src/analysis/uncertainty-schema.js";
import { whatIf } from "../../src/analysis/what-if.js";
import { checkAssessment } from "../../src/assessment/check.js";
import { RatingAuthority } from "../../src/rating/authority.js";
import { score } from "../../src/scoring/score.js";
import { Fraction } from "../../src/util/exact.js";
import { SCALE_30, SCALE_31, assessmentJson, checked, frameworkJson, loadSpec, policyWith } from "../scoring/support.js";
import { readJsonAt } from "./support.js";

const WEIGHTED = { "MI1.1.E1": 199, "MI1.1.E2": 1 };
const JUDGED = { "MI1.1.E1": 2, "MI1.1.E2": 3, "MI1.2.E1": 3, "MI1.2.E2": 2, "MI1.2.E3": 2 };

const setup = (classifyAfterRounding: boolean) => {
  const policy = policyWith({ miWeights: WEIGHTED, rounding: { classifyAfterRounding } });
  const id = `test-authority-${classifyAfterRounding}`;
  const framework = loadSpec(frameworkJson({ kpis: [[2, 3]], policy, id }));
  const assess = (methodology: "3.1" | "3.0", extra: Record<string, unknown> = {}) => {
    const scale = methodology === "3.0" ? SCALE_30 : SCALE_31;
    const raw = { ...assessmentJson(JUDGED, { methodology, frameworkId: id }), ...extra };
    return { raw, scale, assessment: checked(raw, framework, scale) };
  };
  return { policy, framework, assess };
};

const ratings = (r: { kpis: readonly { id: string; rating: string }[]; mis: readonly { id: string; rating: string }[] }) => Object.fromEntries([...r.kpis, ...r.mis].map((x) => [x.id, x.rating]));

describe.each([false, true])("classifyAfterRounding %s", (classifyAfterRounding) => {
  const { framework, assess } = setup(classifyAfterRounding);
  const a = assess("3.1");
  const b = assess("3.0");
  const scoredA = score(framework, SCALE_31, a.assessment);
  const scoredB = score(framework, SCALE_30, b.assessment);
  const aOn30 = score(framework, SCALE_30, a.assessment);

  it("score() rates 401/200 as the policy says", () => {
    const mi = scoredB.mis.find((m) => m.id === "MI1.1")!;
    expect(mi.exact).toBe("401/200");
    expect(mi.score).toBe(2.01);
    expect(mi.rating).toBe(classifyAfterRounding ? "satisfactory" : "unsatisfactory");
  });

  it("compare rates a's score on b's scale as score() does, and names the cause by it", () => {
    const c = compareResults(scoredA, scoredB, { scaleA: SCALE_31, scaleB: SCALE_30 });
    for (const row of [...c.kpis, ...c.mis]) {
      expect(row.aOnScaleB, row.id).toBe(ratings(aOn30)[row.id]);
      expect(row.a.rating).toBe(ratings(scoredA)[row.id]);
      expect(row.b.rating).toBe(ratings(scoredB)[row.id]);
    }
    const mi = c.mis.find((r) => r.id === "MI1.1")!;
    expect(mi.change).toBe(0);
    // Reproduction: the same score on both sides is no change in performance.
    expect(mi.ratingChange).toBe(classifyAfterRounding ? "scale" : "none");
  });

  it("a published score is checked and rated as score() rates it", () => {
    const exactRating = ratings(aOn30)["MI1.1"]!;
    const published = { source: "test", mis: { "MI1.1": { score: 2.005, rating: exactRating } } };
    const diagnostics = checkAssessment({ ...b.raw, published }, { framework, scale: SCALE_30 }).diagnostics;
    expect(diagnostics.filter((d) => d.code === "published-rating-mismatch")).toEqual([]);
    const comparable = publishedComparable({ source: "test", mis: { "MI1.1": { score: 2.005 } } }, scoredB, SCALE_30);
    expect(comparable.mis[0]!.rating).toBe(exactRating);
  });

  it("sensitivity agrees with score() on every rating and every margin", () => {
    const s = sensitivity(framework, SCALE_30, b.assessment, { scales: [SCALE_31, SCALE_30] });
    for (const level of ["kpis", "mis"] as const) {
      for (const item of s[level]) {
        const scored = scoredB[level].find((x) => x.id === item.id)!;
        expect(item.current.rating, item.id).toBe(scored.rating);
        expect(item.margin.up?.distance ?? null).toBe(scored.margin?.toHigherBand ?? null);
        expect(item.margin.down?.distance ?? null).toBe(scored.margin?.toLowerBand ?? null);
        const on31 = item.otherScales.find((o) => o.scale === SCALE_31.id)!;
        expect(on31.rating).toBe(ratings(score(framework, SCALE_31, b.assessment))[item.id]);
      }
    }
  });

  it("what-if rates both sides as score() does", () => {
    const w = whatIf(framework, SCALE_30, b.assessment, [{ id: "MI1.2.E1", value: "4" }]).result!;
    const changed = score(
      framework,
      SCALE_30,
      checked({ ...b.raw, judgements: (b.raw["judgements"] as { id: string }[]).map((j) => (j.id === "MI1.2.E1" ? { ...j, score: 4 } : j)) }, framework, SCALE_30),
    );
    for (const row of [...w.kpis, ...w.mis]) {
      expect(row.before.rating).toBe(ratings(scoredB)[row.id]);
      expect(row.after.rating).toBe(ratings(changed)[row.id]);
    }
  });

  it("simulate without uncertainty rates every draw as score() rates the assessment", () => {
    const base = UncertaintyModel.parse(readJsonAt("framework/uncertainty/default.json"));
    const still = UncertaintyModel.parse({ ...base, id: "still", levels: { high: { "0": 1 }, medium: { "0": 1 }, low: { "0": 1 } } });
    const sim = simulate(framework, SCALE_30, b.assessment, { draws: 50, seed: 7, uncertainty: still });
    for (const kpi of sim.kpis) {
      expect(kpi.deterministic.rating).toBe(ratings(scoredB)[kpi.id]);
      expect(kpi.probabilities[kpi.deterministic.rating]).toBe(1);
    }
  });
});

describe("margins have one printed precision", () => {
  // Reproduction: a mean of 7/3 is 0.17667 below 2.51; score and sensitivity print it alike.
  const policy = policyWith({ rounding: { classifyAfterRounding: false } });
  const framework = loadSpec(frameworkJson({ kpis: [[3]], policy, id: "test-margin" }));
  const assessment = checked(assessmentJson({ "MI1.1.E1": 2, "MI1.1.E2": 2, "MI1.1.E3": 3 }, { frameworkId: "test-margin" }), framework);
  const scored = score(framework, SCALE_31, assessment);
  const analysed = sensitivity(framework, SCALE_31, assessment);

  it("score and sensitivity give the same number", () => {
    expect(scored.mis[0]!.exact).toBe("7/3");
    expect(scored.mis[0]!.margin?.toHigherBand).toBe(0.1767);
    expect(analysed.mis[0]!.margin.up?.distance).toBe(0.1767);
    expect(analysed.mis[0]!.margin.up?.exact).toBe("53/300");
  });

  it("text prints at least the policy's decimals and at most two more", () => {
    const authority = new RatingAuthority(policy, SCALE_31);
    expect(authority.formatMargin(0.1767)).toBe("0.1767");
    expect(authority.formatMargin(0.18)).toBe("0.18");
    expect(authority.formatMargin(1)).toBe("1.00");
  });
});

describe("RatingAuthority", () => {
  const authority = new RatingAuthority(policyWith({}), SCALE_31);
  it("orders bands from the lowest, whatever order the file gives", () => {
    expect(authority.bands.map((b) => b.code)).toEqual(["highly-unsatisfactory", "unsatisfactory", "satisfactory", "highly-satisfactory"]);
    expect(authority.rank("satisfactory")).toBe(2);
    expect(authority.rank("no-evidence")).toBeUndefined();
    expect(authority.isFlag("not-applicable")).toBe(true);
  });
  it("classifies the rounded score when the policy says so: 3.505 is Highly satisfactory", () => {
    expect(authority.rateScore(new Fraction(701, 200)).rating).toBe("highly-satisfactory");
    const exactly = new RatingAuthority(policyWith({ rounding: { classifyAfterRounding: false } }), SCALE_31);
    expect(exactly.rateScore(new Fraction(701, 200)).rating).toBe("satisfactory");
  });
  it("gives flags their codes and no margin", () => {
    const r = authority.rate({ kind: "N/E" });
    expect(r.rating).toBe("no-evidence");
    expect(authority.margin(r)).toBeNull();
  });
});
