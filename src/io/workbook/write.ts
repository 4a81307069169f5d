import type { Evidence, Judgement } from "../../assessment/schema.js";
import { pointerSegment, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { type Framework, indexFramework } from "../../framework/model.js";
import { isRecord } from "../../framework/tree.js";
import { scaleValues } from "../../analysis/shared.js";
import type { RatingScale } from "../../rating/schema.js";
import { ratingColour, ratingLabel } from "../../render/labels.js";
import type { ScoreResult } from "../../scoring/result.js";
import { EVIDENCE_STREAMS, FLAGS } from "../../assessment/schema.js";
import { csvProblems } from "../csv/assessment-csv.js";
import type { Cell, Worksheet } from "exceljs";
import { loadExcelJs } from "./exceljs.js";
import {
  CONFIDENCE_COLUMNS,
  EVIDENCE_SHEET_COLUMNS,
  JUDGEMENT_LEVELS,
  MAX_CELL_CHARACTERS,
  METADATA_COLUMNS,
  NULL_TEXT,
  PUBLISHED_COLUMNS,
  SCORES_SHEET_COLUMNS,
  SHEETS,
  columnLetters,
} from "./layout.js";
import { type MetadataRow, flattenMetadata } from "./metadata.js";
import { fixZipTimestamps } from "./zip.js";

/** What a workbook is written from: an assessment's data (checked only in shape), and what helps show it. */
export interface WorkbookInput {
  /** The assessment's metadata and its other fields, as JSON data. */
  readonly metadata: Record<string, unknown>;
  readonly judgements: readonly Judgement[];
  readonly evidence: readonly Evidence[];
  readonly statedConfidence?: Readonly<Record<string, unknown>>;
  readonly published?: Readonly<Record<string, unknown>>;
  /** Orders the Scores sheet, gives titles, headings, drop-downs; without it rows follow the judgements. */
  readonly framework?: Framework;
  readonly scale?: RatingScale;
  /** Scores at export, shown beside the judgements with the rating colours (never read back). */
  readonly result?: ScoreResult;
}

const CONFIDENCE_LEVELS = ["high", "medium", "low"] as const;
/** Control characters other than tab and line feed: XML 1.0 cannot hold them, and a CR is lost to line-end normalisation. */
const UNWRITABLE = /[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/;
const READ_ONLY_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEDEDED" } } as const;
const HEADING_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E2F3" } } as const;
/** A fixed creation date, so that the same assessment gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));

/**
 * What a workbook cannot hold unchanged, so that writing one would lose data: everything a CSV
 * table cannot hold (`csvProblems`), text longer than a spreadsheet cell allows, and control
 * characters. Diagnostic code `not-representable`.
 */
export function workbookProblems(input: WorkbookInput, file?: string): Diagnostic[] {
  const problems = csvProblems(input.judgements, input.evidence, file);
  const check = (pointer: string, value: unknown) => {
    if (typeof value !== "string") return;
    const reason =
      value.length > MAX_CELL_CHARACTERS
        ? `is ${value.length} characters long; a spreadsheet cell holds at most ${MAX_CELL_CHARACTERS}`
        : UNWRITABLE.test(value)
          ? "holds a control character (or a carriage return), which a workbook cannot hold unchanged"
          : undefined;
    if (reason !== undefined)
      problems.push({ ...(file === undefined ? {} : { file }), pointer, code: "not-representable", severity: "error", message: `This text ${reason}; shorten or clean it first.` });
  };
  const walk = (value: unknown, pointer: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${pointer}/${i}`));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, `${pointer}/${pointerSegment(k)}`);
    else check(pointer, value);
  };
  walk(input.metadata, "");
  walk(input.judgements, "/judgements");
  walk(input.evidence, "/evidence");
  walk(input.statedConfidence, "/statedConfidence");
  walk(input.published, "/published");
  flattenMetadata(input.metadata, problems, file);
  return problems;
}

/** The workbook's bytes. Check `workbookProblems` first: what it reports would not come back unchanged. */
export async function writeWorkbook(input: WorkbookInput): Promise<Uint8Array> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "mopan-engine";
  workbook.lastModifiedBy = "mopan-engine";
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;

  const { framework, scale, result } = input;
  const policy = framework?.policy;
  const elementValues = policy ? scaleValues(policy.elementScale).map((v) => v.valueOf()) : [];
  const resultsValues = policy ? scaleValues(policy.resultsScale).map((v) => v.valueOf()) : [];

  const readMe = workbook.addWorksheet(SHEETS.readMe);
  const metadataSheet = workbook.addWorksheet(SHEETS.metadata);
  const scores = workbook.addWorksheet(SHEETS.scores, { properties: { outlineProperties: { summaryBelow: false, summaryRight: false } }, views: [{ state: "frozen", ySplit: 1 }] });
  const evidenceSheet = workbook.addWorksheet(SHEETS.evidence, { views: [{ state: "frozen", ySplit: 1 }] });
  const confidenceSheet = workbook.addWorksheet(SHEETS.confidence, { views: [{ state: "frozen", ySplit: 1 }] });
  const publishedSheet = workbook.addWorksheet(SHEETS.published, { views: [{ state: "frozen", ySplit: 1 }] });
  const lists = workbook.addWorksheet(SHEETS.lists, { state: "hidden" });

  // The drop-downs' values: one column per list.
  const listColumns = [[...elementValues, ...FLAGS], [...resultsValues, ...FLAGS], [...EVIDENCE_STREAMS], [...CONFIDENCE_LEVELS]];
  listColumns.forEach((values, c) => values.forEach((value, r) => (lists.getCell(r + 1, c + 1).value = value)));
  const listRange = (c: number) => `${SHEETS.lists}!$${columnLetters(c + 1)}$1:$${columnLetters(c + 1)}$${Math.max(1, listColumns[c]!.length)}`;
  const dropDown = (range: string, what: string) => ({
    type: "list" as const,
    allowBlank: true,
    formulae: [range],
    showErrorMessage: true,
    errorStyle: "stop",
    errorTitle: "Not a value of the list",
    error: `Choose ${what} from the list, or leave the cell blank.`,
  });

  // Read me
  readMe.getColumn(1).width = 110;
  readMeLines(input, elementValues, resultsValues).forEach((line, i) => {
    const cell = readMe.getCell(i + 1, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: "top" };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });

  // Assessment (metadata)
  header(metadataSheet, METADATA_COLUMNS, [36, 60, 60]);
  metadataSheet.getColumn(2).numFmt = "@";
  const rows = templateMetadata(flattenMetadata(input.metadata, []));
  rows.forEach(([field, value], i) => {
    const row = metadataSheet.getRow(i + 2);
    textCell(row.getCell(1), field);
    row.getCell(1).fill = READ_ONLY_FILL;
    const cell = row.getCell(2);
    if (value === "") cell.numFmt = "@";
    else if (typeof value === "string") textCell(cell, value);
    else cell.value = value;
    const note = METADATA_NOTES.find(([pattern]) => pattern.test(field))?.[1];
    if (note) row.getCell(3).value = note;
  });

  // Scores
  header(scores, SCORES_SHEET_COLUMNS, [10, 14, 60, 10, 60, 24, 12, 22]);
  const col = (name: (typeof SCORES_SHEET_COLUMNS)[number]) => SCORES_SHEET_COLUMNS.indexOf(name) + 1;
  for (const name of ["level", "id", "title", "rationale", "evidence"] as const) scores.getColumn(col(name)).numFmt = "@";
  const judgementsById = new Map<string, Judgement[]>();
  for (const j of input.judgements) judgementsById.set(j.id, [...(judgementsById.get(j.id) ?? []), j]);
  const mis = new Map(result?.mis.map((m) => [m.id, m]));
  const kpis = new Map(result?.kpis.map((k) => [k.id, k]));
  const elements = new Map(result?.elements.map((e) => [e.id, e]));
  let r = 2;
  const heading = (level: string, id: string, title: string, outline: number, computed?: { score: number | null; rating: string }) => {
    const row = scores.getRow(r++);
    textCell(row.getCell(col("level")), level);
    textCell(row.getCell(col("id")), id);
    textCell(row.getCell(col("title")), title);
    for (let c = 1; c <= SCORES_SHEET_COLUMNS.length; c++) {
      row.getCell(c).fill = HEADING_FILL;
      row.getCell(c).font = { bold: true };
    }
    if (computed) showRating(row.getCell(col("computed_score")), row.getCell(col("computed_rating")), computed);
    row.outlineLevel = outline;
  };
  const judgementRow = (level: string, id: string, title: string, j: Judgement | undefined, outline: number, values: readonly (number | string)[]) => {
    const row = scores.getRow(r++);
    textCell(row.getCell(col("level")), level);
    textCell(row.getCell(col("id")), id);
    textCell(row.getCell(col("title")), title);
    for (const name of ["level", "id", "title", "computed_score", "computed_rating"] as const) row.getCell(col(name)).fill = READ_ONLY_FILL;
    const scoreCell = row.getCell(col("score"));
    if (j?.score !== undefined) scoreCell.value = j.score;
    if (values.length > 0) scoreCell.dataValidation = dropDown(listRange(level === JUDGEMENT_LEVELS.element ? 0 : 1), `a score (${values.join(", ")}, ${FLAGS.join(", ")})`);
    if (j?.rationale !== undefined) textCell(row.getCell(col("rationale")), j.rationale);
    if (j?.evidence !== undefined && j.evidence.length > 0) textCell(row.getCell(col("evidence")), j.evidence.join("; "));
    row.getCell(col("rationale")).alignment = { wrapText: true, vertical: "top" };
    for (const name of ["score", "rationale", "evidence"] as const) row.getCell(col(name)).protection = { locked: false };
    const computed = elements.get(id);
    if (computed && computed.score !== null && j?.score === undefined) row.getCell(col("computed_score")).value = computed.score;
    const mi = mis.get(id);
    if (mi?.scoring === "rubric") showRating(row.getCell(col("computed_score")), row.getCell(col("computed_rating")), mi);
    row.outlineLevel = outline;
  };
  const written = new Set<Judgement>();
  const take = (id: string): Judgement | undefined => {
    const j = judgementsById.get(id)?.find((x) => !written.has(x));
    if (j) written.add(j);
    return j;
  };
  if (framework) {
    for (const pa of framework.performanceAreas) {
      heading("PA", pa.id, pa.title, 0);
      for (const kpi of pa.kpis) {
        heading("KPI", kpi.id, kpi.title, 1, kpis.get(kpi.id));
        for (const mi of kpi.mis) {
          if (mi.scoring === "rubric") {
            judgementRow(JUDGEMENT_LEVELS.resultsMi, mi.id, mi.title, take(mi.id), 2, resultsValues);
            continue;
          }
          heading("MI", mi.id, mi.title, 2, mis.get(mi.id));
          for (const element of mi.elements) judgementRow(JUDGEMENT_LEVELS.element, element.id, element.title, take(element.id), 3, elementValues);
        }
      }
    }
  }
  // Judgements the framework does not place (unknown ids, repeats), kept so nothing is lost.
  const index = framework ? indexFramework(framework) : undefined;
  for (const j of input.judgements) {
    if (written.has(j)) continue;
    written.add(j);
    judgementRow("", j.id, index?.elements.get(j.id)?.title ?? index?.mis.get(j.id)?.title ?? "", j, 0, []);
  }
  scores.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, r - 1), column: SCORES_SHEET_COLUMNS.length } };

  // Evidence
  header(evidenceSheet, EVIDENCE_SHEET_COLUMNS, [10, 12, 40, 30, 24, 24, 10, 24, 12, 12, 60, 60, 30, 30]);
  EVIDENCE_SHEET_COLUMNS.forEach((name, c) => {
    if (name !== "interviews") evidenceSheet.getColumn(c + 1).numFmt = "@";
  });
  const evidenceRows = input.evidence.map((e) => [
    e.id,
    e.stream,
    e.source.title,
    e.source.url,
    e.source.file,
    e.source.section,
    e.source.page,
    e.source.surveyQuestion,
    e.source.interviews,
    e.date,
    e.quote,
    e.summary,
    e.elements.join("; "),
    Object.entries(e.suggestedScores ?? {})
      .map(([id, s]) => `${id}=${String(s + 0)}`)
      .join("; "),
  ]);
  // The template offers its drop-downs on empty rows too.
  const evidenceRowCount = Math.max(evidenceRows.length, 200);
  for (let i = 0; i < evidenceRowCount; i++) {
    const row = evidenceSheet.getRow(i + 2);
    (evidenceRows[i] ?? []).forEach((value, c) => {
      if (value === undefined || value === "") return;
      if (typeof value === "number") row.getCell(c + 1).value = value;
      else textCell(row.getCell(c + 1), value);
    });
    row.getCell(2).dataValidation = dropDown(listRange(2), `a stream (${EVIDENCE_STREAMS.join(", ")})`);
  }

  // Confidence
  header(confidenceSheet, CONFIDENCE_COLUMNS, [12, 70, 14]);
  const stated = { ...(input.statedConfidence ?? {}) };
  const confidenceIds = [...(framework ? [...indexFramework(framework).mis.keys()] : []), ...Object.keys(stated).filter((id) => !index?.mis.has(id))];
  confidenceIds.forEach((id, i) => {
    const row = confidenceSheet.getRow(i + 2);
    textCell(row.getCell(1), id);
    textCell(row.getCell(2), index?.mis.get(id)?.title ?? "");
    row.getCell(1).fill = READ_ONLY_FILL;
    row.getCell(2).fill = READ_ONLY_FILL;
    const value = stated[id];
    if (typeof value === "string") textCell(row.getCell(3), value);
    row.getCell(3).dataValidation = dropDown(listRange(3), `a confidence (${CONFIDENCE_LEVELS.join(", ")})`);
  });

  // Published
  header(publishedSheet, PUBLISHED_COLUMNS, [8, 12, 10, 24]);
  publishedSheet.getColumn(2).numFmt = "@";
  let p = 2;
  for (const level of ["kpis", "mis"] as const) {
    const entries = input.published?.[level];
    if (!isRecord(entries)) continue;
    for (const [id, entry] of Object.entries(entries)) {
      const row = publishedSheet.getRow(p++);
      textCell(row.getCell(1), level === "kpis" ? "KPI" : "MI");
      textCell(row.getCell(2), id);
      if (isRecord(entry)) {
        if (entry["score"] === null) textCell(row.getCell(3), NULL_TEXT);
        else if (typeof entry["score"] === "number") row.getCell(3).value = entry["score"];
        if (typeof entry["rating"] === "string") textCell(row.getCell(4), entry["rating"]);
      }
    }
  }

  await scores.protect("", {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
    insertColumns: true,
    insertRows: true,
    deleteColumns: false,
    deleteRows: false,
    sort: false,
    autoFilter: true,
  });
  // Columns an assessor adds (notes) must stay writable under the protection.
  for (let c = SCORES_SHEET_COLUMNS.length + 1; c <= SCORES_SHEET_COLUMNS.length + 20; c++) scores.getColumn(c).protection = { locked: false };

  const buffer = await workbook.xlsx.writeBuffer();
  return fixZipTimestamps(new Uint8Array(buffer as ArrayBuffer));

  function showRating(scoreCell: CellLike, ratingCell: CellLike, computed: { score: number | null; rating: string }) {
    if (computed.score !== null) scoreCell.value = computed.score;
    if (!scale) return;
    textCell(ratingCell, ratingLabel(computed.rating, scale));
    const colour = ratingColour(computed.rating, scale);
    ratingCell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(colour) } };
    ratingCell.font = { bold: true, color: { argb: darkText(colour) ? "FF000000" : "FFFFFFFF" } };
  }
}

type CellLike = Cell;

function textCell(cell: Cell, value: string) {
  cell.value = value;
  cell.numFmt = "@";
}

function header(sheet: Worksheet, names: readonly string[], widths: readonly number[]) {
  names.forEach((name, c) => {
    const cell = sheet.getRow(1).getCell(c + 1);
    cell.value = name;
    cell.font = { bold: true };
    cell.fill = READ_ONLY_FILL;
    sheet.getColumn(c + 1).width = widths[c] ?? 14;
  });
}

const argb = (hex: string) => `FF${hex.replace("#", "").toUpperCase().padEnd(6, "0").slice(0, 6)}`;
function darkText(hex: string): boolean {
  const n = parseInt(hex.replace("#", "").slice(0, 6), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150;
}

/** The fields a person fills in, always listed (empty when not given), then every other field of the data. */
const TEMPLATE_FIELDS = [
  "title",
  "organisation.name",
  "organisation.acronym",
  "organisation.url",
  "framework.id",
  "framework.version",
  "methodology",
  "period.from",
  "period.to",
  "assessors.1.name",
  "assessors.1.role",
  "assessors.1.organisation",
  "context.institutionalLeads.1",
  "context.partnerSurvey.from",
  "context.partnerSurvey.to",
  "context.notes",
  "provenance.status",
  "provenance.source",
  "provenance.basis",
  "published.source",
  "published.note",
];

function templateMetadata(rows: readonly MetadataRow[]): (readonly [string, string | number | boolean])[] {
  const given = new Set(rows.map(([field]) => field));
  const hasList = (prefix: string) => rows.some(([field]) => field.startsWith(prefix));
  const out: (readonly [string, string | number | boolean])[] = [...rows];
  for (const field of TEMPLATE_FIELDS) {
    if (given.has(field)) continue;
    // A list already given (assessors.1...) needs no empty first entry.
    const list = /^(.*?)\.1(\.|$)/.exec(field)?.[1];
    if (list !== undefined && hasList(`${list}.`)) continue;
    out.push([field, ""]);
  }
  return out;
}

const METADATA_NOTES: readonly (readonly [RegExp, string])[] = [
  [/(^|\.)(from|to)$/, "An ISO date, as text: 2023, 2023-03 or 2023-03-31 (not 31/03/2023)."],
  [/^methodology$/, "The methodology version whose rating scale applies, as text: 3.1."],
  [/^assessors\.\d+\./, "One assessor per number: assessors.2.name, assessors.2.role, ... for more."],
  [/^context\.institutionalLeads\.\d+$/, "One country per number: context.institutionalLeads.2, ... for more."],
  [/^provenance\.status$/, "verified, reconstructed-high, reconstructed-medium, reconstructed-low or project."],
  [/^framework\.id$/, "The framework's id: do not change it in a template."],
];

function readMeLines(input: WorkbookInput, elementValues: readonly number[], resultsValues: readonly number[]): string[] {
  const fw = input.framework;
  return [
    "How to fill in this assessment workbook",
    `This workbook is a whole assessment${fw ? ` against ${fw.id} ${fw.version}` : ""}. The mopan commands read it as it is: mopan validate this.xlsx, mopan score this.xlsx, mopan report this.xlsx, and mopan import xlsx this.xlsx writes it as JSON.`,
    "Assessment sheet: the metadata, one field per row. Dates are ISO dates written as text: 2023, 2023-03 or 2023-03-31. A list has one row per item: assessors.1.name, assessors.2.name, ...",
    `Scores sheet: one row per element (level "element") and per results MI (level "results MI"), grouped under their performance area, KPI and MI (use the outline buttons on the left to fold them). Heading rows (PA, KPI, MI) are not read.`,
    `score: pick from the drop-down: ${elementValues.length > 0 ? `${elementValues.join(", ")} for an element, ${resultsValues.join(", ")} for a results MI, ` : ""}N/E (judged: no evidence found) or N/A (does not apply). Leave it blank while the item is not judged yet: mopan validate --strict then fails, and scores count it like N/E but say how many are not judged.`,
    "A blank score with suggested scores in the Evidence sheet is derived from them (triangulated); a blank score with none is not judged yet.",
    "rationale: why the score. evidence: the ids of the evidence entries behind it, separated by ; (ev-01; ev-02).",
    "The grey columns (level, id, title, computed score and rating) are read-only: ids say what is judged, and the computed columns show the scores and rating colours as they were when the workbook was written; run mopan score for current ones.",
    "Evidence sheet: one row per evidence entry. stream is document, survey, interview or other. elements lists the ids the evidence speaks to, separated by ;. suggested_scores is id=score pairs separated by ; (MI1.1.E1=3; MI1.1.E2=2). interviews is a whole number. date is an ISO date as text.",
    "Confidence sheet: the confidence the assessors state per MI (high, medium or low), shown beside the computed one. Published sheet: scores and ratings as a published report printed them (score null when none was printed).",
    "You may reorder columns, add columns of your own (they are not read), hide rows, format cells and use formulas: a formula is read by the value it last showed, so save the workbook in your spreadsheet program before running mopan.",
  ];
}
