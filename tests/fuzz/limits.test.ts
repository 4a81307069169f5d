/**
 * The declared limits of src/text/limits.ts: each refuses input beyond it with its own diagnostic
 * code, and deep nesting cannot crash anything (JSON.parse, zod, the scanners and walkers).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Assessment } from "../../src/assessment/schema.js";
import { checkAssessment } from "../../src/assessment/check.js";
import { diagnosticsFromZod } from "../../src/text/from-zod.js";
import { FrameworkDocument } from "../../src/framework/schema.js";
import { readAssessmentSource } from "../../src/io/assessment-files.js";
import { parseCsv } from "../../src/text/csv-read.js";
import { SCORES_SPEC } from "../../src/io/csv/assessment-csv.js";
import { layoutJson } from "../../src/text/json-locate.js";
import { findJsonSyntaxError } from "../../src/text/json-syntax.js";
import { readJson, readJsonDocument } from "../../src/io/json.js";
import { LineIndex, lineAndColumn, parseJson } from "../../src/text/json.js";
import { LIMITS, checkJsonLimits, findTooDeep } from "../../src/text/limits.js";
import { ROOT, cli } from "./support.js";

const TMP = mkdtempSync(join(tmpdir(), "mopan-limits-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const IOM = JSON.parse(readFileSync(join(ROOT, "assessments/iom-2023/assessment.json"), "utf8")) as Record<string, unknown> & {
  judgements: Record<string, unknown>[];
  evidence: Record<string, unknown>[];
};

/** An assessment folder holding `files`; returns its path. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(TMP, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

const codes = (diagnostics: readonly { code: string }[]) => [...new Set(diagnostics.map((d) => d.code))];

describe("the limits are data, in one place", () => {
  it("each limit has its own code, a positive bound, a unit and what it applies to", () => {
    const limits = Object.values(LIMITS);
    expect(new Set(limits.map((l) => l.code)).size).toBe(limits.length);
    for (const limit of limits) {
      expect(limit.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(limit.max).toBeGreaterThan(0);
      expect(limit.unit).not.toBe("");
      expect(limit.applies.length).toBeGreaterThan(10);
    }
    expect(LIMITS.fileSize.code).toBe("file-too-large");
    expect(LIMITS.jsonDepth).toMatchObject({ code: "nesting-too-deep", max: 64 });
  });

  it("the reference assessment and the shipped frameworks are far inside every limit", () => {
    for (const file of ["assessments/iom-2023/assessment.json", "framework/mopan-3.1.json", "framework/mopan-3.1-crisis.json"]) {
      const read = readJson(join(ROOT, file));
      expect(read.ok, file).toBe(true);
    }
  });
});

describe("each limit refuses input beyond it with its code", () => {
  it("file size: file-too-large, before reading", () => {
    const dir = folder("big", { "assessment.json": Buffer.alloc(LIMITS.fileSize.max + 1, 0x20) });
    const source = readAssessmentSource(dir);
    expect(source.raw).toBeUndefined();
    expect(codes(source.diagnostics)).toEqual(["file-too-large"]);
    expect(source.diagnostics[0]!.message).toContain(String(LIMITS.fileSize.max));
  });

  it("nesting: nesting-too-deep at the place it first exceeds 64 levels, valid JSON or not", () => {
    const at = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    expect(parseJson(at(64)).ok).toBe(true);
    for (const text of [at(65), "[".repeat(65), `{"a":${'{"b":'.repeat(70)}1${"}".repeat(70)}}`, `\n\n  ${"[".repeat(1_000_000)}`]) {
      const parsed = parseJson(text, "x.json");
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.diagnostics).toEqual([expect.objectContaining({ code: "nesting-too-deep", file: "x.json", line: expect.any(Number), column: expect.any(Number) })]);
    }
    const parsed = parseJson(`\n\n  ${"[".repeat(100)}`);
    expect(!parsed.ok && parsed.diagnostics[0]).toMatchObject({ line: 3, column: 2 + 65 });
    // Brackets inside strings do not count; escaped quotes do not end a string.
    expect(parseJson(JSON.stringify({ text: "[".repeat(1000), q: '"[[[[' })).ok).toBe(true);
  });

  it("values: too-many-values", () => {
    const value = Array.from({ length: 300 }, () => Array.from({ length: 1000 }, () => 0));
    expect(codes(checkJsonLimits(value))).toEqual(["too-many-values"]);
    expect(checkJsonLimits(Array.from({ length: 1000 }, () => [1, 2, 3]))).toEqual([]);
  });

  it("entries: too-many-entries on the list that is too long, by pointer", () => {
    const judgements = Array.from({ length: LIMITS.jsonEntries.max + 1 }, () => 0);
    expect(checkJsonLimits({ judgements }, "a.json")).toEqual([expect.objectContaining({ code: "too-many-entries", file: "a.json", pointer: "/judgements" })]);
    const keys = Object.fromEntries(Array.from({ length: LIMITS.jsonEntries.max + 1 }, (_, i) => [`k${i}`, 0]));
    expect(checkJsonLimits({ evidence: [{ suggestedScores: keys }] })).toEqual([expect.objectContaining({ code: "too-many-entries", pointer: "/evidence/0/suggestedScores" })]);
  });

  it("strings: string-too-long (a 5 MB rationale), with its line and column", () => {
    const data = structuredClone(IOM);
    data.judgements[3]!["rationale"] = "x".repeat(5_000_000);
    const dir = folder("long-string", { "assessment.json": JSON.stringify(data, null, 2) });
    const source = readAssessmentSource(dir);
    expect(source.raw).toBeUndefined();
    expect(source.diagnostics).toEqual([expect.objectContaining({ code: "string-too-long", pointer: "/judgements/3/rationale", line: expect.any(Number) })]);
    expect(source.diagnostics[0]!.message).toContain("5,000,000 characters");
    // Keys count too.
    expect(codes(checkJsonLimits({ ["k".repeat(LIMITS.stringLength.max + 1)]: 1 }))).toEqual(["string-too-long"]);
  });

  it("__proto__ keys: forbidden-key, wherever they are", () => {
    for (const text of ['{"__proto__": {"polluted": 1}}', '{"a": [{"b": {"__proto__": 3}}]}']) {
      const parsed = parseJson(text);
      expect(parsed.ok && checkJsonLimits(parsed.value).map((d) => d.code)).toEqual(["forbidden-key"]);
    }
    // constructor and prototype are ordinary keys here (the schema reports them as unknown).
    const parsed = parseJson('{"constructor": {"prototype": 1}}');
    expect(parsed.ok && checkJsonLimits(parsed.value)).toEqual([]);
  });

  it("CSV rows, cells per row and cell length: too-many-rows, too-many-columns, cell-too-long, with their place", () => {
    const rows = "id,score\n" + "MI1.1.E1,3\n".repeat(LIMITS.csvRows.max);
    expect(parseCsv(rows, SCORES_SPEC, "s.csv")).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ code: "too-many-rows", line: LIMITS.csvRows.max + 1 })] });
    const wide = `id,score\nMI1.1.E1,3${",x".repeat(LIMITS.csvColumns.max)}\n`;
    expect(parseCsv(wide, SCORES_SPEC, "s.csv")).toMatchObject({ ok: false, diagnostics: [expect.objectContaining({ code: "too-many-columns", line: 2, column: 1 })] });
    const long = `id,score,rationale\nMI1.1.E1,3,"${"y".repeat(LIMITS.csvCell.max + 1)}"\n`;
    expect(parseCsv(long, SCORES_SPEC, "s.csv")).toMatchObject({ ok: false, rows: [], diagnostics: [expect.objectContaining({ code: "cell-too-long", line: 2, column: 12 })] });
    // At the limits, the table is read.
    expect(parseCsv(`id,score,rationale\nMI1.1.E1,3,"${"y".repeat(LIMITS.csvCell.max)}"\n`, SCORES_SPEC).ok).toBe(true);
  });

  it("schema problems: at most 10,000 listed, then too-many-problems", () => {
    const raw = { ...IOM, judgements: Array.from({ length: 20_000 }, () => ({})) };
    const parsed = Assessment.safeParse(raw);
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      const diagnostics = diagnosticsFromZod(parsed.error, raw, "a.json");
      expect(diagnostics).toHaveLength(LIMITS.schemaProblems.max + 1);
      expect(diagnostics.at(-1)).toMatchObject({ code: "too-many-problems", pointer: "" });
    }
  });

  it("through the CLI: every limit is a diagnostic and exit 1, never a crash", () => {
    const deep = folder("cli-deep", { "assessment.json": `{"context": {"notes": ${"[".repeat(200_000)}${"]".repeat(200_000)}}}` });
    const run = cli(["validate", deep]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("nesting-too-deep");
  });
});

describe("deep nesting cannot crash anything", () => {
  const DEPTH = 500_000;
  const deepArray = "[".repeat(DEPTH) + "]".repeat(DEPTH);
  const deepObject = '{"a":'.repeat(DEPTH) + "0" + "}".repeat(DEPTH);

  it("V8's JSON.parse survives 500,000 levels (the depth scan refuses them before it anyway)", () => {
    expect(() => JSON.parse(deepArray)).not.toThrow();
    expect(findTooDeep(deepArray)).toBe(LIMITS.jsonDepth.max);
  });

  it("the syntax scanner, the layout scanner and the limits walker are iterative", () => {
    expect(findJsonSyntaxError("[".repeat(DEPTH))).toMatchObject({ message: "unexpected end of file" });
    expect(() => layoutJson(deepArray)).not.toThrow();
    expect(() => layoutJson(deepObject)).not.toThrow();
    // 500,000 levels are 500,001 values: over the values limit, found without recursion.
    expect(checkJsonLimits(JSON.parse(deepObject)).map((d) => d.code)).toEqual(["too-many-values"]);
    expect(checkJsonLimits(JSON.parse('{"a":'.repeat(200_000) + "0" + "}".repeat(200_000)))).toEqual([]);
  });

  it("zod and the assessment and framework checks only descend as far as their schemas", () => {
    const deep = JSON.parse(deepObject) as unknown;
    expect(() => Assessment.safeParse({ ...IOM, context: { notes: deep } })).not.toThrow();
    expect(() => FrameworkDocument.safeParse({ id: "x", performanceAreas: [{ id: "PA1", kpis: deep }] })).not.toThrow();
    expect(() => checkAssessment({ ...IOM, statedConfidence: deep, published: deep }, { framework: undefined, scale: undefined })).not.toThrow();
  });

  it("readJsonDocument refuses a deep file with nesting-too-deep", () => {
    const file = join(TMP, "deep.json");
    writeFileSync(file, deepObject);
    const read = readJsonDocument(file);
    expect(!read.ok && read.diagnostics.map((d) => d.code)).toEqual(["nesting-too-deep"]);
  });
});

describe("positions of many diagnostics", () => {
  it("LineIndex gives what lineAndColumn gives, for every offset", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "\n", "\r", "é", " "), maxLength: 60 }), (text) => {
        const index = new LineIndex(text);
        for (let offset = -1; offset <= text.length + 1; offset++) expect(index.at(offset)).toEqual(lineAndColumn(text, offset));
      }),
      { numRuns: 300 },
    );
  });

  it("20,000 problems in a 10 MB file are located in seconds, not minutes", () => {
    const data = structuredClone(IOM);
    while (data.judgements.length < 20_000) data.judgements.push(data.judgements[data.judgements.length % 100]!);
    const dir = folder("many", { "assessment.json": JSON.stringify(data, null, 2) });
    const started = Date.now();
    const run = cli(["validate", dir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/duplicate-judgement/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
