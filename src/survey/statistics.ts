import { Fraction, median } from "../util/exact.js";
import type { Answer } from "./answers.js";
import { type Interval, Z_FOR_LEVEL, bootstrapMeanInterval, wilsonInterval } from "./intervals.js";
import type { ResponseScale } from "./schema.js";

/** A question as the statistics need it: its id, statement, what it informs and its scale. */
export interface SurveyQuestion {
  readonly id: string;
  readonly text: string;
  /** Element or results MI ids the question informs (an element-scored MI already expanded). */
  readonly targets: readonly string[];
  readonly scale: ResponseScale;
}

/** One respondent: the groups they belong to and their answers by question id (a missing answer is blank). */
export interface SurveyRespondent {
  readonly group: string;
  readonly region: string;
  readonly answers: ReadonlyMap<string, Answer>;
}

export type GroupBy = "group" | "region";

export interface StatisticsOptions {
  readonly by?: GroupBy;
  readonly minGroupSize: number;
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
}

export interface CountOf {
  readonly code: string;
  readonly label: string;
  readonly count: number;
}

/** The statistics of one question in one cell (the total, or one shown group). */
export interface CellStatistics {
  /** Respondents asked: every answer, don't-knows and blanks included. */
  readonly responses: number;
  readonly substantive: number;
  readonly nonSubstantive: number;
  /** Non-substantive answers (don't know, blank) out of all responses. */
  readonly dontKnowShare: Fraction | null;
  readonly nonSubstantiveCounts: readonly CountOf[];
  /**
   * False in a group cell with fewer substantive answers than the minimum group size: its
   * distribution and statistics are withheld, only the counts above are shown.
   */
  readonly shown: boolean;
  /** Substantive answers per scale value, from the lowest. Empty when not shown. */
  readonly distribution: readonly { readonly value: number; readonly label: string; readonly count: number }[];
  readonly mean: Fraction | null;
  readonly median: Fraction | null;
  readonly agreeing: number | null;
  readonly shareAgreeing: Fraction | null;
  /** Wilson interval of the share agreeing. */
  readonly shareInterval: Interval | null;
  /** Seeded percentile-bootstrap interval of the mean. */
  readonly meanInterval: Interval | null;
}

export interface QuestionStatistics {
  readonly id: string;
  readonly text: string;
  readonly targets: readonly string[];
  readonly scale: ResponseScale;
  readonly total: CellStatistics;
  /** The shown groups only, in name order; suppressed groups never appear here. */
  readonly groups: readonly { readonly name: string; readonly statistics: CellStatistics }[];
}

export interface SurveyStatistics {
  readonly by: GroupBy;
  readonly minGroupSize: number;
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
  readonly respondents: number;
  /** Groups shown, with their respondents, in name order. */
  readonly groups: readonly { readonly name: string; readonly respondents: number }[];
  /** Groups left out of the breakdown (too small, or hiding a small one): only their number and size. */
  readonly suppressed: { readonly groups: number; readonly respondents: number };
  readonly questions: readonly QuestionStatistics[];
}

/** The label of respondents who gave no group. */
const NO_GROUP = "(not stated)";

/**
 * Groups shown in a breakdown. A group with fewer respondents than `minimum` is suppressed; and
 * while the suppressed groups together have fewer than `minimum` respondents, the smallest shown
 * group is suppressed too, so that the total minus the shown groups never discloses a small group.
 */
export function shownGroups(sizes: ReadonlyMap<string, number>, minimum: number): Set<string> {
  const shown = new Set([...sizes.keys()].filter((g) => sizes.get(g)! >= minimum));
  let hidden = 0;
  for (const [g, size] of sizes) if (!shown.has(g)) hidden += size;
  while (hidden > 0 && hidden < minimum && shown.size > 0) {
    const smallest = [...shown].sort((a, b) => sizes.get(a)! - sizes.get(b)! || (a < b ? -1 : a > b ? 1 : 0))[0]!;
    shown.delete(smallest);
    hidden += sizes.get(smallest)!;
  }
  return shown;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Per question, the statistics overall and per shown group. Pure and deterministic: same input, same numbers. */
export function surveyStatistics(questions: readonly SurveyQuestion[], respondents: readonly SurveyRespondent[], options: StatisticsOptions): SurveyStatistics {
  const z = zFor(options.level);
  return withBreakdown(questions, respondents, options.by ?? "group", options, (q) => cellStatistics(q, answersTo(q, respondents), { ...options, z, stream: `${q.id}\u0000`, withhold: 0 }));
}

/**
 * The same statistics broken down by another grouping: the totals (which do not depend on the
 * grouping) are taken over, only the group cells are computed.
 */
export function regroupStatistics(statistics: SurveyStatistics, respondents: readonly SurveyRespondent[], by: GroupBy): SurveyStatistics {
  return withBreakdown(statistics.questions, respondents, by, statistics, (_, index) => statistics.questions[index]!.total);
}

function zFor(level: number): number {
  const z = (Z_FOR_LEVEL as Readonly<Record<number, number | undefined>>)[level];
  if (z === undefined) throw new RangeError(`no interval level ${level}`);
  return z;
}

const answersTo = (question: SurveyQuestion, members: readonly SurveyRespondent[]) => members.map((r) => r.answers.get(question.id));

function withBreakdown(
  questions: readonly SurveyQuestion[],
  respondents: readonly SurveyRespondent[],
  by: GroupBy,
  options: Omit<StatisticsOptions, "by">,
  totalOf: (question: SurveyQuestion, index: number) => CellStatistics,
): SurveyStatistics {
  const groupOf = (r: SurveyRespondent) => (by === "group" ? r.group : r.region).trim() || NO_GROUP;
  const sizes = new Map<string, number>();
  for (const r of respondents) sizes.set(groupOf(r), (sizes.get(groupOf(r)) ?? 0) + 1);
  const shown = shownGroups(sizes, options.minGroupSize);
  const groupNames = [...shown].sort(byName);
  let hiddenRespondents = 0;
  for (const [g, size] of sizes) if (!shown.has(g)) hiddenRespondents += size;
  const z = zFor(options.level);

  const members = new Map<string, SurveyRespondent[]>(groupNames.map((g) => [g, []]));
  for (const r of respondents) members.get(groupOf(r))?.push(r);
  return {
    by,
    minGroupSize: options.minGroupSize,
    level: options.level,
    resamples: options.resamples,
    seed: options.seed,
    respondents: respondents.length,
    groups: groupNames.map((name) => ({ name, respondents: sizes.get(name)! })),
    suppressed: { groups: sizes.size - shown.size, respondents: hiddenRespondents },
    questions: questions.map((q, index) => ({
      id: q.id,
      text: q.text,
      targets: q.targets,
      scale: q.scale,
      total: totalOf(q, index),
      groups: groupNames.map((name) => ({
        name,
        statistics: cellStatistics(q, answersTo(q, members.get(name)!), { ...options, z, stream: `${q.id}\u0000${by}\u0000${name}`, withhold: options.minGroupSize }),
      })),
    })),
  };
}

interface CellOptions {
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
  readonly z: number;
  readonly stream: string;
  /** Substantive answers below this: statistics withheld (0 for the total). */
  readonly withhold: number;
}

function cellStatistics(question: SurveyQuestion, answers: readonly (Answer | undefined)[], options: CellOptions): CellStatistics {
  const scale = question.scale;
  const counts = new Map<number, number>(scale.options.map((o) => [o.value, 0]));
  const other = new Map<string, number>();
  const values: number[] = [];
  for (const answer of answers) {
    if (answer?.kind === "value") {
      counts.set(answer.value, (counts.get(answer.value) ?? 0) + 1);
      values.push(answer.value);
    } else {
      const code = answer?.code ?? "blank";
      other.set(code, (other.get(code) ?? 0) + 1);
    }
  }
  const responses = answers.length;
  const substantive = values.length;
  const nonSubstantive = responses - substantive;
  const labels = new Map(scale.nonSubstantive.map((o) => [o.code, o.label]));
  const nonSubstantiveCounts = [...scale.nonSubstantive.map((o) => o.code), "blank"]
    .filter((code) => other.has(code))
    .map((code) => ({ code, label: labels.get(code) ?? "Blank", count: other.get(code)! }));
  const base = {
    responses,
    substantive,
    nonSubstantive,
    dontKnowShare: responses === 0 ? null : new Fraction(nonSubstantive, responses),
    nonSubstantiveCounts,
  };
  if (substantive === 0 || substantive < options.withhold) {
    return {
      ...base,
      shown: substantive > 0 ? false : options.withhold === 0,
      distribution: [],
      mean: null,
      median: null,
      agreeing: null,
      shareAgreeing: null,
      shareInterval: null,
      meanInterval: null,
    };
  }
  const ordered = [...scale.options].sort((a, b) => a.value - b.value);
  let sum = 0;
  let agreeing = 0;
  for (const v of values) {
    sum += v;
    if (v >= scale.agreeFrom) agreeing++;
  }
  return {
    ...base,
    shown: true,
    distribution: ordered.map((o) => ({ value: o.value, label: o.label, count: counts.get(o.value)! })),
    mean: new Fraction(sum, substantive),
    median: median(values.map((v) => new Fraction(v)))!,
    agreeing,
    shareAgreeing: new Fraction(agreeing, substantive),
    shareInterval: wilsonInterval(agreeing, substantive, options.z),
    meanInterval: bootstrapMeanInterval(values, options.level, options.resamples, options.seed, options.stream),
  };
}
