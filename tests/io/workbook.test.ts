import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { mopan } from "../in-process.js";
import { Registry } from "../../src/io/registry.js";
import { zipEntries } from "../../src/io/workbook/zip.js";
import { skipWithout } from "../programs.js";
import { hasLibreOffice, libreOffice } from "./workbook-support.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(ROOT, "tests/fixtures/workbooks");
const RICH = join(FIXTURES, "rich");
const IOM = join(ROOT, "assessments/iom-2023");
const TMP = mkdtempSync(join(tmpdir(), "mopan-workbook-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const tmp = (...parts: string[]) => join(TMP, ...parts);

const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const withoutSchema = ({ $schema: _s, ...rest }: Record<string, unknown>) => rest;

/** The assessment a workbook holds, as `import xlsx` gives it. */
async function imported(workbook: string): Promise<Record<string, unknown>> {
  const r = await mopan("import", "xlsx", workbook, "--out", "-");
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function scoreJson(assessment: string): Promise<unknown> {
  const r = await mopan("score", assessment, "--format", "json");
  expect(r.code, r.stderr).toBe(0);
  const {
    provenance: { assessmentHash: _h, ...provenance },
    ...rest
  } = JSON.parse(r.stdout) as { provenance: Record<string, unknown> };
  return { ...rest, provenance };
}

async function loadWorkbook(file: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

describe("export xlsx / import xlsx", () => {
  it("JSON -> xlsx -> JSON loses nothing: evidence, suggested scores, stated confidence, published figures, text that looks like numbers or dates", async () => {
    expect((await mopan("export", "xlsx", RICH, "--out", tmp("rich.xlsx"))).code).toBe(0);
    expect(withoutSchema(await imported(tmp("rich.xlsx")))).toEqual(withoutSchema(json(join(RICH, "assessment.json"))));
    // import writes the package's schema, relative to the file it writes.
    expect((await mopan("import", "xlsx", tmp("rich.xlsx"))).code).toBe(0);
    expect(json(tmp("rich.json"))["$schema"]).toBe(relative(TMP, join(ROOT, "schema/assessment.schema.json")).split(sep).join("/"));
  });

  it("writes the same bytes for the same assessment", async () => {
    expect((await mopan("export", "xlsx", RICH, "--out", tmp("again.xlsx"))).code).toBe(0);
    expect(readFileSync(tmp("again.xlsx")).equals(readFileSync(tmp("rich.xlsx")))).toBe(true);
  });

  it("IOM: the workbook scores exactly as the folder, and imports back to the same data", async () => {
    expect((await mopan("export", "xlsx", IOM, "--out", tmp("iom.xlsx"))).code).toBe(0);
    const folder = await mopan("score", IOM);
    const workbook = await mopan("score", tmp("iom.xlsx"));
    expect(workbook.stdout).toBe(folder.stdout);
    expect(withoutSchema(await imported(tmp("iom.xlsx")))).toEqual(withoutSchema(json(join(IOM, "assessment.json"))));
  });

  it("refuses to overwrite without --force and what a workbook cannot hold", async () => {
    const again = await mopan("export", "xlsx", RICH, "--out", tmp("rich.xlsx"));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("file-exists");
    const dir = tmp("long");
    mkdirSync(dir);
    const raw = json(join(RICH, "assessment.json"));
    writeFileSync(join(dir, "assessment.json"), JSON.stringify({ ...raw, judgements: [{ id: "MI1.1.E1", score: 3, rationale: "x".repeat(40_000) }] }));
    const long = await mopan("export", "xlsx", dir, "--out", tmp("long.xlsx"));
    expect(long.code).toBe(1);
    expect(long.stderr).toContain("not-representable");
    expect(long.stderr).toContain("32767");
  });
});

describe("the template (init --format xlsx)", () => {
  const file = tmp("template.xlsx");

  it("offers drop-downs of exactly the scale's values plus N/E and N/A, text-typed ids, an outline by KPI and MI, locked ids", async () => {
    const r = await mopan("init", "--format", "xlsx", "--framework", "mopan-3.1", "--org", "New Org", file);
    expect(r.code, r.stderr).toBe(0);
    const framework = new Registry().framework("mopan-3.1").value!;
    const workbook = await loadWorkbook(file);
    const scores = workbook.getWorksheet("Scores")!;
    const lists = workbook.getWorksheet("Lists")!;
    expect(lists.state).toBe("hidden");
    const header = scores.getRow(1).values as unknown[];
    const column = (name: string) => header.indexOf(name);
    const listValues = (ref: string) => {
      const m = /^Lists!\$([A-Z])\$1:\$[A-Z]\$(\d+)$/.exec(ref)!;
      return Array.from({ length: Number(m[2]) }, (_, i) => lists.getCell(`${m[1]}${i + 1}`).value);
    };
    const element = (id: string) => {
      let found: ExcelJS.Row | undefined;
      scores.eachRow((row) => {
        if (row.getCell(column("id")).value === id) found = row;
      });
      return found!;
    };
    const e1 = element("MI1.1.E1");
    const validation = e1.getCell(column("score")).dataValidation;
    expect(validation.type).toBe("list");
    // The values written out by hand from the scales mopan-3.1 declares, not recomputed the way the writer does.
    expect(framework.policy.elementScale).toEqual({ min: 0, max: 4, step: 1 });
    expect(framework.policy.resultsScale).toEqual({ min: 1, max: 4, step: 1 });
    expect(listValues(String(validation.formulae[0]))).toEqual([0, 1, 2, 3, 4, "N/E", "N/A"]);
    const results = element("MI9.1").getCell(column("score")).dataValidation;
    expect(listValues(String(results.formulae[0]))).toEqual([1, 2, 3, 4, "N/E", "N/A"]);
    // Every score is blank: not judged yet.
    expect(e1.getCell(column("score")).value).toBeNull();
    // Ids are text cells, formatted as text, and locked under sheet protection; scores are not locked.
    expect(e1.getCell(column("id")).numFmt).toBe("@");
    expect(e1.getCell(column("id")).protection?.locked).not.toBe(false);
    expect(e1.getCell(column("score")).protection?.locked).toBe(false);
    expect((scores as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
    // Outline: KPI rows level 1, MI rows level 2, elements level 3.
    expect(element("KPI1").outlineLevel).toBe(1);
    expect(element("MI1.1").outlineLevel).toBe(2);
    expect(e1.outlineLevel).toBe(3);
    expect(workbook.getWorksheet("Read me")!.getCell("A1").value).toContain("How to fill in");
  });

  it("fails validate --strict until every item is judged, with one summary line", async () => {
    const r = await mopan("validate", "--strict", file);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    expect(r.stdout).toMatch(/template\.xlsx#Scores!A1 warning unjudged-element: 245 of 245 elements and results MIs are not judged yet \(KPI1 18, KPI2 24/);
  });
});

describe("the computed ratings in the exported workbook", () => {
  it("shows KPI scores and ratings with the rating colours", async () => {
    const workbook = await loadWorkbook(tmp("iom.xlsx"));
    const scores = workbook.getWorksheet("Scores")!;
    const header = scores.getRow(1).values as unknown[];
    const result = JSON.parse((await mopan("score", IOM, "--format", "json")).stdout) as { kpis: { id: string; score: number | null; rating: string }[] };
    const scale = new Registry().findRatingScale("mopan-3.1")!;
    let checked = 0;
    scores.eachRow((row) => {
      if (row.getCell(header.indexOf("level")).value !== "KPI") return;
      const kpi = result.kpis.find((k) => k.id === row.getCell(header.indexOf("id")).value)!;
      const rating = row.getCell(header.indexOf("computed_rating"));
      const colour = [...scale.bands, scale.flags.noEvidence].find((b) => b.code === kpi.rating)!.colour;
      expect((rating.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(`FF${colour.slice(1).toUpperCase()}`);
      if (kpi.score !== null) expect(row.getCell(header.indexOf("computed_score")).value).toBe(kpi.score);
      checked++;
    });
    expect(checked).toBe(result.kpis.length);
  });
});

describe("workbooks written by LibreOffice (fixtures made by scripts/make-workbook-fixtures.mjs)", () => {
  it("a plain re-save reads and scores exactly as the JSON it was exported from", async () => {
    const file = join(FIXTURES, "rich.libreoffice.xlsx");
    expect(await scoreJson(file)).toEqual(await scoreJson(RICH));
    expect(withoutSchema(await imported(file))).toEqual(withoutSchema(json(join(RICH, "assessment.json"))));
  });

  it("reordered and added columns, formulas (read by their saved value), hidden rows and formatting change nothing", async () => {
    const file = join(FIXTURES, "rich.edited.libreoffice.xlsx");
    const workbook = await loadWorkbook(file);
    const scores = workbook.getWorksheet("Scores")!;
    const header = (scores.getRow(1).values as unknown[]).slice(1);
    expect(header.indexOf("my notes")).toBe(0);
    expect(header.indexOf("evidence")).toBeLessThan(header.indexOf("score"));
    const formulas: unknown[] = [];
    scores.eachRow((row) => row.eachCell((cell) => void (cell.formula ? formulas.push(cell.value) : undefined)));
    expect(formulas).toEqual([
      { formula: "1+2", result: 3 },
      { formula: 'LEN("x")', result: 1 },
    ]);
    expect(await scoreJson(file)).toEqual(await scoreJson(RICH));
    expect(withoutSchema(await imported(file))).toEqual(withoutSchema(json(join(RICH, "assessment.json"))));
  });

  it("xlsx -> ods -> xlsx scores identically; LibreOffice's ODS drops the one tab character of the data", async () => {
    const file = join(FIXTURES, "rich.via-ods.libreoffice.xlsx");
    expect(await scoreJson(file)).toEqual(await scoreJson(RICH));
    const original = json(join(RICH, "assessment.json"));
    const context = original["context"] as Record<string, unknown>;
    expect(withoutSchema(await imported(file))).toEqual(withoutSchema({ ...original, context: { ...context, notes: String(context["notes"]).replace("\t", "") } }));
  });

  it("the template re-saved by LibreOffice is still a template: valid, every item unjudged", async () => {
    const r = await mopan("validate", join(FIXTURES, "template.libreoffice.xlsx"), "--format", "json");
    const report = JSON.parse(r.stdout) as { errors: number; diagnostics: { code: string; message: string }[] };
    expect(report.errors).toBe(0);
    expect(report.diagnostics.map((d) => d.code)).toEqual(["unjudged-element"]);
  });
});

describe("problems at the cell", () => {
  it("names my.xlsx#Scores!C17 in text, JSON and GitHub formats", async () => {
    const workbook = await loadWorkbook(tmp("rich.xlsx"));
    const scores = workbook.getWorksheet("Scores")!;
    const header = scores.getRow(1).values as unknown[];
    let cell = "";
    scores.eachRow((row) => {
      if (row.getCell(header.indexOf("id")).value === "MI1.1.E4") {
        row.getCell(header.indexOf("score")).value = "abc";
        cell = row.getCell(header.indexOf("score")).address;
      }
    });
    await workbook.xlsx.writeFile(tmp("my.xlsx"));
    const text = await mopan("validate", tmp("my.xlsx"));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${tmp("my.xlsx")}#Scores!${cell} error invalid-type: Expected a number, "N/E" or "N/A", received string "abc".`);
    const asJson = JSON.parse((await mopan("validate", tmp("my.xlsx"), "--format", "json")).stdout) as { diagnostics: { cell?: string; code: string }[] };
    expect(asJson.diagnostics[0]).toMatchObject({ cell: `Scores!${cell}`, code: "invalid-type" });
    const github = await mopan("validate", tmp("my.xlsx"), "--format", "github");
    expect(github.stdout).toContain(`::error file=${tmp("my.xlsx")},title=invalid-type::Expected a number`);
    expect(github.stdout).toContain(`(at Scores!${cell})`);
  });

  it("a score typed on a heading row is not read, with a warning at the cell; case in confidence levels does not matter", async () => {
    const workbook = await loadWorkbook(tmp("rich.xlsx"));
    const scores = workbook.getWorksheet("Scores")!;
    const header = scores.getRow(1).values as unknown[];
    let cell = "";
    scores.eachRow((row) => {
      if (row.getCell(header.indexOf("id")).value === "KPI2") {
        row.getCell(header.indexOf("score")).value = 4;
        cell = row.getCell(header.indexOf("score")).address;
      }
    });
    const confidence = workbook.getWorksheet("Confidence")!;
    confidence.eachRow((row) => {
      if (row.getCell(1).value === "MI1.1") row.getCell(3).value = "Medium";
    });
    await workbook.xlsx.writeFile(tmp("heading.xlsx"));
    const r = await mopan("validate", tmp("heading.xlsx"));
    expect(r.stdout).toContain(`heading.xlsx#Scores!${cell} warning ignored-cell: Row ${cell.replace(/^[A-Z]+/, "")} is a KPI heading`);
    expect(withoutSchema(await imported(tmp("heading.xlsx")))).toEqual(withoutSchema(json(join(RICH, "assessment.json"))));
  });

  it("a field or an MI's confidence given twice is an error at the second cell, naming the row of the first", async () => {
    const workbook = await loadWorkbook(tmp("rich.xlsx"));
    const metadata = workbook.getWorksheet("Assessment")!;
    const title = metadata.addRow(["title", "A second title"]).getCell(2).address;
    const confidence = workbook.getWorksheet("Confidence")!;
    const mi11 = confidence.addRow(["MI1.1", "", "low"]).getCell(3).address;
    await workbook.xlsx.writeFile(tmp("twice.xlsx"));
    const r = await mopan("validate", tmp("twice.xlsx"), "--format", "json");
    const diagnostics = (JSON.parse(r.stdout) as { diagnostics: { cell?: string; code: string; received?: string; message: string }[] }).diagnostics;
    const firstRow = (code: string) => Number(/first in row (\d+)/.exec(diagnostics.find((d) => d.code === code)!.message)![1]);
    expect(diagnostics.filter((d) => d.code === "duplicate-field" || (d.code === "duplicate-judgement" && d.cell?.startsWith("Confidence!")))).toEqual([
      expect.objectContaining({
        cell: `Assessment!${title}`,
        code: "duplicate-field",
        received: "title",
        message: expect.stringMatching(/^The field "title" is given twice \(first in row \d+\); only one can count\.$/),
      }),
      expect.objectContaining({
        cell: `Confidence!${mi11}`,
        code: "duplicate-judgement",
        received: "MI1.1",
        message: expect.stringMatching(/^Confidence for "MI1.1" is stated twice \(first in row \d+\); only one can count\.$/),
      }),
    ]);
    expect(metadata.getRow(firstRow("duplicate-field")).getCell(1).value).toBe("title");
    expect(confidence.getRow(firstRow("duplicate-judgement")).getCell(1).value).toBe("MI1.1");
  });

  it("a formula without a saved value is an error at its cell, never evaluated", async () => {
    const workbook = await loadWorkbook(tmp("rich.xlsx"));
    const scores = workbook.getWorksheet("Scores")!;
    scores.getCell("D20").value = { formula: "1+1" } as ExcelJS.CellFormulaValue;
    await workbook.xlsx.writeFile(tmp("formula.xlsx"));
    const r = await mopan("validate", tmp("formula.xlsx"));
    expect(r.stdout).toContain("formula.xlsx#Scores!D20 error invalid-cell: This cell holds a formula with no saved value");
  });

  it("refuses what is not a workbook, a workbook without its sheets, an archive that unpacks too large, and .ods with advice", async () => {
    writeFileSync(tmp("text.xlsx"), "id,score\n");
    expect((await mopan("validate", tmp("text.xlsx"))).stdout).toContain("invalid-workbook");
    const bare = new ExcelJS.Workbook();
    bare.addWorksheet("Sheet1");
    await bare.xlsx.writeFile(tmp("bare.xlsx"));
    const missing = await mopan("validate", tmp("bare.xlsx"));
    expect(missing.stdout).toContain('missing-sheet: The workbook has no "Assessment" sheet');
    expect(missing.stdout).toContain('missing-sheet: The workbook has no "Scores" sheet');
    // The archive's directory claims an entry unpacks to 300 MB: refused before unpacking.
    const bytes = new Uint8Array(readFileSync(tmp("rich.xlsx")));
    const entries = zipEntries(bytes);
    if (!("entries" in entries)) throw new Error(entries.problem);
    new DataView(bytes.buffer).setUint32(entries.entries[0]!.centralOffset + 24, 300 * 1024 * 1024, true);
    writeFileSync(tmp("bomb.xlsx"), bytes);
    expect((await mopan("validate", tmp("bomb.xlsx"))).stdout).toContain("workbook-too-large");
    writeFileSync(tmp("sheet.ods"), "");
    const ods = await mopan("score", tmp("sheet.ods"));
    expect(ods.code).toBe(1);
    expect(ods.stderr).toContain("is an OpenDocument spreadsheet, which is not read: save it as an Excel workbook (.xlsx)");
  });

  it("refuses to export a folder with a partner survey, whose derived evidence a workbook cannot carry", async () => {
    const r = await mopan("export", "xlsx", join(ROOT, "assessments/synthetic-survey-example"), "--out", tmp("survey.xlsx"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("survey.json error not-representable:");
    expect(existsSync(tmp("survey.xlsx"))).toBe(false);
  });

  it("warns about a workbook lying beside assessment.json instead of ignoring it", async () => {
    const dir = tmp("beside");
    mkdirSync(dir);
    copyFileSync(join(RICH, "assessment.json"), join(dir, "assessment.json"));
    copyFileSync(tmp("rich.xlsx"), join(dir, "filled.xlsx"));
    const r = await mopan("validate", dir);
    expect(r.stdout).toContain("filled.xlsx warning workbook-not-read:");
  });
});

describe("every command takes a workbook", () => {
  it("validate, score, report, compare, sensitivity, simulate and what-if", async () => {
    const file = tmp("rich.xlsx");
    for (const argv of [
      ["validate", file],
      ["score", file, "--format", "md"],
      ["report", file, "--format", "md"],
      ["compare", file, RICH],
      ["compare", file, "--published"],
      ["sensitivity", file],
      ["simulate", file, "--draws", "20", "--seed", "1"],
      ["what-if", file, "--set", "MI1.1.E2=n/e"],
    ]) {
      const r = await mopan(...argv);
      expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
    }
  });

  it("loads the workbook library only for a workbook: a JSON assessment never resolves exceljs", () => {
    const cli = join(ROOT, "dist/bin/mopan.js");
    const hook = join(ROOT, "tests/io/log-resolve.mjs");
    const runWith = (target: string) => spawnSync(process.execPath, ["--import", hook, cli, "score", target], { encoding: "utf8", env: { ...process.env, MOPAN_LOG_RESOLVE: "1" } });
    const json = runWith(IOM);
    expect(json.status).toBe(0);
    expect(json.stderr).not.toContain("exceljs");
    const xlsx = runWith(tmp("iom.xlsx"));
    expect(xlsx.status).toBe(0);
    expect(xlsx.stderr).toContain("resolve: exceljs");
  });
});

describe.skipIf(skipWithout(hasLibreOffice()))("with LibreOffice itself (soffice --headless)", () => {
  it("re-saving the IOM workbook (xlsx -> xlsx, xlsx -> ods -> xlsx) changes no KPI score, and import is byte-identical", async () => {
    const resaved = libreOffice(tmp("iom.xlsx"), "xlsx", tmp("lo"));
    const viaOds = libreOffice(libreOffice(tmp("iom.xlsx"), "ods", tmp("ods")), "xlsx", tmp("ods-back"));
    const original = (await mopan("score", IOM)).stdout;
    expect((await mopan("score", resaved)).stdout).toBe(original);
    expect((await mopan("score", viaOds)).stdout).toBe(original);
    expect((await mopan("import", "xlsx", tmp("iom.xlsx"), "--out", tmp("a.json"))).code).toBe(0);
    expect((await mopan("import", "xlsx", resaved, "--out", tmp("b.json"))).code).toBe(0);
    expect(readFileSync(tmp("b.json"), "utf8")).toBe(readFileSync(tmp("a.json"), "utf8"));
  }, 240_000);

  it("CSV through a European locale (';' between cells, German number format, every text cell quoted) reads and scores identically", async () => {
    const dir = tmp("csv-eu");
    expect((await mopan("export", "csv", RICH, "--out", dir)).code).toBe(0);
    for (const table of ["scores", "evidence"]) {
      // Read as UTF-8 CSV with ',', nothing detected as numbers or dates; written with ';', UTF-8, German number format.
      const written = libreOffice(join(dir, `${table}.csv`), "csv:Text - txt - csv (StarCalc):59,34,76,1,,1031,true", tmp("csv-eu-out"), { infilter: "CSV:44,34,76,1,,1033,true,false,false" });
      copyFileSync(written, join(dir, `${table}.csv`));
    }
    expect(readFileSync(join(dir, "scores.csv"), "utf8").split("\n")[0]).toBe('"id";"title";"score";"rationale";"evidence"');
    expect(await scoreJson(dir)).toEqual(await scoreJson(RICH));
  }, 240_000);
});
