/**
 * Nothing lost: JSON -> CSV -> JSON through the CLI (export csv, then import csv) keeps every field
 * of an assessment, and unknown fields are refused by name, never silently dropped, in JSON files
 * (assessments, frameworks, rating scales, crosswalks, uncertainty models) and CSV tables.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FORMULAS, INJECTION } from "../../scripts/fuzz/cases.mjs";
import { normaliseTables } from "../../src/io/csv/assessment-csv.js";
import { ROOT, mopan, readJsonFile, writeTree, scratch } from "./support.js";

const { fresh } = scratch("round-trip");

const FRAMEWORKS = fresh("frameworks");
cpSync(join(ROOT, "tests/fixtures/frameworks/valid.json"), join(FRAMEWORKS, "fixture-base.json"));
const LEAVES = ["MI1.1.E1", "MI1.1.E2", "MI1.1.E3", "MI1.2.E1", "MI1.2.E2", "MI2.1.E1", "MI2.1.E2", "MI2.2"];

// Text as assessors write it, and worse.
const piece = fc.oneof(
  fc.constantFrom(",", ";", '"', "'", "\n", "\r\n", "\r", "\t", "=", "+", "-", "@", " ", "é", "😀", "\u200b", "\u202e", "N/E", "=1+1", "'=x", "__proto__"),
  fc.constantFrom(...INJECTION, ...FORMULAS),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
);
const text = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const evidenceId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/=+-]{0,10}$/);

/** A complete assessment of the fixture framework: every field of the schema, hostile text in every text field. */
const assessment = fc
  .record({
    title: text,
    organisation: fc.record({ name: text, acronym: text, url: text }),
    assessors: fc.array(fc.record({ name: text, role: opt(text), organisation: opt(text) }).map(defined), { maxLength: 3 }),
    context: fc.record({ institutionalLeads: fc.array(text, { maxLength: 3 }), partnerSurvey: fc.constant({ from: "2022-12", to: "2023-01-20" }), notes: text }),
    provenance: fc.record({ status: fc.constantFrom("project", "reconstructed-low"), source: text, basis: text }),
    leaves: fc.subarray(LEAVES, { minLength: 1 }),
    scores: fc.array(fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, "N/E", "N/A"), fc.constant(undefined)), { minLength: 8, maxLength: 8 }),
    rationales: fc.array(opt(text), { minLength: 8, maxLength: 8 }),
    evidence: fc.uniqueArray(
      fc.record({
        id: evidenceId,
        stream: fc.constantFrom("document", "survey", "interview", "other"),
        source: fc.record({ title: text, url: opt(text), file: opt(text), section: opt(text), page: opt(text), surveyQuestion: opt(text), interviews: opt(fc.nat(500)) }).map(defined),
        date: opt(fc.constantFrom("2023", "2023-03", "2023-03-31")),
        quote: opt(text),
        summary: opt(text),
        elements: fc.subarray(LEAVES),
        suggested: fc.subarray(LEAVES.slice(0, 7), { maxLength: 3 }),
      }),
      { selector: (e) => e.id, maxLength: 4 },
    ),
    statedConfidence: fc.dictionary(fc.constantFrom("MI1.1", "MI1.2", "MI2.1", "MI2.2"), fc.constantFrom("high", "medium", "low")),
    published: fc.record({ source: text, note: text }),
  })
  .map((g) => {
    const evidence = g.evidence.map(({ suggested, ...e }) => defined({ ...e, ...(suggested.length > 0 ? { suggestedScores: Object.fromEntries(suggested.map((id, i) => [id, i % 5])) } : {}) }));
    const ids = evidence.map((e) => e.id);
    return {
      $schema: "../../schema/assessment.schema.json",
      title: g.title,
      organisation: g.organisation,
      framework: { id: "fixture-base", version: "1.0.0" },
      methodology: "3.1",
      period: { from: "2020-01", to: "2023-03-31" },
      assessors: g.assessors,
      context: g.context,
      provenance: g.provenance,
      judgements: g.leaves.map((id, i) => defined({ id, score: g.scores[i], rationale: g.rationales[i], evidence: ids.length > 0 ? [ids[i % ids.length]!] : undefined })),
      evidence,
      statedConfidence: g.statedConfidence,
      published: { ...g.published, kpis: { KPI1: { score: 2.5, rating: "unsatisfactory" } }, mis: { "MI1.1": { score: null } } },
    };
  });

/** Diagnostics without where they point in which file (JSON pointer kept): the same problems. */
const problems = (json: string) =>
  (JSON.parse(json) as { diagnostics: { code: string; pointer?: string; message: string }[] }).diagnostics
    .map((d) => `${d.code} ${d.pointer ?? ""} ${d.message.replaceAll(/\S+\/(assessment\.json|scores\.csv|evidence\.csv)\S*/g, "<file>")}`)
    .sort();

describe("JSON -> CSV -> JSON keeps every field", () => {
  it("export csv then import csv gives the assessment back; validate and score see the same data", async () => {
    let scored = 0;
    await fc.assert(
      fc.asyncProperty(assessment, async (data) => {
        const a = fresh("a");
        const b = fresh("b");
        writeFileSync(join(a, "assessment.json"), JSON.stringify(data, null, 2));
        const exported = await mopan("export", "csv", a, "--out", b);
        expect(exported.status, exported.stderr).toBe(0);
        const combined = join(a, "combined.json");
        const imported = await mopan("import", "csv", b, "--out", combined);
        expect(imported.status, imported.stderr).toBe(0);
        const back = readJsonFile(combined) as typeof data;
        const { judgements, evidence, ...metadata } = data;
        const { judgements: j2, evidence: e2, ...metadata2 } = back;
        expect(metadata2).toEqual(metadata); // every metadata field, $schema rebased there and back
        expect(normaliseTables({ judgements: j2, evidence: e2 })).toEqual(normaliseTables({ judgements, evidence }));
        // The CSV folder is the same assessment to every command.
        const [v1, v2] = [await mopan("validate", a, "--format", "json", "--frameworks", FRAMEWORKS), await mopan("validate", b, "--format", "json", "--frameworks", FRAMEWORKS)];
        expect(problems(v2.stdout)).toEqual(problems(v1.stdout));
        const [s1, s2] = [await mopan("score", a, "--format", "json", "--frameworks", FRAMEWORKS), await mopan("score", b, "--format", "json", "--frameworks", FRAMEWORKS)];
        expect(s2.status).toBe(s1.status);
        if (s1.status === 0) {
          scored++;
          expect(JSON.parse(s2.stdout)).toEqual(JSON.parse(s1.stdout));
        }
      }),
      { numRuns: 100, seed: 7 },
    );
    // Some assessments score, so the two scores are compared, not only the two refusals.
    expect(scored).toBeGreaterThan(50);
  }, 120_000);

  it("the reference assessment survives export and import unchanged", async () => {
    const a = fresh("iom");
    cpSync(join(ROOT, "assessments/iom-2023/assessment.json"), join(a, "assessment.json"));
    const b = fresh("iom-csv");
    expect((await mopan("export", "csv", a, "--out", b)).status).toBe(0);
    expect((await mopan("import", "csv", b, "--out", join(a, "back.json"))).status).toBe(0);
    const original = readJsonFile(join(a, "assessment.json")) as { judgements: unknown[]; evidence: unknown[] };
    const back = readJsonFile(join(a, "back.json")) as { judgements: unknown[]; evidence: unknown[] };
    expect({ ...back, ...normaliseTables(back) }).toEqual({ ...original, ...normaliseTables(original) });
    const [s1, s2] = [await mopan("score", a, "--format", "json"), await mopan("score", b, "--format", "json")];
    expect(JSON.parse(s2.stdout)).toEqual(JSON.parse(s1.stdout));
  });
});

describe("unknown fields are refused by name, never dropped", () => {
  const iom = readJsonFile(join(ROOT, "assessments/iom-2023/assessment.json")) as Record<string, unknown>;
  const withPublished = { ...iom, published: { source: "x", kpis: { KPI1: { score: 2.1 } } }, context: { ...(iom["context"] as object), partnerSurvey: { from: "2022", to: "2023" } } };

  /** Sets `extraField` on the object at `pointer` of a copy of `value`. */
  const addExtra = (value: unknown, pointer: string): unknown => {
    const copy = structuredClone(value) as Record<string, unknown>;
    let target: Record<string, unknown> = copy;
    for (const segment of pointer.split("/").slice(1)) target = target[segment] as Record<string, unknown>;
    target["extraField"] = "kept?";
    return copy;
  };

  it("in an assessment's JSON, at every level", async () => {
    const pointers = [
      "",
      "/organisation",
      "/framework",
      "/period",
      "/assessors/0",
      "/context",
      "/context/partnerSurvey",
      "/provenance",
      "/judgements/0",
      "/evidence/0",
      "/evidence/0/source",
      "/published",
      "/published/kpis/KPI1",
    ];
    for (const pointer of pointers) {
      const dir = writeTree(fresh("unknown"), { "assessment.json": JSON.stringify(addExtra(withPublished, pointer), null, 2) });
      const run = await mopan("validate", dir, "--format", "json");
      expect(run.status, pointer).toBe(1);
      const found = (JSON.parse(run.stdout) as { diagnostics: { code: string; pointer: string; received?: string }[] }).diagnostics;
      expect(found, pointer).toContainEqual(expect.objectContaining({ code: "unknown-property", pointer: `${pointer}/extraField`, received: "extraField" }));
      // score and export refuse it too, naming it.
      const scored = await mopan("score", dir);
      expect(scored.status).toBe(1);
      expect(scored.stderr).toContain('Unknown property "extraField"');
    }
  });

  it("export refuses unknown fields in judgements and evidence instead of leaving them out of the tables", async () => {
    for (const pointer of ["/judgements/0", "/evidence/0", "/evidence/0/source"]) {
      const dir = writeTree(fresh("export-unknown"), { "assessment.json": JSON.stringify(addExtra(iom, pointer)) });
      const run = await mopan("export", "csv", dir, "--out", join(dir, "out"));
      expect(run.status, pointer).toBe(1);
      expect(run.stderr).toContain('Unknown property "extraField"');
    }
    // Unknown metadata is kept as it is in the exported assessment.json (and reported by validate).
    const dir = writeTree(fresh("export-meta"), { "assessment.json": JSON.stringify(addExtra(iom, "")) });
    expect((await mopan("export", "csv", dir, "--out", join(dir, "out"))).status).toBe(0);
    expect((readJsonFile(join(dir, "out", "assessment.json")) as Record<string, unknown>)["extraField"]).toBe("kept?");
  });

  it("in frameworks, rating scales, crosswalks and uncertainty models", async () => {
    const files: [string, unknown, string[]][] = [
      [
        "tests/fixtures/frameworks/valid.json",
        undefined,
        ["", "/policy", "/policy/elementScale", "/provenance", "/performanceAreas/0", "/performanceAreas/0/kpis/0", "/performanceAreas/0/kpis/0/mis/0", "/performanceAreas/0/kpis/0/mis/0/elements/0"],
      ],
      ["framework/rating-scales/mopan-3.1.json", undefined, ["", "/bands/0", "/flags", "/flags/noEvidence"]],
      ["framework/crosswalks/mopan-3.1--mopan-3.1-crisis.json", undefined, ["", "/provenance"]],
      ["framework/uncertainty/default.json", undefined, ["", "/levels"]],
    ];
    for (const [file, , pointers] of files) {
      const raw = readJsonFile(join(ROOT, file));
      for (const pointer of pointers) {
        const path = join(fresh("unknown-file"), "data.json");
        writeFileSync(path, JSON.stringify(addExtra(raw, pointer)));
        const run = await mopan("validate", path, "--format", "json");
        expect(run.status, `${file}${pointer}`).toBe(1);
        const found = (JSON.parse(run.stdout) as { diagnostics: { code: string; pointer: string }[] }).diagnostics;
        expect(found, `${file}${pointer}`).toContainEqual(expect.objectContaining({ code: "unknown-property", pointer: `${pointer}/extraField` }));
      }
    }
  });

  it("in CSV tables: unknown columns and cells under no column, by name and place", async () => {
    const meta = { organisation: { name: "X" }, framework: { id: "fixture-base" }, methodology: "3.1", period: { from: "2023", to: "2023" }, assessors: [] };
    const dir = writeTree(fresh("csv-unknown"), {
      "assessment.json": JSON.stringify(meta),
      "scores.csv": "id,score,Confidence,# my notes\nMI1.1.E1,3,high,ignored on purpose\nMI1.1.E2,2,,,stray\n",
      "evidence.csv": "id,stream,title,elements,author\nd1,document,Plan,MI1.1.E1,Someone\n",
    });
    const run = await mopan("validate", dir, "--format", "json", "--frameworks", FRAMEWORKS);
    expect(run.status).toBe(1);
    const found = (JSON.parse(run.stdout) as { diagnostics: { code: string; file: string; line: number; column: number; received?: string }[] }).diagnostics.filter((d) => d.code === "unknown-column");
    expect(found).toEqual([
      expect.objectContaining({ file: expect.stringMatching(/evidence\.csv$/), line: 1, column: 26, received: "author" }),
      expect.objectContaining({ file: expect.stringMatching(/scores\.csv$/), line: 1, column: 10, received: "Confidence" }),
      expect.objectContaining({ file: expect.stringMatching(/scores\.csv$/), line: 3, column: 14, received: "stray" }),
    ]);
    // import refuses the folder too: nothing is assembled from a table with unread cells.
    expect((await mopan("import", "csv", dir, "--out", "-")).status).toBe(1);
    expect(readFileSync(join(dir, "scores.csv"), "utf8")).toContain("Confidence");
  });
});
