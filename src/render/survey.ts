import { toCsv } from "../text/csv-write.js";
import type { QuestionOutcome, SurveyFiles } from "../survey/derive.js";
import type { SurveyRule } from "../survey/schema.js";
import type { CellStatistics, SurveyStatistics } from "../survey/statistics.js";
import { type Fraction, toNumber } from "../util/exact.js";
import { pad } from "./labels.js";
import { mdCell } from "./score-md.js";

/** What the survey renderers show besides the statistics: the survey, its files and the rule's outcome per question. */
export interface SurveyContext {
  readonly title: string;
  readonly files: SurveyFiles;
  readonly rule: Pick<SurveyRule, "id" | "version" | "statistic" | "minSubstantive"> & { readonly provenance: { readonly status: string } };
  readonly outcomes: readonly QuestionOutcome[];
}

/** The context of a prepared survey (`prepareSurvey` in src/io/survey-files.ts). */
export const surveyContext = (survey: {
  readonly input: { readonly config: { readonly title: string }; readonly files: SurveyFiles; readonly rule: SurveyContext["rule"] };
  readonly derived: { readonly outcomes: readonly QuestionOutcome[] };
}): SurveyContext => ({ title: survey.input.config.title, files: survey.input.files, rule: survey.input.rule, outcomes: survey.derived.outcomes });

/** One cell (a question in the total or in a shown group) as plain data, numbers rounded for output. */
export interface CellView {
  readonly group: string;
  readonly responses: number;
  readonly substantive: number;
  readonly dontKnow: number;
  readonly dontKnowShare: number | null;
  /** Null when the cell's statistics are withheld (a group with too few substantive answers). */
  readonly distribution: readonly { readonly value: number; readonly label: string; readonly count: number }[] | null;
  readonly mean: number | null;
  readonly meanInterval: readonly [number, number] | null;
  readonly median: number | null;
  readonly shareAgreeing: number | null;
  readonly shareInterval: readonly [number, number] | null;
}

export interface QuestionView {
  readonly id: string;
  readonly statement: string;
  readonly informs: readonly string[];
  readonly scale: string;
  readonly suggestedScore: number | null;
  readonly noSuggestion?: string;
  readonly cells: readonly CellView[];
}

/** The label of the total row. */
export const TOTAL = "All respondents";

const four = (x: number) => Math.round(x * 1e4) / 1e4;
const exact4 = (f: Fraction | null) => (f === null ? null : toNumber(f, 4));

function cellView(group: string, c: CellStatistics): CellView {
  return {
    group,
    responses: c.responses,
    substantive: c.substantive,
    dontKnow: c.nonSubstantive,
    dontKnowShare: exact4(c.dontKnowShare),
    distribution: c.shown && c.substantive > 0 ? c.distribution : null,
    mean: exact4(c.mean),
    meanInterval: c.meanInterval ? [four(c.meanInterval.low), four(c.meanInterval.high)] : null,
    median: exact4(c.median),
    shareAgreeing: exact4(c.shareAgreeing),
    shareInterval: c.shareInterval ? [four(c.shareInterval.low), four(c.shareInterval.high)] : null,
  };
}

/** Per question: the total and, with `byGroup`, each shown group. Suppressed groups are in no row. */
export function questionViews(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean): QuestionView[] {
  const outcomes = new Map(context.outcomes.map((o) => [o.question, o]));
  return statistics.questions.map((q) => {
    const outcome = outcomes.get(q.id);
    return {
      id: q.id,
      statement: q.text,
      informs: q.targets,
      scale: q.scale.id,
      suggestedScore: outcome?.score ?? null,
      ...(outcome?.reason === undefined ? {} : { noSuggestion: outcome.reason }),
      cells: [cellView(TOTAL, q.total), ...(byGroup ? q.groups.map((g) => cellView(g.name, g.statistics)) : [])],
    };
  });
}

/** The whole table as JSON: the survey's provenance, the method, the shown groups and every question. */
export function renderSurveyJson(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean): string {
  return (
    JSON.stringify(
      {
        survey: context.title,
        files: context.files,
        rule: { id: context.rule.id, version: context.rule.version, provenance: context.rule.provenance.status, statistic: context.rule.statistic, minSubstantive: context.rule.minSubstantive },
        method: methodOf(statistics),
        respondents: statistics.respondents,
        by: byGroup ? statistics.by : null,
        groups: byGroup ? statistics.groups : [],
        suppressed: byGroup ? statistics.suppressed : { groups: 0, respondents: 0 },
        questions: questionViews(statistics, context, byGroup),
      },
      null,
      2,
    ) + "\n"
  );
}

const methodOf = (s: SurveyStatistics) => ({
  level: s.level,
  shareInterval: "Wilson score",
  meanInterval: `percentile bootstrap, ${s.resamples} resamples, seed ${s.seed}`,
  minGroupSize: s.minGroupSize,
  suppression: `groups with fewer than ${s.minGroupSize} respondents are shown only in the total; while the suppressed groups together have fewer than ${s.minGroupSize}, the smallest shown group is suppressed too; in a shown group, a question with fewer than ${s.minGroupSize} substantive answers shows counts only`,
});

const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
const num = (x: number | null) => (x === null ? "—" : x.toFixed(2));
const range = (r: readonly [number, number] | null, f: (x: number) => string) => (r === null ? "—" : `${f(r[0])}–${f(r[1])}`);
const pctRange = (r: readonly [number, number] | null) => range(r, (x) => String(Math.round(x * 100)));
const numRange = (r: readonly [number, number] | null) => range(r, (x) => x.toFixed(2));
const distributionText = (c: CellView) => (c.distribution === null ? "withheld" : c.distribution.map((d) => `${d.value}:${d.count}`).join(" "));

function header(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean): string[] {
  const s = statistics;
  const level = `${Math.round(s.level * 100)}%`;
  return [
    `${context.title}: ${s.respondents} respondents, ${s.questions.length} questions`,
    `Responses ${context.files.responses.file} (${context.files.responses.sha256}); rule ${context.rule.id} ${context.rule.version} (${context.rule.provenance.status} rule), at least ${context.rule.minSubstantive} substantive answers.`,
    `Agree: answers at the scale's agreeing end, with the ${level} Wilson interval; mean and median over substantive answers, the mean with a ${level} percentile-bootstrap interval (${s.resamples} resamples, seed ${s.seed}). DK: don't know and blank.`,
    ...(byGroup
      ? [
          `By ${s.by}: ${s.groups.length} shown${s.suppressed.groups > 0 ? `; ${s.suppressed.groups} group(s) with ${s.suppressed.respondents} respondents together are counted only in the total (minimum ${s.minGroupSize} respondents per group)` : ""}.`,
        ]
      : []),
  ];
}

/** The statistics table for a terminal. */
export function renderSurveyText(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean): string {
  const lines = header(statistics, context, byGroup);
  const width = Math.max(TOTAL.length, ...statistics.groups.map((g) => g.name.length)) + 2;
  for (const q of questionViews(statistics, context, byGroup)) {
    lines.push("", `${q.id}  ${q.statement}`);
    lines.push(
      `    informs ${q.informs.join(", ")}; ${q.suggestedScore !== null ? `suggested score ${q.suggestedScore}` : q.noSuggestion ? `no suggestion: ${q.noSuggestion}` : "suggested scores differ by target"}`,
    );
    lines.push(`    ${pad("", width)} ${pad("n", 5)} ${pad("subst", 5)} ${pad("DK", 5)} ${pad("Agree", 5)} ${pad("(CI)", 9)} ${pad("Mean", 5)} ${pad("(CI)", 10)} ${pad("Median", 6)} Distribution`);
    for (const c of q.cells) {
      lines.push(
        `    ${pad(c.group, width)} ${pad(String(c.responses), 5)} ${pad(String(c.substantive), 5)} ${pad(pct(c.dontKnowShare), 5)} ${pad(pct(c.shareAgreeing), 5)} ${pad(pctRange(c.shareInterval), 9)} ${pad(num(c.mean), 5)} ${pad(numRange(c.meanInterval), 10)} ${pad(num(c.median), 6)} ${distributionText(c)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** The statistics as Markdown, the survey's title a heading of `level` (the questions one below it). */
export function renderSurveyMarkdown(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean, level = 1): string {
  const heading = "#".repeat(level);
  const out = [
    `${heading} ${mdCell(context.title)}`,
    "",
    ...header(statistics, context, byGroup)
      .slice(1)
      .map((l) => mdCell(l) + "  "),
    "",
  ];
  for (const q of questionViews(statistics, context, byGroup)) {
    out.push(`${heading}# ${mdCell(q.id)}: ${mdCell(q.statement)}`, "");
    out.push(
      `Informs ${mdCell(q.informs.join(", "))}. ${q.suggestedScore !== null ? `Suggested score ${q.suggestedScore}.` : mdCell(`No suggestion: ${q.noSuggestion ?? "suggested scores differ by target"}.`)}`,
      "",
    );
    out.push("| Group | n | Substantive | DK | Agree | CI | Mean | CI | Median | Distribution |", "|---|---:|---:|---:|---:|---|---:|---|---:|---|");
    for (const c of q.cells) {
      out.push(
        `| ${mdCell(c.group)} | ${c.responses} | ${c.substantive} | ${pct(c.dontKnowShare)} | ${pct(c.shareAgreeing)} | ${pctRange(c.shareInterval)} | ${num(c.mean)} | ${numRange(c.meanInterval)} | ${num(c.median)} | ${distributionText(c)} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}

/** One row per question and cell; a column per scale value, so the table opens in a spreadsheet as it is. */
export function renderSurveyCsv(statistics: SurveyStatistics, context: SurveyContext, byGroup: boolean): string {
  const values = [...new Set(statistics.questions.flatMap((q) => q.scale.options.map((o) => o.value)))].sort((a, b) => a - b);
  const head = [
    "question",
    "statement",
    "informs",
    "group",
    "responses",
    "substantive",
    "dont_know",
    "dont_know_share",
    ...values.map((v) => `answer_${v}`),
    "mean",
    "mean_low",
    "mean_high",
    "median",
    "share_agreeing",
    "share_low",
    "share_high",
    "suggested_score",
  ];
  const n = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));
  const rows = questionViews(statistics, context, byGroup).flatMap((q) =>
    q.cells.map((c) => [
      q.id,
      q.statement,
      q.informs.join("; "),
      c.group,
      n(c.responses),
      n(c.substantive),
      n(c.dontKnow),
      n(c.dontKnowShare),
      ...values.map((v) => n(c.distribution?.find((d) => d.value === v)?.count)),
      n(c.mean),
      n(c.meanInterval?.[0]),
      n(c.meanInterval?.[1]),
      n(c.median),
      n(c.shareAgreeing),
      n(c.shareInterval?.[0]),
      n(c.shareInterval?.[1]),
      c.group === TOTAL ? n(q.suggestedScore) : "",
    ]),
  );
  return toCsv(head, rows);
}
