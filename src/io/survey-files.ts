import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { type Diagnostic, appendAll } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { type Framework, indexFramework } from "../framework/model.js";
import { type Answer, acceptedAnswers, answerLookup, checkResponseScale, readAnswer } from "../survey/answers.js";
import { type DerivedSurvey, type SurveyFiles, checkSurveyRule, deriveSurveyEvidence } from "../survey/derive.js";
import { ResponseScale, SurveyConfig, SurveyRule } from "../survey/schema.js";
import { type StatisticsOptions, type SurveyQuestion, type SurveyRespondent, type SurveyStatistics, surveyStatistics } from "../survey/statistics.js";
import { type CsvCell, type CsvTable, columnKey } from "../text/csv-read.js";
import { readCsvWithText } from "./csv/assessment-csv.js";
import { symlinkOutside } from "./confine.js";
import { readJsonDocument } from "./json.js";
import { BUILTIN_FRAMEWORK_DIR, display } from "./registry.js";

/** The file in an assessment folder that declares a partner survey. */
export const SURVEY_FILE = "survey.json";

/** A survey read and checked against its framework: everything its statistics and evidence need. */
export interface SurveyInput {
  readonly config: SurveyConfig;
  readonly rule: SurveyRule;
  readonly questions: readonly SurveyQuestion[];
  readonly respondents: readonly SurveyRespondent[];
  readonly files: SurveyFiles;
  /** Where each question's row starts in the questionnaire, for diagnostics about a question. */
  readonly questionAt: ReadonlyMap<string, { readonly file: string; readonly line: number; readonly column: number }>;
  /** Where the responses' group column is named, for diagnostics about groups. */
  readonly groupColumnAt: { readonly file: string; readonly line: number; readonly column: number };
}

export const hasSurvey = (folder: string): boolean => existsSync(join(folder, SURVEY_FILE));

/**
 * Reads the partner survey of an assessment folder: survey.json, its questionnaire and responses
 * (CSV, wide or long), the response scales and the rule (from the folder's `response-scales/` and
 * `survey-rules/`, else the built-in `framework/` ones). Every problem is a diagnostic at its file,
 * JSON pointer or CSV cell; `survey` is undefined when any of them is an error. Respondent ids are
 * used to find duplicates and never appear in a diagnostic.
 */
export function readSurvey(folder: string, framework: Framework): { survey?: SurveyInput; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const configFile = join(folder, SURVEY_FILE);
  const outside = [configFile].flatMap((f) => symlinkOutside(f, folder) ?? []);
  if (outside.length > 0) return { diagnostics: outside };
  const config = readModel(configFile, SurveyConfig, diagnostics);
  if (!config) return { diagnostics };
  const named = [config.questionnaire, config.responses].flatMap((name) => symlinkOutside(join(folder, name), folder) ?? []);
  if (named.length > 0) return { diagnostics: [...diagnostics, ...named] };
  const rule = findModel(folder, "survey-rules", config.rule, SurveyRule, diagnostics, "survey rule", { file: display(configFile), pointer: "/rule" });
  if (rule) appendAll(diagnostics, checkSurveyRule(rule.value, framework.policy, rule.file));
  const scales = new Map<string, ResponseScale | undefined>();
  const scaleFor = (id: string, from: Location) => {
    if (!scales.has(id)) {
      const found = findModel(folder, "response-scales", id, ResponseScale, diagnostics, "response scale", from);
      const problems = found ? checkResponseScale(found.value, found.file) : [];
      appendAll(diagnostics, problems);
      scales.set(id, problems.length === 0 ? found?.value : undefined);
    }
    return scales.get(id);
  };
  const defaultScale = scaleFor(config.responseScale, { file: display(configFile), pointer: "/responseScale" });

  const questionnaire = readTable(join(folder, config.questionnaire), { columns: ["id", "statement", "elements", "scale"], required: ["id", "statement", "elements"] }, diagnostics);
  const questions: SurveyQuestion[] = [];
  const questionAt = new Map<string, { file: string; line: number; column: number }>();
  if (questionnaire) {
    const index = indexFramework(framework);
    const keys = new Map<string, string>();
    for (const row of questionnaire.table.rows) {
      const at = (cell: CsvCell) => ({ file: questionnaire.shown, line: cell.line, column: cell.column });
      const idCell = row.cells.get("id")!;
      const id = idCell.value.trim();
      const problem = (cell: CsvCell, code: string, message: string, extra: Partial<Diagnostic> = {}) => diagnostics.push({ ...at(cell), code, severity: "error", message, ...extra });
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(id)) {
        problem(idCell, "invalid-question-id", "A question id is 1 to 50 letters, digits, '.', '_' or '-', starting with a letter or digit.", { received: id });
        continue;
      }
      const key = columnKey(id);
      if (RESPONSE_COLUMNS.includes(key)) {
        problem(idCell, "invalid-question-id", `"${id}" is the name of a responses column; give the question another id.`, { received: id });
        continue;
      }
      if (keys.has(key)) {
        problem(idCell, "duplicate-question", `Question "${id}" is listed twice (first on line ${questionAt.get(keys.get(key)!)!.line}); ids differ in more than letter case.`, { received: id });
        continue;
      }
      keys.set(key, id);
      questionAt.set(id, at(idCell));
      const targets: string[] = [];
      const elementsCell = row.cells.get("elements")!;
      const listed = elementsCell.value
        .split(";")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      if (listed.length === 0) problem(elementsCell, "missing-value", `Question "${id}" informs no element: list the element or MI ids, separated by ";".`);
      for (const target of listed) {
        const mi = index.mis.get(target);
        if (index.elements.has(target) || mi?.scoring === "rubric") targets.push(target);
        else if (mi) targets.push(...mi.elements.map((e) => e.id));
        else problem(elementsCell, "unknown-element", `Question "${id}" is mapped to "${target}", which is no element or MI of ${framework.id}.`, { received: target });
      }
      const scaleCell = row.cells.get("scale");
      const scaleId = scaleCell?.value.trim() || config.responseScale;
      const scale = scaleCell?.value.trim() ? scaleFor(scaleId, { file: questionnaire.shown, line: scaleCell.line, column: scaleCell.column }) : defaultScale;
      const text = row.cells.get("statement")!.value.trim();
      if (text === "") problem(row.cells.get("statement")!, "missing-value", `Question "${id}" has no statement.`);
      if (scale) questions.push({ id, text, targets: [...new Set(targets)], scale });
    }
  }

  const responses = questionnaire && questions.length === questionAt.size ? readResponses(join(folder, config.responses), questions, diagnostics) : undefined;
  if (!config || !rule || !questionnaire || !responses || diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return {
    survey: {
      config,
      rule: rule.value,
      questions,
      respondents: responses.respondents,
      files: { responses: { file: responses.name, sha256: responses.sha256 }, questionnaire: { file: questionnaire.name, sha256: questionnaire.sha256 } },
      questionAt,
      groupColumnAt: responses.groupColumnAt,
    },
    diagnostics,
  };
}

const RESPONSE_COLUMNS = ["respondent", "partner_group", "region", "country", "question", "answer"];

interface Location {
  readonly file: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

/** A JSON file parsed by a zod model; problems at their line and column. */
function readModel<T>(file: string, model: { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: import("zod").ZodError } }, diagnostics: Diagnostic[]): T | undefined {
  const shown = display(file);
  const read = readJsonDocument(file, shown);
  if (!read.ok) {
    appendAll(diagnostics, read.diagnostics);
    return undefined;
  }
  appendAll(diagnostics, read.value.duplicateKeys);
  const parsed = model.safeParse(read.value.value);
  if (parsed.success) return parsed.data;
  appendAll(
    diagnostics,
    diagnosticsFromZod(parsed.error, read.value.value, shown).map((d) => ({ ...d, ...(d.pointer === undefined ? {} : read.value.locate(d.pointer)) })),
  );
  return undefined;
}

/** `<folder>/<kind>/<id>.json`, else the built-in `framework/<kind>/<id>.json`; an unknown id is a diagnostic where it was named. */
function findModel<T>(
  folder: string,
  kind: string,
  id: string,
  model: Parameters<typeof readModel<T>>[1],
  diagnostics: Diagnostic[],
  what: string,
  namedAt: Location,
): { value: T; file: string } | undefined {
  for (const dir of [folder, BUILTIN_FRAMEWORK_DIR]) {
    const file = join(dir, kind, `${id}.json`);
    if (!/^[a-z0-9]+([.-][a-z0-9]+)*$/.test(id) || !existsSync(file)) continue;
    const value = readModel(file, model, diagnostics);
    if (value && (value as { id?: string }).id !== id) {
      diagnostics.push({
        file: display(file),
        pointer: "/id",
        code: "id-mismatch",
        severity: "error",
        received: String((value as { id?: string }).id),
        message: `${display(file)} declares id "${(value as { id?: string }).id}"; its file name says "${id}".`,
      });
      return undefined;
    }
    return value ? { value, file: display(file) } : undefined;
  }
  diagnostics.push({
    ...namedAt,
    code: `unknown-${what.replace(" ", "-")}`,
    severity: "error",
    received: id,
    message: `No ${what} "${id}" is known: looked for ${kind}/${id}.json in the assessment folder and in the built-in framework folder.`,
  });
  return undefined;
}

interface ReadTable {
  readonly table: CsvTable;
  readonly name: string;
  readonly shown: string;
  readonly sha256: string;
}

/** A CSV file read as text (hashed) and parsed; undefined (with diagnostics) when it cannot be used. */
function readTable(file: string, spec: { columns: readonly string[]; required: readonly string[] }, diagnostics: Diagnostic[]): ReadTable | undefined {
  const shown = display(file);
  const { table, text } = readCsvWithText(file, spec, shown);
  appendAll(diagnostics, table.diagnostics);
  if (!table.ok || text === undefined) return undefined;
  return { table, name: basename(file), shown, sha256: "sha256:" + createHash("sha256").update(text).digest("hex") };
}

/**
 * The responses, wide (a column per question) or long (question and answer columns). Unknown
 * questions, answers outside the question's scale, duplicate respondents and a respondent whose
 * group changes between rows are errors at their cell.
 */
function readResponses(file: string, questions: readonly SurveyQuestion[], diagnostics: Diagnostic[]) {
  const byKey = new Map(questions.map((q) => [columnKey(q.id), q]));
  const byId = new Map(questions.map((q) => [q.id.toLowerCase(), q]));
  const lookups = new Map(questions.map((q) => [q.id, answerLookup(q.scale)]));
  const before = diagnostics.length;
  const read = readTable(file, { columns: [...RESPONSE_COLUMNS, ...byKey.keys()], required: ["respondent", "partner_group"] }, diagnostics);
  // An unknown column of a wide file is a question the questionnaire does not have.
  for (let i = before; i < diagnostics.length; i++) {
    const d = diagnostics[i]!;
    if (d.code === "unknown-column" && d.received !== undefined && !d.message.startsWith("Column ")) {
      diagnostics[i] = {
        ...d,
        code: "unknown-question",
        message: `Column "${d.received}" is not a question of the questionnaire, nor a known column (respondent, partner_group, region or country; question and answer for long files). Its answers are not read.`,
      };
    }
  }
  if (!read) return undefined;
  const { table, shown } = read;
  const long = table.columns.has("question") || table.columns.has("answer");
  const at = (cell: CsvCell) => ({ file: shown, line: cell.line, column: cell.column });
  const header = (name: string) => ({ file: shown, ...table.columns.get(name)! });
  if (long && !(table.columns.has("question") && table.columns.has("answer"))) {
    diagnostics.push({
      ...header(table.columns.has("question") ? "question" : "answer"),
      code: "missing-column",
      severity: "error",
      expected: "question and answer",
      message: "A long responses file needs both a question and an answer column.",
    });
    return undefined;
  }
  if (long) {
    const wideColumns = [...table.columns.keys()].filter((c) => byKey.has(c));
    for (const c of wideColumns)
      diagnostics.push({ ...header(c), code: "mixed-format", severity: "error", message: "A long responses file (question and answer columns) cannot also have a column per question." });
  }
  if (table.columns.has("region") && table.columns.has("country")) {
    diagnostics.push({ ...header("country"), code: "duplicate-column", severity: "error", message: "Give the respondent's place in one column, region or country." });
  }
  const placeColumn = table.columns.has("region") ? "region" : "country";
  const respondents = new Map<string, { group: string; region: string; line: number; answers: Map<string, Answer>; answeredOn: Map<string, number> }>();
  for (const row of table.rows) {
    const idCell = row.cells.get("respondent")!;
    const groupCell = row.cells.get("partner_group")!;
    const id = idCell.value.trim();
    if (id === "") {
      diagnostics.push({
        ...at(idCell),
        code: "missing-respondent",
        severity: "error",
        message: "This row has no respondent id; every response needs one (it is used only to find duplicates, never shown).",
      });
      continue;
    }
    const group = groupCell.value.trim();
    const region = row.cells.get(placeColumn)?.value.trim() ?? "";
    let respondent = respondents.get(id);
    if (respondent && !long) {
      diagnostics.push({ ...at(idCell), code: "duplicate-respondent", severity: "error", message: `This respondent already answered on line ${respondent.line}; each respondent answers once.` });
      continue;
    }
    if (!respondent) respondents.set(id, (respondent = { group, region, line: row.line, answers: new Map(), answeredOn: new Map() }));
    else if (respondent.group !== group) {
      diagnostics.push({
        ...at(groupCell),
        code: "inconsistent-group",
        severity: "error",
        expected: respondent.group,
        received: group,
        message: `This respondent is in partner group "${respondent.group}" on line ${respondent.line}; one respondent has one group.`,
      });
    }
    const answer = (question: SurveyQuestion, cell: CsvCell) => {
      const value = readAnswer(cell.value, question.scale, lookups.get(question.id));
      if (value === undefined) {
        diagnostics.push({
          ...at(cell),
          code: "answer-outside-scale",
          severity: "error",
          received: cell.value,
          expected: acceptedAnswers(question.scale),
          message: `"${cell.value}" is not an answer of the scale "${question.scale.id}" that question ${question.id} uses.`,
        });
      } else respondent!.answers.set(question.id, value);
    };
    if (long) {
      const questionCell = row.cells.get("question")!;
      const question = byId.get(questionCell.value.trim().toLowerCase());
      if (!question) {
        diagnostics.push({
          ...at(questionCell),
          code: "unknown-question",
          severity: "error",
          received: questionCell.value,
          message: `"${questionCell.value}" is not a question of the questionnaire.`,
        });
        continue;
      }
      const first = respondent.answeredOn.get(question.id);
      if (first !== undefined) {
        diagnostics.push({
          ...at(idCell),
          code: "duplicate-respondent",
          severity: "error",
          message: `This respondent already answered question ${question.id} on line ${first}; each respondent answers a question once.`,
        });
        continue;
      }
      respondent.answeredOn.set(question.id, row.line);
      answer(question, row.cells.get("answer")!);
    } else {
      for (const [key, question] of byKey) {
        const cell = row.cells.get(key);
        if (cell) answer(question, cell);
      }
    }
  }
  if (!long) {
    const missing = [...byKey.keys()].filter((k) => !table.columns.has(k));
    for (const k of missing) {
      diagnostics.push({
        file: shown,
        line: table.columns.get("respondent")!.line,
        column: 1,
        code: "missing-column",
        severity: "error",
        expected: byKey.get(k)!.id,
        message: `The responses have no column for question ${byKey.get(k)!.id}; a wide file has one column per question of the questionnaire.`,
      });
    }
  }
  // Respondents in the order of their ids, so the order of the rows never matters.
  const ordered = [...respondents.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => ({ group: r.group, region: r.region, answers: r.answers }));
  return { respondents: ordered, name: read.name, sha256: read.sha256, groupColumnAt: header("partner_group") };
}

/** A survey with its statistics (by partner group) and the evidence derived from them. */
export interface PreparedSurvey {
  readonly input: SurveyInput;
  readonly statistics: SurveyStatistics;
  readonly derived: DerivedSurvey;
}

/** Statistics options as survey.json declares them. */
export const statisticsOptions = (config: SurveyConfig): StatisticsOptions => ({
  by: "group",
  minGroupSize: config.minGroupSize,
  level: config.interval.level,
  resamples: config.interval.resamples,
  seed: config.interval.seed,
});

/**
 * Reads the survey of an assessment folder, computes its statistics and derives its evidence.
 * Warns where the rule gives no suggestion (too few substantive answers) and where every
 * partner group is suppressed.
 */
export function prepareSurvey(folder: string, framework: Framework): { survey?: PreparedSurvey; diagnostics: Diagnostic[] } {
  const read = readSurvey(folder, framework);
  const input = read.survey;
  if (!input) return { diagnostics: read.diagnostics };
  const diagnostics = read.diagnostics;
  const statistics = surveyStatistics(input.questions, input.respondents, statisticsOptions(input.config));
  const results = indexFramework(framework).mis;
  const derived = deriveSurveyEvidence(statistics, input.rule, input.config, input.files, (id) => results.get(id)?.scoring === "rubric");
  for (const outcome of derived.outcomes) {
    if (outcome.reason === undefined) continue;
    diagnostics.push({
      ...input.questionAt.get(outcome.question)!,
      code: "no-survey-suggestion",
      severity: "warning",
      received: String(outcome.n),
      message: `Question ${outcome.question} gives no survey evidence: ${outcome.reason}.`,
    });
  }
  if (statistics.respondents > 0 && statistics.groups.length === 0) {
    diagnostics.push({
      ...input.groupColumnAt,
      code: "all-groups-suppressed",
      severity: "warning",
      received: `${statistics.suppressed.groups} group(s)`,
      message: `Every partner group has fewer than ${input.config.minGroupSize} respondents (or would disclose one that has): the statistics show only the total.`,
    });
  }
  return { survey: { input, statistics, derived }, diagnostics };
}
