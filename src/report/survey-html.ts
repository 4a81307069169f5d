import { type Framework, indexFramework } from "../framework/model.js";
import { type SurveyContext, questionViews } from "../render/survey.js";
import type { SurveyStatistics } from "../survey/statistics.js";
import { type SafeHtml, anchorId, html, trusted } from "./escape.js";
import { surveyChartSvg } from "./survey-chart.js";

/** What the report's partner-survey section needs. */
export interface SurveySectionInput {
  readonly statistics: SurveyStatistics;
  readonly context: SurveyContext;
  readonly note?: string;
}

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

/**
 * The partner-survey section: a diverging bar chart per question, grouped by the KPI and MI of
 * the first element it informs, with n and the don't-know share beside each bar and the partner
 * groups that are large enough to show.
 */
export function surveySection(input: SurveySectionInput, framework: Framework): SafeHtml {
  const { statistics: s, context } = input;
  const index = indexFramework(framework);
  const miOf = (target: string) => index.elements.get(target)?.mi ?? target;
  const views = questionViews(s, context, true);
  const scales = new Map(s.questions.map((q) => [q.id, q.scale]));
  const byMi = new Map<string, typeof views>();
  for (const v of views) {
    const mi = miOf(v.informs[0] ?? "");
    byMi.set(mi, [...(byMi.get(mi) ?? []), v]);
  }
  const order = [...index.mis.keys()];
  const mis = [...byMi.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const kpis = [...new Set(mis.map((mi) => index.mis.get(mi)?.kpi ?? ""))];
  const level = `${Math.round(s.level * 100)}%`;
  return html`<section id="survey">
<h2>Partner survey</h2>
<p>${context.title}: ${s.respondents} respondents, ${s.questions.length} questions. Responses <code>${context.files.responses.file}</code> (<code>${context.files.responses.sha256}</code>).${input.note ? ` ${input.note}` : ""}</p>
<p class="small muted">Each bar shows a group's substantive answers: disagreeing to the left of the line, agreeing to the right, the mildest answers next to it; the share agreeing is printed at its end. Beside each bar: n, the substantive answers, and the share of don't-know and blank answers, which the statistics leave out. ${s.suppressed.groups > 0 ? `${s.suppressed.groups} partner group(s) with ${s.suppressed.respondents} respondents together are counted only in the total: groups need at least ${s.minGroupSize} respondents to be shown. ` : ""}Suggested scores come from the ${context.rule.provenance.status} rule <code>${context.rule.id}</code> ${context.rule.version}, which needs at least ${context.rule.minSubstantive} substantive answers; they enter scoring as evidence of stream <em>survey</em>. Intervals are ${level}: Wilson for the share agreeing.</p>
${kpis.map(
  (kpi) => html`<div class="survey-kpi"><h3>${kpi} ${index.kpis.get(kpi)?.title ?? ""}</h3>
${mis
  .filter((mi) => (index.mis.get(mi)?.kpi ?? "") === kpi)
  .map(
    (mi) => html`<h4><a href="#${anchorId("mi", mi)}">${mi}</a> ${index.mis.get(mi)?.title ?? ""}</h4>
${byMi.get(mi)!.map(
  (v) => html`<figure class="survey-question" id="${anchorId("survey", v.id)}">
<figcaption><b>${v.id}</b> ${v.statement} <span class="muted">· informs ${v.informs.join(", ")} · ${v.suggestedScore !== null ? `suggested score ${v.suggestedScore}` : `no suggestion: ${v.noSuggestion ?? "scores differ by target"}`} · ${pct(v.cells[0]!.shareAgreeing)} agree (${level} interval ${pct(v.cells[0]!.shareInterval?.[0] ?? null)}–${pct(v.cells[0]!.shareInterval?.[1] ?? null)})</span></figcaption>
${trusted(surveyChartSvg(v, scales.get(v.id)!))}</figure>`,
)}`,
  )}
</div>`,
)}
</section>`;
}
