import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Evidence, Judgement } from "../../src/assessment/schema.js";
import { readAssessmentSource } from "../../src/io/assessment-files.js";
import { EVIDENCE_SPEC, SCORES_SPEC, csvProblems, evidenceToCsv, judgementsToCsv, normaliseTables, parseScore, tableFromCsv } from "../../src/io/csv/assessment-csv.js";
import { columnKey, detectDelimiter, parseCsv } from "../../src/text/csv-read.js";
import { neutraliseCell, toCsv, unescapeCell } from "../../src/text/csv-write.js";

const values = (text: string, spec = SCORES_SPEC) => {
  const table = parseCsv(text, spec, "t.csv");
  return table.rows.map((r) => Object.fromEntries([...r.cells].map(([k, c]) => [k, c.value])));
};

describe("reading spreadsheet CSV", () => {
  it("reads BOM, ';', CRLF, quoted line breaks, blank rows and header variants", () => {
    const text = '\ufeffID ; Score;RATIONALE; Evidence \r\nMI1.1.E1;3;"two\r\nlines; with ""quotes""";" d1 ;d2"\r\n\r\nMI1.1.E2;N/E;;\r\n;;;\r\n\r\n';
    const table = parseCsv(text, SCORES_SPEC, "t.csv");
    expect(table.delimiter).toBe(";");
    expect(table.ok).toBe(true);
    expect(table.diagnostics).toEqual([]);
    expect(table.rows.map((r) => r.line)).toEqual([2, 5]);
    expect(values(text)).toEqual([
      { id: "MI1.1.E1", score: "3", rationale: 'two\r\nlines; with "quotes"', evidence: " d1 ;d2" },
      { id: "MI1.1.E2", score: "N/E", rationale: "", evidence: "" },
    ]);
  });

  it("matches header names ignoring case, spaces, _ and -", () => {
    for (const name of ["Survey Question", "survey_question", " SURVEY-QUESTION ", "surveyQuestion", "survey  question"]) {
      expect(columnKey(name)).toBe("survey_question");
    }
    const table = parseCsv("Id,Stream,Title,Elements,Survey Question,Suggested-Scores\nd1,document,T,MI1.1.E1,Q4,MI1.1.E1=3\n", EVIDENCE_SPEC);
    expect([...table.columns.keys()]).toEqual(["id", "stream", "title", "elements", "survey_question", "suggested_scores"]);
    expect(table.diagnostics).toEqual([]);
  });

  it("detects the delimiter from the header line, outside quotes", () => {
    expect(detectDelimiter("id,score\n1;2;3;4\n")).toBe(",");
    expect(detectDelimiter('"a,b,c";d\n')).toBe(";");
    expect(detectDelimiter("id\tscore\trationale\n")).toBe("\t");
    expect(detectDelimiter("\n\nid;score\n")).toBe(";");
    expect(detectDelimiter("id\n")).toBe(",");
  });

  it("reports an unclosed quote as invalid-csv at the quote, never throwing", () => {
    const table = parseCsv('id,score,rationale\nMI1.1.E1,3,ok\nMI1.1.E2,2,"never closed\nMI1.1.E3,1,x\n', SCORES_SPEC, "s.csv");
    expect(table.ok).toBe(false);
    expect(table.rows).toEqual([]);
    expect(table.diagnostics).toEqual([expect.objectContaining({ file: "s.csv", code: "invalid-csv", severity: "error", line: 3, column: 12 })]);
  });

  it("reports unknown and missing columns with their place", () => {
    const unknown = parseCsv("id;score;rationle;# notes\nMI1.1.E1;3;x;mine\nMI1.1.E2;2;;;stray\n", SCORES_SPEC, "s.csv");
    expect(unknown.ok).toBe(true);
    expect(unknown.diagnostics).toEqual([
      expect.objectContaining({ code: "unknown-column", received: "rationle", line: 1, column: 10 }),
      expect.objectContaining({ code: "unknown-column", received: "stray", line: 3, column: 14 }),
    ]);
    expect(unknown.diagnostics[0]!.message).toContain('"rationle"');
    const missing = parseCsv("\n\nid,rationale\nMI1.1.E1,x\n", SCORES_SPEC, "s.csv");
    expect(missing.ok).toBe(false);
    expect(missing.diagnostics).toEqual([expect.objectContaining({ code: "missing-column", expected: "score", line: 3, column: 1 })]);
    const empty = parseCsv("", SCORES_SPEC, "s.csv");
    // A blank file lacks its header line: one problem, naming every required column.
    expect(empty.diagnostics.map((d) => [d.code, d.line, d.expected])).toEqual([["missing-column", 1, "id, score"]]);
  });

  it("keeps rows' line numbers and cells' columns across quoted line breaks and non-ASCII text", () => {
    const table = parseCsv('id,score,rationale\n"MI1.1.E1",3,"a\nb"\nMI1.1.E2,é,"ü"\n', SCORES_SPEC);
    const at = (row: number, column: string) => {
      const cell = table.rows[row]!.cells.get(column)!;
      return [cell.line, cell.column];
    };
    expect(at(0, "id")).toEqual([2, 1]);
    expect(at(0, "rationale")).toEqual([2, 14]);
    expect(at(1, "id")).toEqual([4, 1]);
    expect(at(1, "score")).toEqual([4, 10]);
    expect(at(1, "rationale")).toEqual([4, 12]);
  });

  it("keeps formula-looking cells as text", () => {
    expect(values("id,score,rationale\nMI1.1.E1,=1+2,@SUM(A1)\n")).toEqual([{ id: "MI1.1.E1", score: "=1+2", rationale: "@SUM(A1)" }]);
  });
});

describe("formula neutralisation", () => {
  it("prefixes formula-like cells but not plain numbers", () => {
    expect(["=1+1", "+A1", "-x", "@SUM(A1)", "\tx", "\rx", "-1", "+2.5", "-1e3", "plain", "'=x", "'plain", ""].map(neutraliseCell)).toEqual([
      "'=1+1",
      "'+A1",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "-1",
      "+2.5",
      "-1e3",
      "plain",
      "''=x",
      "'plain",
      "",
    ]);
    expect(toCsv(["a", "b"], [['=HYPERLINK("x")', "-1"]])).toBe('a,b\n"\'=HYPERLINK(""x"")",-1\n');
    expect(toCsv(["a"], [["x"]], "\r\n")).toBe("a\r\nx\r\n");
  });

  it("is reversed exactly on read", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", "=", "+", "-", "@", "\t", "\r", "1", "a", " ", ".") }), (cell) => {
        expect(unescapeCell(neutraliseCell(cell))).toBe(cell);
        const text = toCsv(["id", "score", "rationale"], [["MI1.1.E1", "3", cell]]);
        expect(parseCsv(text, SCORES_SPEC).rows[0]!.cells.get("rationale")!.value).toBe(cell);
      }),
      { numRuns: 500 },
    );
  });
});

describe("scores.csv and evidence.csv", () => {
  const clean = 'id,title,score,rationale,evidence\nMI1.1.E1,Strategic plan,2.5,"Plan exists, partly",d1; d2\nMI1.1.E2,,n/e,,\nMI9.1,,N/A,,\nMI1.1.E3,,,No score given,\n';
  const spreadsheet =
    '\ufeffID;Title;Score;Rationale;Evidence\r\nMI1.1.E1;Strategic plan;2,5;Plan exists, partly;"d1;d2"\r\nMI1.1.E2;;N/E;;\r\nMI9.1;;n/a;;\r\nMI1.1.E3;;;No score given;\r\n;;;;\r\n;;;;\r\n';

  it("gives the same judgements from a spreadsheet export and from clean CSV", () => {
    const a = tableFromCsv("judgements", clean, "a.csv");
    const b = tableFromCsv("judgements", spreadsheet, "b.csv");
    expect(a.diagnostics).toEqual([]);
    expect(b.diagnostics).toEqual([]);
    expect(a.items).toEqual([
      { id: "MI1.1.E1", score: 2.5, rationale: "Plan exists, partly", evidence: ["d1", "d2"] },
      { id: "MI1.1.E2", score: "N/E" },
      { id: "MI9.1", score: "N/A" },
      { id: "MI1.1.E3", rationale: "No score given" },
    ]);
    expect(b.items).toEqual(a.items);
  });

  it("accepts a decimal comma only where the delimiter leaves it free, and leaves bad values to the schema", () => {
    expect(parseScore("2,5", true)).toBe(2.5);
    expect(parseScore("2,5", false)).toBe("2,5");
    expect(parseScore(" 3 ", false)).toBe(3);
    expect(parseScore("abc", false)).toBe("abc");
    expect(parseScore("n/A", false)).toBe("N/A");
    const evidence = tableFromCsv("evidence", "id,stream,title,elements,interviews,page\nd1,Document,Report,MI1.1.E1,x,12\n", "e.csv");
    expect(evidence.items).toEqual([{ id: "d1", stream: "document", source: { title: "Report", page: "12", interviews: "x" }, elements: ["MI1.1.E1"] }]);
  });

  it("reads suggested scores and reports malformed ones at the cell", () => {
    const read = tableFromCsv("evidence", 'id;stream;title;elements;suggested_scores\nd1;survey;Survey;MI1.1.E1;"MI1.1.E1=3; MI1.1.E2 = 2,5 ;"\n', "e.csv");
    expect(read.diagnostics).toEqual([]);
    expect(read.items[0]).toMatchObject({ elements: ["MI1.1.E1"], suggestedScores: { "MI1.1.E1": 3, "MI1.1.E2": 2.5 } });
    // Unquoted, the cell's ";" split the row: what fell into unnamed columns is reported, not dropped.
    const split = tableFromCsv("evidence", "id;stream;title;elements;suggested_scores\nd1;survey;Survey;MI1.1.E1;MI1.1.E1=3; MI1.1.E2=2\n", "e.csv");
    expect(split.diagnostics).toEqual([expect.objectContaining({ code: "unknown-column", received: " MI1.1.E2=2", line: 2, column: 38 })]);
    const quoted = tableFromCsv("evidence", 'id;stream;title;elements;suggested_scores\nd1;survey;Survey;MI1.1.E1;"MI1.1.E1=3; bad; MI1.1.E1=1"\n', "e.csv");
    expect(quoted.diagnostics).toEqual([
      expect.objectContaining({ code: "invalid-cell", line: 2, column: 27, pointer: "/evidence/0/suggestedScores" }),
      expect.objectContaining({ code: "invalid-cell", line: 2, column: 27 }),
    ]);
  });

  it("locates JSON pointers at their cells", () => {
    const scores = tableFromCsv("judgements", clean, "scores.csv");
    expect(scores.locate("/judgements/0/score")).toEqual({ file: "scores.csv", line: 2, column: 25 });
    expect(scores.locate("/judgements/0/evidence/1")).toEqual({ file: "scores.csv", line: 2, column: 51 });
    expect(scores.locate("/judgements/3")).toEqual({ file: "scores.csv", line: 5, column: 1 });
    expect(scores.locate("/judgements")).toEqual({ file: "scores.csv", line: 1, column: 1 });
    expect(scores.locate("/evidence/0")).toBeUndefined();
    expect(scores.locate("/methodology")).toBeUndefined();
    const evidence = tableFromCsv("evidence", 'id,stream,title,elements,suggested_scores\nd1,document,Report,MI1.1.E1,\nd2,survey,"Survey",MI1.1.E1,MI1.1.E1=3\n', "evidence.csv");
    expect(evidence.locate("/evidence/1/source/title")).toEqual({ file: "evidence.csv", line: 3, column: 11 });
    expect(evidence.locate("/evidence/1/source")).toEqual({ file: "evidence.csv", line: 3, column: 11 });
    expect(evidence.locate("/evidence/1/suggestedScores/MI1.1.E1")).toEqual({ file: "evidence.csv", line: 3, column: 29 });
    expect(evidence.locate("/evidence/1/date")).toEqual({ file: "evidence.csv", line: 3, column: 1 });
  });

  it("writes titles from the framework only as information", () => {
    const text = judgementsToCsv([{ id: "MI1.1.E1", score: 3 }]);
    expect(text).toBe("id,title,score,rationale,evidence\nMI1.1.E1,,3,,\n");
    expect(tableFromCsv("judgements", "id,title,score\nMI1.1.E1,Anything at all,3\n", "s.csv").items).toEqual([{ id: "MI1.1.E1", score: 3 }]);
  });

  it("names what a table cannot hold", () => {
    const problems = csvProblems([{ id: " MI1.1.E1", evidence: ["a;b"] }], [{ id: "d1", stream: "document", source: { title: "t" }, elements: [], suggestedScores: { "x=y": 1 } }]);
    expect(problems.map((d) => d.pointer)).toEqual(["/judgements/0/id", "/judgements/0/evidence/0", "/evidence/0/suggestedScores/x=y"]);
  });
});

describe("round trip JSON -> CSV -> JSON", () => {
  const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,12}$/);
  // Text as assessors write it, and worse: delimiters, quotes, line breaks, formula starts, apostrophes.
  const text = fc.string({
    unit: fc.oneof(fc.constantFrom(",", ";", '"', "'", "\n", "\r", "\r\n", "\t", "=", "+", "-", "@", " ", "é", "😀"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
    maxLength: 40,
  });
  const number = fc.oneof(fc.integer({ min: -5, max: 10 }), fc.constantFrom(0.5, 2.5, 3.25, -1.5, 1e21, 1e-7), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const score = fc.oneof(number, fc.constantFrom("N/E" as const, "N/A" as const));
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  const judgement: fc.Arbitrary<Judgement> = fc.record({ id, score: opt(score), rationale: opt(text), evidence: opt(fc.array(id, { maxLength: 4 })) }).map((j) => defined(j) as Judgement);
  const evidence: fc.Arbitrary<Evidence> = fc
    .record({
      id,
      stream: fc.constantFrom("document", "survey", "interview", "other" as const),
      source: fc.record({ title: text, url: opt(text), file: opt(text), section: opt(text), page: opt(text), surveyQuestion: opt(text), interviews: opt(fc.nat(500)) }).map(defined),
      date: opt(fc.constantFrom("2023", "2023-03", "2023-03-31")),
      quote: opt(text),
      summary: opt(text),
      elements: fc.array(id, { maxLength: 4 }),
      suggestedScores: opt(fc.dictionary(id, number, { maxKeys: 3 })),
    })
    .map((e) => defined(e) as Evidence);

  it("loses nothing, with , and ; files alike", () => {
    fc.assert(
      fc.property(fc.array(judgement, { maxLength: 6 }), fc.array(evidence, { maxLength: 4 }), fc.boolean(), (judgements, evidenceList, crlf) => {
        expect(csvProblems(judgements, evidenceList)).toEqual([]);
        const eol = crlf ? "\r\n" : "\n";
        const scores = tableFromCsv("judgements", judgementsToCsv(judgements, undefined, eol), "scores.csv");
        const ev = tableFromCsv("evidence", evidenceToCsv(evidenceList, eol), "evidence.csv");
        expect(scores.diagnostics).toEqual([]);
        expect(ev.diagnostics).toEqual([]);
        const expected = normaliseTables({ judgements, evidence: evidenceList });
        expect(normaliseTables({ judgements: scores.items, evidence: ev.items })).toEqual(expected);
        // The same tables as a spreadsheet saves them in a ";" locale: BOM, ";" and CRLF.
        const resave = (csv: string) => "\ufeff" + stringify(parse(csv) as string[][], { delimiter: ";", record_delimiter: "windows", quoted_match: /[\r\n]/ });
        const scores2 = tableFromCsv("judgements", resave(judgementsToCsv(judgements)), "scores.csv");
        const ev2 = tableFromCsv("evidence", resave(evidenceToCsv(evidenceList)), "evidence.csv");
        expect(scores2.diagnostics).toEqual([]);
        expect(ev2.diagnostics).toEqual([]);
        expect(normaliseTables({ judgements: scores2.items, evidence: ev2.items })).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("treats absent and empty optional fields as equal, and nothing else", () => {
    const a = normaliseTables({ judgements: [{ id: "x", rationale: "", evidence: [] }], evidence: [{ id: "d", stream: "Survey", source: { title: "t", url: "" }, suggestedScores: {} }] });
    const b = normaliseTables({ judgements: [{ id: "x" }], evidence: [{ id: "d", stream: "survey", source: { title: "t" }, elements: [] }] });
    expect(a).toEqual(b);
    expect(normaliseTables({ judgements: [{ id: "x", rationale: " " }], evidence: [] })).not.toEqual(normaliseTables({ judgements: [{ id: "x" }], evidence: [] }));
  });
});

describe("assessment folders with CSV tables", () => {
  const root = mkdtempSync(join(tmpdir(), "mopan-csv-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string, files: Record<string, string>) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    return dir;
  };
  const meta = { organisation: { name: "X" }, framework: { id: "mopan-3.1" }, methodology: "3.1", period: { from: "2023", to: "2023" }, assessors: [] };

  it("merges scores.csv and evidence.csv into the assessment, also when given scores.csv", () => {
    const dir = folder("ok", {
      "assessment.json": JSON.stringify({ ...meta, judgements: [] }),
      "scores.csv": "id;score;evidence\r\nMI1.1.E1;3;d1\r\n",
      "evidence.csv": "id,stream,title,elements\nd1,document,Plan,MI1.1.E1\n",
    });
    for (const path of [dir, join(dir, "scores.csv"), join(dir, "assessment.json")]) {
      const source = readAssessmentSource(path);
      expect(source.diagnostics).toEqual([]);
      expect(source.raw).toEqual({
        ...meta,
        judgements: [{ id: "MI1.1.E1", score: 3, evidence: ["d1"] }],
        evidence: [{ id: "d1", stream: "document", source: { title: "Plan" }, elements: ["MI1.1.E1"] }],
      });
      expect(source.locate?.("/judgements/0/score")).toMatchObject({ line: 2, column: 10 });
      expect(source.locate?.("/evidence/0/elements/0")).toMatchObject({ line: 2, column: 18 });
      // What stays in assessment.json is located there.
      expect(source.locate?.("/methodology")).toEqual({ line: 1, column: JSON.stringify({ ...meta, judgements: [] }).indexOf('"3.1"') + 1 });
    }
  });

  it("refuses judgements in both places", () => {
    const dir = folder("twice", { "assessment.json": JSON.stringify({ ...meta, judgements: [{ id: "MI1.1.E1", score: 2 }] }), "scores.csv": "id,score\nMI1.1.E1,3\n" });
    const source = readAssessmentSource(dir);
    expect(source.raw).toBeUndefined();
    expect(source.diagnostics).toEqual([expect.objectContaining({ code: "duplicate-source", pointer: "/judgements", severity: "error" })]);
  });

  it("reads a JSON file of another name, and folders without CSV, as before", () => {
    const dir = folder("json", { "other.json": JSON.stringify({ ...meta, judgements: [{ id: "MI1.1.E1", score: 2 }] }), "scores.csv": "id,score\nMI1.1.E2,3\n" });
    const source = readAssessmentSource(join(dir, "other.json"));
    expect(source.diagnostics).toEqual([]);
    expect(source.locate?.("/judgements/0/score")).toMatchObject({ line: 1 });
    expect((source.raw as { judgements: unknown }).judgements).toEqual([{ id: "MI1.1.E1", score: 2 }]);
  });
});
