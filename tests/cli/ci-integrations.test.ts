/**
 * The composite GitHub Action and the pre-commit hook: their definitions, and the action's
 * validate step run as GitHub runs it (bash, with the action's inputs as environment).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const action = readFileSync(join(ROOT, "action.yml"), "utf8");
const hooks = readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8");
const TMP = mkdtempSync(join(tmpdir(), "mopan-ci-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** The `run: |` block of the step with the given id, unindented. */
function runBlock(yaml: string, id: string): string {
  const lines = yaml.split("\n");
  const start = lines.findIndex((l) => l.trim() === `id: ${id}`);
  const run = lines.findIndex((l, i) => i > start && l.trim() === "run: |");
  const body: string[] = [];
  const indent = lines[run + 1]!.length - lines[run + 1]!.trimStart().length;
  for (const line of lines.slice(run + 1)) {
    if (line.trim() !== "" && line.length - line.trimStart().length < indent) break;
    body.push(line.slice(indent));
  }
  return body.join("\n");
}

function validateStep(inputs: { paths: string; strict?: string; sarif?: string }) {
  const env = { ...process.env, GITHUB_ACTION_PATH: ROOT, MOPAN_PATHS: inputs.paths, MOPAN_STRICT: inputs.strict ?? "false", MOPAN_SARIF: inputs.sarif ?? "" };
  return spawnSync("bash", ["-c", runBlock(action, "validate")], { cwd: ROOT, env, encoding: "utf8", maxBuffer: 16 << 20 });
}

describe("action.yml", () => {
  it("is a composite action with paths, strict, sarif and node-version inputs", () => {
    expect(action).toMatch(/^runs:\n {2}using: composite$/m);
    for (const input of ["paths", "strict", "sarif", "node-version"]) expect(action).toMatch(new RegExp(`^ {2}${input}:\\n {4}description: \\S`, "m"));
    expect(action).toContain('npm ci --no-audit --no-fund --prefix "$GITHUB_ACTION_PATH"');
  });

  it("its validate step annotates problems and fails; writes SARIF when asked", () => {
    const sarif = join(TMP, "mopan.sarif");
    const run = validateStep({ paths: "tests/fixtures/assessments/broken/invalid-type\nassessments/iom-2023", sarif });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=tests\/fixtures\/assessments\/broken\/invalid-type\/assessment\.json,line=24,col=16,title=invalid-type::/m);
    const log = JSON.parse(readFileSync(sarif, "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === "invalid-type")).toBe(true);
  });

  it("passes on valid paths; strict makes warnings fail", () => {
    expect(validateStep({ paths: "assessments/iom-2023 framework/" }).status).toBe(0);
    const warned = "tests/fixtures/assessments/broken/unused-evidence";
    expect(validateStep({ paths: warned }).status).toBe(0);
    expect(validateStep({ paths: warned, strict: "true" }).status).toBe(1);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  it("defines a node hook running mopan validate on assessment files only", () => {
    expect(hooks).toMatch(/^- id: mopan-validate$/m);
    expect(hooks).toMatch(/^ {2}entry: mopan validate$/m);
    expect(hooks).toMatch(/^ {2}language: node$/m);
    const pattern = new RegExp(/^ {2}files: (.+)$/m.exec(hooks)![1]!);
    for (const file of ["assessments/iom-2023/assessment.json", "scores.csv", "a/b/evidence.csv"]) expect(file).toMatch(pattern);
    for (const file of ["framework/mopan-3.1.json", "my-scores.csv", "assessment.json.bak"]) expect(file).not.toMatch(pattern);
    // The hook runs the package's `mopan` bin on the files it is given.
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).bin.mopan).toBe("dist/bin/mopan.js");
    const files = ["tests/fixtures/assessments/broken/csv-invalid-type/scores.csv", "tests/fixtures/assessments/broken/csv-invalid-type/assessment.json"];
    const run = spawnSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), "validate", ...files], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("scores.csv:3:17 error invalid-type");
  });
});
