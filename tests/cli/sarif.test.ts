import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BROKEN = "tests/fixtures/assessments/broken";

/** The SARIF 2.1.0 JSON Schema (draft-04), vendored: see tests/fixtures/sarif/SOURCE.md. */
const schema = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/sarif/sarif-2.1.0-rtm.5.json"), "utf8"));
// unicodeRegExp off: the schema's "language" pattern has a stray "]", valid only without the u flag.
// Both are CommonJS modules: under NodeNext their default export is on `.default`.
const Ajv = AjvDraft04.default;
const addFormats = formats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

function mopan(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  expect(run.stderr).toBe("");
  return run;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }[];
  properties?: { pointer?: string };
}

const resultsOf = (text: string): SarifResult[] => JSON.parse(text).runs[0].results;

describe("mopan validate --format sarif", () => {
  it("every broken fixture gives a log valid against the SARIF 2.1.0 schema, exit 1", () => {
    const fixtures = readdirSync(join(ROOT, BROKEN));
    expect(fixtures.length).toBeGreaterThan(20);
    const run = mopan("validate", ...fixtures.map((f) => join(BROKEN, f)), "--format", "sarif");
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout);
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.version).toBe("2.1.0");
    const results = resultsOf(run.stdout);
    expect(results.length).toBeGreaterThanOrEqual(fixtures.length);
    const rules: { id: string }[] = log.runs[0].tool.driver.rules;
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it("a JSON problem carries its rule, level, message, file, line and column, and the pointer", () => {
    const run = mopan("validate", join(BROKEN, "invalid-type"), "--format", "sarif");
    const [result] = resultsOf(run.stdout).filter((r) => r.ruleId === "invalid-type");
    expect(result).toMatchObject({
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: `${BROKEN}/invalid-type/assessment.json`, uriBaseId: "%SRCROOT%" }, region: { startLine: 24, startColumn: 16 } } }],
      properties: { pointer: "/judgements/0/score" },
    });
    expect(result!.message.text.length).toBeGreaterThan(10);
  });

  it("a CSV problem points at its cell: line and column", () => {
    const run = mopan("validate", join(BROKEN, "csv-invalid-type"), "--format", "sarif");
    expect(validateSarif(JSON.parse(run.stdout))).toBe(true);
    const located = resultsOf(run.stdout).filter((r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri.endsWith("scores.csv"));
    expect(located.length).toBeGreaterThan(0);
    for (const r of located) {
      expect(r.locations![0]!.physicalLocation.region!.startLine).toBeGreaterThanOrEqual(1);
      expect(r.locations![0]!.physicalLocation.region!.startColumn).toBeGreaterThanOrEqual(1);
    }
    expect(located.find((r) => r.ruleId === "invalid-type")!.locations![0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 17 });
  });

  it("a valid assessment gives a valid log with no results, exit 0; the same input gives the same bytes", () => {
    const a = mopan("validate", "assessments/iom-2023", "--format", "sarif");
    expect(a.status).toBe(0);
    expect(validateSarif(JSON.parse(a.stdout))).toBe(true);
    expect(resultsOf(a.stdout)).toEqual([]);
    expect(mopan("validate", "assessments/iom-2023", "--format", "sarif").stdout).toBe(a.stdout);
  });

  it("the schema check is not vacuous: a log missing a result's message fails it", () => {
    const run = mopan("validate", join(BROKEN, "invalid-type"), "--format", "sarif");
    const log = JSON.parse(run.stdout);
    delete log.runs[0].results[0].message;
    expect(validateSarif(log)).toBe(false);
    log.runs[0].results[0].message = { text: "x" };
    log.runs[0].results[0].level = "fatal";
    expect(validateSarif(log)).toBe(false);
  });

  it("framework validate writes SARIF too", () => {
    const run = mopan("framework", "validate", "framework/mopan-3.1.json", "--format", "sarif");
    expect(run.status).toBe(0);
    expect(validateSarif(JSON.parse(run.stdout))).toBe(true);
  });
});
