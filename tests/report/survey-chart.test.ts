/** The report's partner-survey section, rendered in headless Chromium. */
import { describe, expect, it } from "vitest";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { surveyContext } from "../../src/render/survey.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { SURVEY_CHART } from "../../src/report/survey-chart.js";
import { score } from "../../src/scoring/score.js";
import { surveyStatistics } from "../../src/survey/statistics.js";
import { EXAMPLE, OPTIONS, question, respondent } from "../survey/support.js";
import { PAYLOADS, browserSession, iomOrFixture, registry } from "./support.js";

describe("the partner-survey section in headless Chromium", () => {
  const { file, write, open } = browserSession("mopan-survey-report-");

  it("draws a diverging bar per question and shown group, with n and the don't-know share beside it", async () => {
    const prepared = prepareAssessment(EXAMPLE, registry);
    const survey = prepared.survey!;
    const result = score(prepared.framework!, prepared.scale!, prepared.assessment!);
    const page = renderHtmlReport(result, prepared.framework!, prepared.assessment!, prepared.scale!, { survey: { statistics: survey.statistics, context: surveyContext(survey) } });
    const { page: tab, log } = await open(write("survey.html", page), { javaScriptEnabled: false });
    expect(log.consoleErrors).toEqual([]);
    expect(log.pageErrors).toEqual([]);
    expect(log.requests).toEqual([]);
    expect(await tab.locator("script").count()).toBe(0);
    expect(await tab.locator("#survey").isVisible()).toBe(true);
    expect(await tab.locator("nav a[href='#survey']").count()).toBe(1);

    const charts = tab.locator("#survey svg.survey-chart");
    const order = await charts.evaluateAll((els) => els.map((e) => e.getAttribute("data-question")));
    expect([...order].sort()).toEqual(survey.statistics.questions.map((q) => q.id));
    // In framework order of the MI each question informs: Q11 (MI6.6.E4) comes before Q09 (MI6.7).
    expect(order.indexOf("Q11")).toBeLessThan(order.indexOf("Q09"));
    // Grouped by KPI and MI: Q01-Q04 under MI5.1 (KPI5), Q12 under MI10.1 (KPI10).
    const headings = await tab.locator("#survey h3, #survey h4").evaluateAll((els) => els.map((e) => e.textContent!.split(" ")[0]));
    expect(headings).toEqual(["KPI5", "MI5.1", "KPI6", "MI6.2", "MI6.6", "MI6.7", "KPI10", "MI10.1"]);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(700);

    const shown = ["All respondents", ...survey.statistics.groups.map((g) => g.name)];
    for (const q of survey.statistics.questions) {
      const chart = tab.locator(`svg.survey-chart[data-question="${q.id}"]`);
      const bars = await chart.locator("g.bar").evaluateAll((els) =>
        els.map((g) => {
          const segments = [...g.querySelectorAll("rect.segment")].map((r) => {
            const b = (r as SVGGraphicsElement).getBBox();
            return { value: Number(r.getAttribute("data-value")), left: b.x, right: b.x + b.width, width: b.width };
          });
          return { group: g.getAttribute("data-group"), segments, note: g.querySelector("text.note")!.textContent };
        }),
      );
      expect(
        bars.map((b) => b.group),
        q.id,
      ).toEqual(shown);
      const cells = [q.total, ...q.groups.map((g) => g.statistics)];
      bars.forEach((bar, i) => {
        const cell = cells[i]!;
        // All substantive answers together are `half` units wide; disagreeing ones left of the centre line, agreeing ones right.
        expect(bar.segments.reduce((s, x) => s + x.width, 0)).toBeCloseTo(SURVEY_CHART.half, 1);
        for (const s of bar.segments) {
          if (s.value < 4) expect(s.right).toBeLessThanOrEqual(SURVEY_CHART.centre + 0.001);
          else expect(s.left).toBeGreaterThanOrEqual(SURVEY_CHART.centre - 0.001);
        }
        const agreeWidth = bar.segments.filter((s) => s.value >= 4).reduce((sum, s) => sum + s.width, 0);
        expect(agreeWidth / SURVEY_CHART.half).toBeCloseTo(cell.shareAgreeing!.valueOf(), 2);
        expect(bar.note).toBe(`n ${cell.substantive} · DK ${Math.round(cell.dontKnowShare!.valueOf() * 100)}%`);
      });
    }
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without hidden markup
    const text = await tab.locator("#survey").innerText();
    expect(text).not.toContain("Academia");
    expect(text).not.toContain("Private sector");
    expect(text).toContain("2 partner group(s) with 7 respondents together are counted only in the total");
    const png = await tab.locator("#survey").screenshot({ path: file("survey.png") });
    expect(png.length).toBeGreaterThan(10_000);
    await tab.context().close();
  });

  it("escapes question text and group names: a payload shows as text and runs nothing", async () => {
    const subject = iomOrFixture();
    const q = { ...question("Q1"), text: `Statement ${PAYLOADS.script} ${PAYLOADS.attribute}` };
    const people = Array.from({ length: 12 }, (_, i) => respondent(i < 6 ? `Group ${PAYLOADS.single}` : `Other ${PAYLOADS.textarea}`, { Q1: (i % 6) + 1 }));
    const statistics = surveyStatistics([q], people, OPTIONS);
    const context = {
      title: `Survey ${PAYLOADS.title}`,
      files: { responses: { file: PAYLOADS.comment, sha256: "sha256:0" }, questionnaire: { file: "q.csv", sha256: "sha256:1" } },
      rule: { id: "r", version: "1", statistic: "shareAgreeing" as const, minSubstantive: 1, provenance: { status: "project" } },
      outcomes: [],
    };
    const page = renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale, { survey: { statistics, context } });
    const { page: tab, log } = await open(write("payload.html", page));
    expect(await tab.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(log.pageErrors).toEqual([]);
    expect(await tab.locator("script, img, iframe, textarea").count()).toBe(0);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without hidden markup
    expect(await tab.locator("#survey figcaption").first().innerText()).toContain(PAYLOADS.script);
    expect(await tab.locator("#survey svg.survey-chart g.bar").count()).toBe(3);
    await tab.context().close();
  });
});
