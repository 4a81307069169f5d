import { describe, expect, it } from "vitest";
import { Assessment } from "../../src/assessment/schema.js";
import { ENGINE_VERSION } from "../../src/version.js";
import { hashAssessment, score } from "../../src/scoring/score.js";
import { MOPAN_POLICY, SCALE_31, assessmentJson, checked, ev, frameworkJson, loadSpec, makeAssessment, makeFramework } from "./support.js";

/** The same JSON with the keys of every object in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

describe("provenance", () => {
  const framework = makeFramework({ kpis: [[2, "rubric"]], version: "2.3.4" });
  const raw = assessmentJson({ "MI1.1.E1": 3, "MI1.1.E2": "N/E", "MI1.2": 2 }, { evidence: [ev("d1", "document", { "MI1.1.E2": 1 })] });
  const assessment = checked(raw, framework);
  const result = score(framework, SCALE_31, assessment);

  it("names the framework by id, version and content hash, the rating scale, methodology and engine", () => {
    expect(result.provenance.framework).toEqual({
      id: "test-scoring",
      version: "2.3.4",
      contentHash: framework.contentHash,
      provenance: "project",
      items: { project: framework.performanceAreas.length + 1 + 2 + 2 },
    });
    expect(result.provenance.judgements).toBeNull();
    expect(framework.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.provenance.ratingScale).toEqual({ id: "mopan-3.1", methodologies: ["3.0*", "3.1"], provenance: "reconstructed-high" });
    expect(result.provenance.methodology).toBe("3.1");
    expect(result.provenance.engine).toEqual({ name: "mopan-engine", version: ENGINE_VERSION });
    expect(result.provenance.policy).toEqual(MOPAN_POLICY);
    expect(result.organisation).toBe("Test organisation");
  });

  it("the content hash follows the framework's content", () => {
    const same = makeFramework({ kpis: [[2, "rubric"]], version: "2.3.4" });
    expect(same.contentHash).toBe(framework.contentHash);
    const other = makeFramework({ kpis: [[3, "rubric"]], version: "2.3.4" });
    expect(other.contentHash).not.toBe(framework.contentHash);
  });

  it("the content hash does not depend on the key order of the framework file", () => {
    const reordered = loadSpec(reverseKeys(frameworkJson({ kpis: [[2, "rubric"]], version: "2.3.4" })));
    expect(reordered.contentHash).toBe(framework.contentHash);
  });

  it("assessmentHash is the sha256 of the assessment", () => {
    expect(result.provenance.assessmentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.provenance.assessmentHash).toBe(hashAssessment(assessment));
  });

  it("assessmentHash changes when a judgement changes", () => {
    const changed = checked(assessmentJson({ "MI1.1.E1": 4, "MI1.1.E2": "N/E", "MI1.2": 2 }, { evidence: [ev("d1", "document", { "MI1.1.E2": 1 })] }), framework);
    expect(score(framework, SCALE_31, changed).provenance.assessmentHash).not.toBe(result.provenance.assessmentHash);
    const flagged = checked(assessmentJson({ "MI1.1.E1": 3, "MI1.1.E2": "N/A", "MI1.2": 2 }, { evidence: [ev("d1", "document", { "MI1.1.E2": 1 })] }), framework);
    expect(score(framework, SCALE_31, flagged).provenance.assessmentHash).not.toBe(result.provenance.assessmentHash);
    const suggestion = checked(assessmentJson({ "MI1.1.E1": 3, "MI1.1.E2": "N/E", "MI1.2": 2 }, { evidence: [ev("d1", "document", { "MI1.1.E2": 2 })] }), framework);
    expect(score(framework, SCALE_31, suggestion).provenance.assessmentHash).not.toBe(result.provenance.assessmentHash);
  });

  it("assessmentHash does not change with the key order of the file (records included)", () => {
    // The hash is of the assessment as the schema parses it: objects come out in schema order and
    // records (suggestedScores, statedConfidence, published) sorted, whatever order the file used.
    const reordered = reverseKeys({ ...assessment, statedConfidence: { "MI1.2": "low", "MI1.1": "high" } });
    const forward = Assessment.parse({ ...assessment, statedConfidence: { "MI1.1": "high", "MI1.2": "low" } });
    expect(Object.keys(reordered as object)).toEqual([...Object.keys(forward)].reverse());
    const parsed = Assessment.parse(reordered);
    expect(Object.keys(parsed.statedConfidence!)).toEqual(["MI1.1", "MI1.2"]);
    const result = score(framework, SCALE_31, forward);
    const again = score(framework, SCALE_31, parsed);
    expect(again.provenance.assessmentHash).toBe(result.provenance.assessmentHash);
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });

  it("scoring twice gives the same bytes, and scoring does not change its inputs", () => {
    const before = JSON.stringify([framework, assessment]);
    const first = JSON.stringify(score(framework, SCALE_31, assessment));
    const second = JSON.stringify(score(framework, SCALE_31, makeAssessment(framework, { "MI1.1.E1": 3, "MI1.1.E2": "N/E", "MI1.2": 2 }, { evidence: [ev("d1", "document", { "MI1.1.E2": 1 })] })));
    expect(second).toBe(first);
    expect(JSON.stringify([framework, assessment])).toBe(before);
  });
});
