import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURES = "tests/fixtures/assessments";

function validate(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), "validate", ...args], { cwd: ROOT, encoding: "utf8" });
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at |internal error/);
  return run;
}

interface Found {
  code: string;
  severity: string;
  file: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** Each broken fixture: the diagnostic it must give, where, and whether it is an error. */
const EXPECTED: Record<string, Omit<Found, "file"> & { file?: string }> = {
  "invalid-json": { code: "invalid-json", severity: "error", line: 12, column: 3 },
  "missing-property": { code: "missing-property", severity: "error", pointer: "/organisation" },
  "unknown-property": { code: "unknown-property", severity: "error", pointer: "/judgements/0/confidence", line: 29, column: 21 },
  "invalid-type": { code: "invalid-type", severity: "error", pointer: "/judgements/0/score", line: 24, column: 16 },
  "invalid-value": { code: "invalid-value", severity: "error", pointer: "/evidence/0/stream", line: 45, column: 17 },
  "invalid-format": { code: "invalid-format", severity: "error", pointer: "/evidence/0/date", line: 52, column: 15 },
  "unknown-framework": { code: "unknown-framework", severity: "error", pointer: "/framework/id", line: 8, column: 11 },
  "unknown-methodology": { code: "unknown-methodology", severity: "error", pointer: "/methodology", line: 11, column: 18 },
  "unknown-id": { code: "unknown-id", severity: "error", pointer: "/judgements/3/id", line: 42, column: 13 },
  "duplicate-judgement": { code: "duplicate-judgement", severity: "error", pointer: "/judgements/3/id", line: 42, column: 13 },
  "score-off-scale": { code: "score-off-scale", severity: "error", pointer: "/judgements/0/score", line: 24, column: 16 },
  "score-off-step": { code: "score-off-step", severity: "error", pointer: "/judgements/0/score", line: 24, column: 16 },
  "element-on-results-mi": { code: "element-on-results-mi", severity: "error", pointer: "/judgements/3/id", line: 42, column: 13 },
  "mi-scored-through-elements": { code: "mi-scored-through-elements", severity: "error", pointer: "/judgements/3/id", line: 42, column: 13 },
  "unknown-evidence": { code: "unknown-evidence", severity: "error", pointer: "/judgements/0/evidence/1", line: 28, column: 9 },
  "duplicate-evidence-id": { code: "duplicate-evidence-id", severity: "error", pointer: "/evidence/2/id", line: 64, column: 13 },
  "unused-evidence": { code: "unused-evidence", severity: "warning", pointer: "/evidence/2", line: 63, column: 5 },
  "published-rating-mismatch": { code: "published-rating-mismatch", severity: "error", pointer: "/published/kpis/KPI1/rating", line: 69, column: 19 },
  "unknown-rating": { code: "unknown-rating", severity: "error", pointer: "/published/kpis/KPI1/rating", line: 69, column: 19 },
  "period-reversed": { code: "period-reversed", severity: "error", pointer: "/period", line: 12, column: 13 },
  "duplicate-key": { code: "duplicate-key", severity: "error", pointer: "/methodology", line: 12, column: 3 },
  "framework-version-mismatch": { code: "framework-version-mismatch", severity: "warning", pointer: "/framework/version", line: 9, column: 16 },
  "methodology-differs": { code: "methodology-differs", severity: "warning", pointer: "/methodology", line: 11, column: 18 },
  "csv-invalid-type": { code: "invalid-type", severity: "error", file: "scores.csv", pointer: "/judgements/1/score", line: 3, column: 17 },
};

describe("mopan validate on broken assessments", () => {
  it("has a fixture for every expected diagnostic, and no fixture without one", () => {
    expect(readdirSync(join(ROOT, FIXTURES, "broken")).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (name, expected) => {
    const dir = `${FIXTURES}/broken/${name}`;
    const run = validate(dir, "--format", "json");
    const report = JSON.parse(run.stdout) as { diagnostics: Found[] };
    const found = report.diagnostics.find((d) => d.code === expected.code);
    expect(found, `${expected.code} in ${JSON.stringify(report.diagnostics.map((d) => d.code))}`).toBeDefined();
    expect(found).toMatchObject({ ...expected, file: `${dir}/${expected.file ?? "assessment.json"}` });
    // Errors fail validation; warnings only with --strict.
    expect(run.status).toBe(expected.severity === "error" ? 1 : 0);
    if (expected.severity === "warning") expect(validate(dir, "--strict").status).toBe(1);
  });

  it("the valid fixture has no error; its unjudged elements are warnings that --strict turns into a failure", () => {
    const run = validate(`${FIXTURES}/valid`, "--format", "json");
    const report = JSON.parse(run.stdout) as { errors: number; warnings: number; diagnostics: Found[] };
    expect(run.status).toBe(0);
    expect(report.errors).toBe(0);
    expect(new Set(report.diagnostics.map((d) => d.code))).toEqual(new Set(["unjudged-element"]));
    expect(validate(`${FIXTURES}/valid`, "--strict").status).toBe(1);
  });

  it("validates a whole tree in one call, reporting every broken fixture", () => {
    const run = validate(`${FIXTURES}/broken`, "--format", "json");
    const report = JSON.parse(run.stdout) as { diagnostics: Found[] };
    expect(run.status).toBe(1);
    const files = new Set(report.diagnostics.map((d) => d.file.split("/").at(-2)));
    expect([...files].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("github format annotates the line of each problem", () => {
    const run = validate(`${FIXTURES}/broken/score-off-scale`, "--format", "github");
    expect(run.stdout).toContain(`::error file=${FIXTURES}/broken/score-off-scale/assessment.json,line=24,col=16,title=score-off-scale::`);
  });

  it("the committed assessments are valid, warnings included", () => {
    expect(validate("assessments", "--strict").status).toBe(0);
  });
});
