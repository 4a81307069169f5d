import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderSurveyCsv, renderSurveyJson, renderSurveyMarkdown, renderSurveyText } from "../../src/render/survey.js";
import { surveyChartSvg } from "../../src/report/survey-chart.js";
import { questionViews } from "../../src/render/survey.js";
import { readAnswer } from "../../src/survey/answers.js";
import { bootstrapMeanInterval, wilsonInterval } from "../../src/survey/intervals.js";
import { regroupStatistics, shownGroups, surveyStatistics } from "../../src/survey/statistics.js";
import { AGREEMENT, OPTIONS, type Written, question, respondent } from "./support.js";

const CONTEXT = {
  title: "Test survey",
  files: { responses: { file: "r.csv", sha256: "sha256:0" }, questionnaire: { file: "q.csv", sha256: "sha256:1" } },
  rule: { id: "rule", version: "1", statistic: "shareAgreeing" as const, minSubstantive: 1, provenance: { status: "project" } },
  outcomes: [],
};

describe("statistics of one question, by hand", () => {
  // 10 substantive answers (1 2 3 4 4 5 5 6 6 6), 2 don't-knows and a blank: 13 responses.
  const written: Written[] = [1, 2, 4, 4, 5, 5, 6, 6, 6, 3, "dk", "dk", ""];
  const stats = surveyStatistics(
    [question("Q1")],
    written.map((w) => respondent("G", { Q1: w })),
    OPTIONS,
  );
  const t = stats.questions[0]!.total;

  it("counts responses, substantive answers and non-substantive ones", () => {
    expect(t.responses).toBe(13);
    expect(t.substantive).toBe(10);
    expect(t.nonSubstantive).toBe(3);
    expect(t.dontKnowShare!.toFraction()).toBe("3/13");
    expect(t.nonSubstantiveCounts).toEqual([
      { code: "dont-know", label: "Don't know / no opinion", count: 2 },
      { code: "blank", label: "Blank", count: 1 },
    ]);
    expect(t.distribution.map((d) => d.count)).toEqual([1, 1, 1, 2, 2, 3]);
  });

  it("mean 42/10, median (4+5)/2, 7 of 10 agreeing", () => {
    expect(t.mean!.toFraction()).toBe("21/5");
    expect(t.median!.toFraction()).toBe("9/2");
    expect(t.agreeing).toBe(7);
    expect(t.shareAgreeing!.toFraction()).toBe("7/10");
  });

  it("the Wilson 95% interval of 7/10 is 0.3968–0.8922 (the textbook value)", () => {
    expect(t.shareInterval!.low).toBeCloseTo(0.3968, 4);
    expect(t.shareInterval!.high).toBeCloseTo(0.8922, 4);
    // By hand, z = 1.96: centre (0.7 + 1.9208/10) / 1.38416 = 0.64448, half 1.41602 * sqrt(0.021 + 0.009604) = 0.24772.
    const hand = wilsonInterval(7, 10, 1.96)!;
    expect(hand.low).toBeCloseTo(0.64448 - 0.24772, 4);
    expect(hand.high).toBeCloseTo(0.64448 + 0.24772, 4);
    expect(wilsonInterval(0, 0, 1.96)).toBeNull();
    expect(wilsonInterval(0, 5, 1.96)!.low).toBe(0);
    expect(wilsonInterval(5, 5, 1.96)!.high).toBe(1);
  });

  it("the bootstrap interval of the mean is seeded, brackets the mean, and is close to the normal approximation", () => {
    const values = [1, 2, 3, 4, 4, 5, 5, 6, 6, 6];
    const a = bootstrapMeanInterval(values, 0.95, 4000, 7, "Q1")!;
    expect(bootstrapMeanInterval([...values].reverse(), 0.95, 4000, 7, "Q1")).toEqual(a);
    expect(a.low).toBeLessThan(4.2);
    expect(a.high).toBeGreaterThan(4.2);
    // Population sd sqrt(2.36) = 1.536; mean ± 1.96 * 1.536 / sqrt(10) = 3.248 to 5.152.
    expect(a.low).toBeCloseTo(3.248, 0);
    expect(a.high).toBeCloseTo(5.152, 0);
    expect(bootstrapMeanInterval([4, 4, 4], 0.95, 100, 1, "x")).toEqual({ low: 4, high: 4 });
  });

  it("reads labels, aliases and values in any letter case; anything else is outside the scale", () => {
    for (const text of ["Strongly agree", "STRONGLY AGREE", " strongly  agree ", "6"]) expect(readAnswer(text, AGREEMENT)).toEqual({ kind: "value", value: 6 });
    for (const text of ["Don't know / no opinion", "DON’T KNOW", "dk"]) expect(readAnswer(text, AGREEMENT)).toEqual({ kind: "non-substantive", code: "dont-know" });
    expect(readAnswer("", AGREEMENT)).toEqual({ kind: "non-substantive", code: "blank" });
    for (const text of ["7", "0", "agree strongly", "4.0"]) expect(readAnswer(text, AGREEMENT)).toBeUndefined();
  });

  it("gives byte-identical output on every run", () => {
    const again = surveyStatistics(
      [question("Q1")],
      written.map((w) => respondent("G", { Q1: w })),
      OPTIONS,
    );
    expect(renderSurveyJson(again, CONTEXT, true)).toBe(renderSurveyJson(stats, CONTEXT, true));
  });
});

describe("small groups", () => {
  const sizes = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it("a group of exactly the minimum is shown, one fewer is suppressed", () => {
    expect([...shownGroups(sizes({ A: 5, B: 9, C: 9 }), 5)].sort()).toEqual(["A", "B", "C"]);
    expect(shownGroups(sizes({ A: 4, B: 9, C: 9, D: 3 }), 5).has("A")).toBe(false);
  });

  it("while the suppressed groups together are below the minimum, the smallest shown group is suppressed too", () => {
    // A alone (4) could be read off as total minus B and C: B, the smaller, goes as well.
    expect([...shownGroups(sizes({ A: 4, B: 9, C: 12 }), 5)]).toEqual(["C"]);
    // A and D together are 7: enough.
    expect([...shownGroups(sizes({ A: 4, D: 3, B: 9, C: 12 }), 5)].sort()).toEqual(["B", "C"]);
    expect(shownGroups(sizes({ A: 4, B: 2 }), 5).size).toBe(0);
  });

  it("a shown group with fewer substantive answers than the minimum shows counts only", () => {
    const people = [...Array.from({ length: 6 }, (_, i) => respondent("Small", { Q1: i < 4 ? "dk" : 5 })), ...Array.from({ length: 6 }, () => respondent("Other", { Q1: 5 }))];
    const stats = surveyStatistics([question("Q1")], people, OPTIONS);
    const small = stats.questions[0]!.groups.find((g) => g.name === "Small")!.statistics;
    expect(small.responses).toBe(6);
    expect(small.shown).toBe(false);
    expect(small.mean).toBeNull();
    expect(small.distribution).toEqual([]);
  });
});

const written = fc.constantFrom<Written>(1, 2, 3, 4, 5, 6, "dk", "");
const person = (groups: readonly string[]) => fc.record({ group: fc.constantFrom(...groups), q1: written, q2: written });
const build = (list: readonly { group: string; q1: Written; q2: Written }[]) => list.map((p) => respondent(p.group, { Q1: p.q1, Q2: p.q2 }));
const QUESTIONS = [question("Q1"), question("Q2")];

describe("properties", () => {
  it("the order of the respondents changes nothing", () => {
    fc.assert(
      fc.property(fc.array(person(["A", "B", "C"]), { minLength: 1, maxLength: 60 }), fc.integer(), (people, salt) => {
        const shuffled = people
          .map((p, i) => ({ p, key: Math.imul(i + 1, salt | 1) >>> 0 }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.p);
        const a = surveyStatistics(QUESTIONS, build(people), OPTIONS);
        const b = surveyStatistics(QUESTIONS, build(shuffled), OPTIONS);
        expect(renderSurveyJson(b, CONTEXT, true)).toBe(renderSurveyJson(a, CONTEXT, true));
      }),
      { numRuns: 60 },
    );
  });

  it("adding a don't-know changes only the counts", () => {
    fc.assert(
      fc.property(fc.array(person(["A", "B"]), { minLength: 1, maxLength: 60 }), fc.constantFrom("A", "B", "New"), (people, group) => {
        const before = surveyStatistics(QUESTIONS, build(people), OPTIONS).questions[0]!.total;
        const after = surveyStatistics(QUESTIONS, [...build(people), respondent(group, { Q1: "dk", Q2: 3 })], OPTIONS).questions[0]!.total;
        expect(after.responses).toBe(before.responses + 1);
        expect(after.nonSubstantive).toBe(before.nonSubstantive + 1);
        expect(after.substantive).toBe(before.substantive);
        const { responses: _r1, nonSubstantive: _n1, dontKnowShare: _d1, nonSubstantiveCounts: _c1, ...rest1 } = before;
        const { responses: _r2, nonSubstantive: _n2, dontKnowShare: _d2, nonSubstantiveCounts: _c2, ...rest2 } = after;
        expect(rest2).toEqual(rest1);
      }),
      { numRuns: 60 },
    );
  });

  it("regrouping by region keeps the totals and gives what computing by region gives", () => {
    const withRegion = fc.record({ group: fc.constantFrom("A", "B", "C"), region: fc.constantFrom("East", "West", "", "North"), q1: written, q2: written });
    fc.assert(
      fc.property(fc.array(withRegion, { minLength: 0, maxLength: 60 }), (people) => {
        const everyone = people.map((p) => respondent(p.group, { Q1: p.q1, Q2: p.q2 }, p.region));
        const byGroup = surveyStatistics(QUESTIONS, everyone, OPTIONS);
        const regrouped = regroupStatistics(byGroup, everyone, "region");
        expect(regrouped).toEqual(surveyStatistics(QUESTIONS, everyone, { ...OPTIONS, by: "region" }));
        expect(regrouped.questions.map((q) => q.total)).toEqual(byGroup.questions.map((q) => q.total));
      }),
      { numRuns: 60 },
    );
  });

  it("a group below the threshold appears in no output", () => {
    const TINY = "Tiny-group-name";
    fc.assert(
      fc.property(
        fc.array(person(["Alpha", "Beta", "Gamma"]), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<"group" | "region">("group", "region"),
        (people, tiny, by) => {
          const everyone = [
            ...build(people),
            ...Array.from({ length: tiny }, (_, i) => respondent(by === "group" ? TINY : "Alpha", { Q1: i % 2 === 0 ? 5 : "dk", Q2: 2 }, by === "region" ? TINY : "East")),
          ];
          const stats = surveyStatistics(QUESTIONS, everyone, { ...OPTIONS, by });
          expect(stats.groups.map((g) => g.name)).not.toContain(TINY);
          const outputs = [renderSurveyJson, renderSurveyCsv, renderSurveyMarkdown, renderSurveyText].map((render) => render(stats, CONTEXT, true));
          for (const view of questionViews(stats, CONTEXT, true)) outputs.push(surveyChartSvg(view, AGREEMENT));
          for (const out of outputs) expect(out).not.toContain(TINY);
        },
      ),
      { numRuns: 60 },
    );
  });
});
