/**
 * One function chooses the rating scale an assessment is rated on and checks it against the
 * framework's policy; `validate` and `score` both report what it finds. Also: a blank scores.csv
 * is one missing-column error, not two.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveRatingScale } from "../../src/framework/rating-scale.js";
import { SCALE_30, SCALE_31, makeFramework } from "../scoring/support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "mopan-scale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mopan(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), ...args], { cwd: work, encoding: "utf8" });
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at |internal error/);
  return run;
}

const IOM = JSON.parse(readFileSync(join(ROOT, "assessments/iom-2023/assessment.json"), "utf8")) as Record<string, unknown>;
const MOPAN_31 = JSON.parse(readFileSync(join(ROOT, "framework/rating-scales/mopan-3.1.json"), "utf8")) as Record<string, unknown>;

/** A folder of extra rating scales (given with --frameworks) and the IOM assessment under a custom methodology. */
function setup(name: string, scales: Record<string, unknown>[]) {
  const dir = join(work, name);
  mkdirSync(join(dir, "frameworks", "rating-scales"), { recursive: true });
  for (const s of scales) writeFileSync(join(dir, "frameworks", "rating-scales", `${s["id"] as string}.json`), JSON.stringify(s));
  mkdirSync(join(dir, "assessment"));
  writeFileSync(join(dir, "assessment", "assessment.json"), JSON.stringify({ ...IOM, $schema: undefined, methodology: "custom" }));
  return { frameworks: join(dir, "frameworks"), assessment: join(dir, "assessment") };
}

const band = (code: string, min: number, max: number) => ({ code, label: code, colour: "#123456", min, max });
const ONE_DECIMAL = {
  id: "custom-1dp",
  title: "A scale written at one decimal",
  methodologies: ["custom"],
  min: 0,
  max: 4,
  decimals: 1,
  bands: [band("low", 0, 1.5), band("mid", 1.6, 2.5), band("good", 2.6, 3.5), band("top", 3.6, 4)],
  flags: { noEvidence: { code: "ne", label: "No evidence", colour: "#999999" }, notApplicable: { code: "na", label: "Not applicable", colour: "#cccccc" } },
  provenance: { status: "project", source: "tests/cli/scale-resolution.test.ts", basis: "A test scale." },
};

interface Found {
  code: string;
  pointer?: string;
  received?: string;
}
const found = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Found[] }).diagnostics;
const codes = (stdout: string) => found(stdout).map((d) => `${d.code} ${d.pointer ?? ""}`.trim());

describe("scale resolution", () => {
  it("a scale that does not fit the policy is an error in validate and in score", () => {
    const { frameworks, assessment } = setup("mismatch", [ONE_DECIMAL]);
    const v = mopan("validate", assessment, "--frameworks", frameworks, "--format", "json");
    expect(v.status).toBe(1);
    expect(codes(v.stdout)).toContain("rating-scale-mismatch /methodology");
    const s = mopan("score", assessment, "--frameworks", frameworks, "--format", "json");
    expect(s.status).toBe(1);
    expect(s.stdout).toBe("");
    expect(s.stderr).toMatch(/rating-scale-mismatch: Methodology "custom" is rated on scale "custom-1dp", which does not fit the policy of mopan-3.1-crisis \(\/policy\/rounding\/decimals\)/);
  });

  it("a methodology claimed by two scales is an error, not a silent choice", () => {
    const twin = (id: string) => ({ ...MOPAN_31, $schema: undefined, id, methodologies: ["custom"] });
    const { frameworks, assessment } = setup("ambiguous", [twin("custom-a"), twin("custom-b")]);
    const v = mopan("validate", assessment, "--frameworks", frameworks, "--format", "json");
    expect(v.status).toBe(1);
    const ambiguous = found(v.stdout).find((d) => d.code === "rating-scale-ambiguous");
    expect(ambiguous?.received).toBe("custom-a, custom-b");
    expect(mopan("score", assessment, "--frameworks", frameworks).status).toBe(1);
  });

  it("one fitting scale for the methodology is used, with the methodology-differs warning", () => {
    const { frameworks, assessment } = setup("fits", [{ ...MOPAN_31, $schema: undefined, id: "custom-2dp", methodologies: ["custom"] }]);
    const s = mopan("score", assessment, "--frameworks", frameworks, "--format", "json");
    expect(s.status).toBe(0);
    expect((JSON.parse(s.stdout) as { provenance: { ratingScale: { id: string } } }).provenance.ratingScale.id).toBe("custom-2dp");
  });

  it("the framework's own scale decides its own methodology, even when another scale claims it too", () => {
    const framework = makeFramework({ kpis: [[1]] });
    const other = { ...SCALE_30, id: "other", methodologies: ["3.1"] };
    expect(resolveRatingScale(framework, "3.1", { scales: [other, SCALE_31] }).scale?.id).toBe(SCALE_31.id);
    expect(resolveRatingScale(framework, "3.0", { scales: [SCALE_30, SCALE_31] }).scale?.id).toBe(SCALE_30.id);
    expect(resolveRatingScale(framework, "9.9", { scales: [SCALE_30, SCALE_31] }).diagnostics.map((d) => d.code)).toEqual(["unknown-methodology"]);
  });
});

describe("a blank scores.csv", () => {
  it("is one missing-column error, counted once", () => {
    const dir = join(work, "blank-csv");
    mkdirSync(dir);
    const { judgements: _, ...metadata } = IOM;
    writeFileSync(join(dir, "assessment.json"), JSON.stringify({ ...metadata, $schema: undefined }));
    writeFileSync(join(dir, "scores.csv"), "");
    const s = mopan("score", dir);
    expect(s.status).toBe(1);
    expect(s.stderr.match(/missing-column/g)).toHaveLength(1);
    expect(s.stderr).toMatch(/1 error\(s\)/);
  });
});
