import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseTables, tableFromCsv } from "../../src/io/csv/assessment-csv.js";
import { Registry } from "../../src/io/registry.js";

// Runs the built CLI (dist/), as users do: `npm test` builds first.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli/main.js");
const TMP = mkdtempSync(join(tmpdir(), "mopan-init-convert-"));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function mopan(...args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["MOPAN_DEBUG"];
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: TMP, env, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw run.error;
  expect(run.stderr).not.toMatch(/^\s{4}at /m);
  expect(run.stderr).not.toContain("internal error");
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const read = (...path: string[]) => readFileSync(join(TMP, ...path), "utf8");
const snapshot = (dir: string) =>
  ["assessment.json", "scores.csv", "evidence.csv"].map((f) => {
    const file = join(TMP, dir, f);
    return { f, text: readFileSync(file, "utf8"), mtime: statSync(file).mtimeMs };
  });

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests (npm test does).`);
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Reads assessment.json in `dir`, follows its $schema from that folder, and checks the file against it with ajv. */
function validateAgainstItsSchema(dir: string) {
  const meta = JSON.parse(readFileSync(join(dir, "assessment.json"), "utf8")) as { $schema: string };
  const schemaFile = resolve(dir, meta.$schema);
  expect(existsSync(schemaFile), `${meta.$schema} resolves from ${dir}`).toBe(true);
  const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(schemaFile, "utf8")));
  expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
  return meta.$schema;
}

describe("mopan init: a $schema that resolves where the assessment lives", () => {
  it("in an unrelated folder: a copy of the schema beside assessment.json, which an editor's validator accepts", () => {
    const run = mopan("init", "--framework", "mopan-3.1", "--org", "Anywhere", "--period", "2022-07:2023-06", join(TMP, "unrelated", "a"));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Period: 2022-07 to 2023-06.");
    expect(validateAgainstItsSchema(join(TMP, "unrelated", "a"))).toBe("./assessment.schema.json");
    expect(JSON.parse(read("unrelated", "a", "assessment.json")).period).toEqual({ from: "2022-07", to: "2023-06" });
  });

  it("in a project with mopan-engine installed: the installed package's schema, by a relative path", () => {
    const installed = join(TMP, "project", "node_modules", "mopan-engine", "schema");
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, "assessment.schema.json"), readFileSync(join(ROOT, "schema", "assessment.schema.json")));
    const run = mopan("init", "--framework", "mopan-3.1", "--org", "Installed", "--period", "2023", join(TMP, "project", "assessments", "b"));
    expect(run.status).toBe(0);
    expect(existsSync(join(TMP, "project", "assessments", "b", "assessment.schema.json"))).toBe(false);
    expect(validateAgainstItsSchema(join(TMP, "project", "assessments", "b"))).toBe("../../node_modules/mopan-engine/schema/assessment.schema.json");
  });

  it("refuses a malformed or reversed --period (exit 2)", () => {
    for (const bad of ["23", "2023-13", "2024:2023", "2023:2024:2025", ""]) {
      expect(mopan("init", "--framework", "mopan-3.1", "--org", "X", "--period", bad, "bad-period").status, bad).toBe(2);
    }
    expect(existsSync(join(TMP, "bad-period"))).toBe(false);
  });
});

describe("mopan init", () => {
  it("writes assessment.json, scores.csv with every element and results MI of the framework with a blank score, and evidence.csv", () => {
    const run = mopan("init", "--framework", "mopan-3.1-crisis", "--org", "World Food Programme", "--acronym", "WFP", "new");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);

    const framework = new Registry().framework("mopan-3.1-crisis").value!;
    const expected = framework.performanceAreas.flatMap((pa) =>
      pa.kpis.flatMap((kpi) => kpi.mis.flatMap((mi) => (mi.scoring === "rubric" ? [{ id: mi.id, title: mi.title }] : mi.elements.map((e) => ({ id: e.id, title: e.title }))))),
    );
    expect(expected.length).toBeGreaterThan(250);
    const scores = tableFromCsv("judgements", read("new", "scores.csv"), "scores.csv");
    expect(scores.diagnostics).toEqual([]);
    expect(scores.items).toEqual(expected.map(({ id }) => ({ id })));
    // The informational title column carries the framework's titles.
    const titles = read("new", "scores.csv").split("\n").slice(1, 4);
    expect(titles[0]).toBe(`${expected[0]!.id},${expected[0]!.title},,,`);

    const meta = JSON.parse(read("new", "assessment.json")) as Record<string, unknown>;
    expect(meta).toMatchObject({
      organisation: { name: "World Food Programme", acronym: "WFP" },
      framework: { id: "mopan-3.1-crisis", version: framework.version },
      methodology: "3.1",
      assessors: [],
    });
    expect(meta).not.toHaveProperty("judgements");
    // No mopan-engine installed above the folder: the schema is copied beside it.
    expect(meta["$schema"]).toBe("./assessment.schema.json");
    expect(read("new", "assessment.schema.json")).toBe(readFileSync(join(ROOT, "schema", "assessment.schema.json"), "utf8"));
    expect(run.stdout).toMatch(/Period: assumed (\d{4}) to \1 \(this year\); give --period/);
    expect(read("new", "evidence.csv")).toBe("id,stream,title,url,file,section,page,survey_question,interviews,date,quote,summary,elements,suggested_scores\n");

    // The template is valid as it stands, but not finished: one warning counts the unjudged rows
    // per KPI, and --strict fails on it.
    const validate = mopan("validate", "new");
    expect(validate.stdout).toContain("0 error(s), 1 warning(s)");
    expect(validate.stdout).toContain(`unjudged-element: ${expected.length} of ${expected.length} elements and results MIs are not judged yet (KPI1 `);
    expect(validate.status).toBe(0);
    expect(mopan("validate", "--strict", "new").status).toBe(1);
  });

  it("refuses to overwrite without --force, leaving the files untouched", () => {
    const before = snapshot("new");
    const again = mopan("init", "--framework", "mopan-3.1", "--org", "Other", "new");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("file-exists");
    expect(snapshot("new")).toEqual(before);

    const forced = mopan("init", "--framework", "mopan-3.1", "--org", "Other", "--force", "new");
    expect(forced.status).toBe(0);
    expect(JSON.parse(read("new", "assessment.json"))).toMatchObject({ organisation: { name: "Other" }, framework: { id: "mopan-3.1" } });
    expect(existsSync(join(TMP, "new", `scores.csv.tmp-${process.pid}`))).toBe(false);
  });

  it("reports bad input and bad usage without crashing", () => {
    expect(mopan("init", "--framework", "no-such-framework", "--org", "X", "bad").status).toBe(1);
    expect(existsSync(join(TMP, "bad"))).toBe(false);
    expect(mopan("init", "--framework", "mopan-3.1", "--org", "X", "--methodology", "9.9", "bad").status).toBe(1);
    expect(mopan("init", "--org", "X", "bad").status).toBe(2);
    expect(mopan("init", "--framework", "mopan-3.1", "bad").status).toBe(2);
    expect(mopan("init", "--framework", "mopan-3.1", "--org", "X").status).toBe(2);
    expect(mopan("init", "--nonsense").status).toBe(2);
  });
});

describe("mopan export csv / import csv", () => {
  const assessment = {
    title: "Round trip",
    organisation: { name: "Test Organisation", acronym: "TO" },
    framework: { id: "mopan-3.1" },
    methodology: "3.1",
    period: { from: "2022", to: "2023" },
    assessors: [{ name: "A. Assessor", role: "lead" }],
    judgements: [
      { id: "MI1.1.E1", score: 3, rationale: 'Plan is public, "clear";\nsee =annex 2', evidence: ["D1", "S1"] },
      { id: "MI1.1.E2", score: 2, evidence: ["S1"] },
      { id: "MI1.1.E3", score: "N/E", rationale: "-nothing found" },
      { id: "MI1.1.E4", rationale: "" },
      { id: "MI9.1", score: "N/A" },
    ],
    evidence: [
      {
        id: "D1",
        stream: "document",
        source: { title: "Strategic Plan 2022-2025", url: "https://example.org/plan.pdf", page: "12" },
        date: "2022-01",
        quote: "We will, by 2025; achieve =results",
        elements: ["MI1.1.E1"],
        suggestedScores: { "MI1.1.E1": 3 },
      },
      {
        id: "S1",
        stream: "survey",
        source: { title: "Partner survey", surveyQuestion: "Q4", interviews: 12 },
        summary: "+ partners agree",
        elements: ["MI1.1.E1", "MI1.1.E2"],
        suggestedScores: { "MI1.1.E1": 3, "MI1.1.E2": 2 },
      },
    ],
  };

  beforeAll(() => {
    mkdirSync(join(TMP, "json"), { recursive: true });
    writeFileSync(join(TMP, "json", "assessment.json"), JSON.stringify(assessment, null, 2));
  });

  it("export then import gives back an equivalent assessment", () => {
    const exported = mopan("export", "csv", "json", "--out", "tables");
    expect(exported.stderr).toBe("");
    expect(exported.status).toBe(0);
    const { judgements, evidence, ...metadata } = assessment;
    expect(JSON.parse(read("tables", "assessment.json"))).toEqual(metadata);
    expect(read("tables", "scores.csv")).toContain("MI1.1.E3,Plan turns vision into intended results,N/E,'-nothing found,");

    const imported = mopan("import", "csv", "tables");
    expect(imported.status).toBe(0);
    const combined = JSON.parse(read("tables", "assessment.combined.json")) as typeof assessment;
    const { judgements: j2, evidence: e2, ...metadata2 } = combined;
    expect(metadata2).toEqual(metadata);
    expect(normaliseTables({ judgements: j2, evidence: e2 })).toEqual(normaliseTables({ judgements, evidence }));

    // And the engine sees the same assessment in all three forms.
    const scored = ["json", "tables", "tables/assessment.combined.json", "tables/scores.csv"].map((p) => mopan("score", p, "--format", "json"));
    for (const s of scored) expect(s.status).toBe(0);
    const strip = (text: string) => text.replace(/"(file|source|path)":\s*"[^"]*"/g, "");
    for (const s of scored.slice(2)) expect(strip(s.stdout)).toBe(strip(scored[1]!.stdout));
    // The hash is of the input as given: the JSON's `rationale: ""` is no rationale at all in CSV.
    const unhashed = (text: string) => strip(text).replace(/"assessmentHash":\s*"[^"]*"/, "");
    expect(unhashed(scored[1]!.stdout)).toBe(unhashed(scored[0]!.stdout));
  });

  it("writes the import to standard output with --out -, and never overwrites without --force", () => {
    const out = mopan("import", "csv", "tables/scores.csv", "--out", "-");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(JSON.parse(read("tables", "assessment.combined.json")));
    const before = read("tables", "assessment.combined.json");
    expect(mopan("import", "csv", "tables").status).toBe(1);
    expect(read("tables", "assessment.combined.json")).toBe(before);
    expect(mopan("import", "csv", "tables", "--force").status).toBe(0);
    // Exporting into the assessment's own folder rewrites assessment.json: only with --force.
    const own = mopan("export", "csv", "json");
    expect(own.status).toBe(1);
    expect(own.stderr).toContain("file-exists");
    expect(existsSync(join(TMP, "json", "scores.csv"))).toBe(false);
  });

  it("reports bad input with its place, and bad usage, without crashing", () => {
    mkdirSync(join(TMP, "broken"), { recursive: true });
    writeFileSync(join(TMP, "broken", "assessment.json"), JSON.stringify({ ...assessment, judgements: [], evidence: [] }));
    writeFileSync(join(TMP, "broken", "scores.csv"), 'id;score;rationale\r\nMI1.1.E1;3;"never closed\r\n');
    const bad = mopan("import", "csv", "broken");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken\/scores\.csv:2:12 error invalid-csv/);
    expect(mopan("export", "csv", "broken", "--out", "x").status).toBe(1);

    writeFileSync(join(TMP, "broken", "scores.csv"), "id,score,notes\nMI1.1.E1,3,x\n");
    const unknown = mopan("import", "csv", "broken", "--out", "-");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/scores\.csv:1:10 error unknown-column: Unknown column "notes"/);

    writeFileSync(join(TMP, "broken", "assessment.json"), JSON.stringify(assessment));
    writeFileSync(join(TMP, "broken", "scores.csv"), "id,score\nMI1.1.E1,3\n");
    expect(mopan("import", "csv", "broken", "--out", "-").stderr).toContain("duplicate-source");

    writeFileSync(join(TMP, "broken", "assessment.json"), JSON.stringify({ ...assessment, judgements: [{ id: "MI1.1.E1", score: 3, evidence: ["a;b"] }] }));
    rmSync(join(TMP, "broken", "scores.csv"));
    const unrepresentable = mopan("export", "csv", "broken", "--out", "y");
    expect(unrepresentable.status).toBe(1);
    expect(unrepresentable.stderr).toContain("not-representable");

    expect(mopan("import", "csv", "nowhere").status).toBe(1);
    expect(mopan("export", "csv", "nowhere", "--out", "z").status).toBe(1);
    expect(mopan("export").status).toBe(2);
    expect(mopan("export", "xml", "json").status).toBe(2);
    expect(mopan("import", "csv").status).toBe(2);
    expect(mopan("import", "csv", "a", "b").status).toBe(2);
  });
});
