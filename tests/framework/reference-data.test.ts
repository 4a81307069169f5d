/**
 * The shipped frameworks and the reference assessment keep the project's domain rules: a
 * framework independent of any organisation, an overlay that quotes the methodology passage it
 * rests on, judgements backed by quotes, and sources that resolve inside the repository.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Registry } from "../../src/io/registry.js";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { indexFramework } from "../../src/framework/model.js";
import { score } from "../../src/scoring/score.js";

const ROOT = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const filesUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });

describe("the crisis overlay", () => {
  const overlay = JSON.parse(read("framework/mopan-3.1-crisis.json")) as { changes: { op: string; item?: { provenance: { basis: string } }; provenance?: { basis: string } }[] };
  const doc = read("docs/framework-reconstruction.md");
  const passage = doc
    .slice(doc.indexOf('Its section "Methodology applied in this assessment" says:'), doc.indexOf("`framework/mopan-3.1-crisis.json` is the project's overlay"))
    .replace(/^> ?(- )?/gm, "")
    .replace(/\s+/g, " ");

  it("quotes the methodology passage in every change", () => {
    expect(overlay.changes.length).toBeGreaterThan(0);
    for (const change of overlay.changes) {
      const basis = (change.item?.provenance ?? change.provenance)!.basis;
      for (const fragment of basis
        .split("[...]")
        .map((f) => f.trim().replace(/^- /, ""))
        .filter((f) => f !== "")) {
        expect(passage, fragment).toContain(fragment.replace(/\s+/g, " "));
      }
    }
  });

  it("no framework file names an organisation or points outside the repository", () => {
    for (const file of filesUnder("framework")) {
      const text = read(file);
      for (const word of ["IOM", "Organization for Migration", "UNHCR", "WFP", "UNICEF", "OCHA", "CCCM", "Displacement Tracking", "shared/"]) {
        expect(text.includes(word), `${file} contains ${word}`).toBe(false);
      }
    }
  });
});

describe("the IOM reference assessment", () => {
  const registry = new Registry();
  const prepared = prepareAssessment(join(ROOT, "assessments/iom-2023"), registry);
  const { assessment, framework, scale } = prepared;
  if (!assessment || !framework || !scale) throw new Error(JSON.stringify(prepared.diagnostics));
  const index = indexFramework(framework);
  const result = score(framework, scale, assessment);
  const evidence = new Map(assessment.evidence.map((e) => [e.id, e]));

  it("states its judging rules", () => {
    expect(assessment.context?.judgingRules?.length).toBeGreaterThanOrEqual(7);
  });

  it("rates no MI only through elements the project added", () => {
    for (const mi of result.mis) {
      if (mi.score === null || mi.scoring !== "elements") continue;
      const scored = result.elements.filter((e) => e.mi === mi.id && e.score !== null);
      expect(
        scored.some((e) => index.elements.get(e.id)!.provenance.status !== "project"),
        mi.id,
      ).toBe(true);
    }
  });

  it("backs every numeric score with a quote that lists the element, and silence with N/E", () => {
    for (const j of assessment.judgements) {
      if (typeof j.score !== "number") continue;
      const quotes = (j.evidence ?? []).map((id) => evidence.get(id)!).filter((e) => e.quote && e.elements.includes(j.id));
      expect(quotes.length, j.id).toBeGreaterThan(0);
      expect(j.rationale, j.id).toBeTruthy();
    }
  });

  it("gives no element tagged uncertain the scale's extremes", () => {
    const { min, max } = framework.policy.elementScale;
    for (const j of assessment.judgements) {
      if (typeof j.score !== "number" || !index.elements.get(j.id)?.tags?.includes("uncertain")) continue;
      expect([min, max], j.id).not.toContain(j.score);
    }
  });
});

describe("sources resolve inside the repository", () => {
  it("nothing in README, framework, assessments, src or docs points at shared/", () => {
    for (const file of ["README.md", ...["framework", "assessments", "src", "docs"].flatMap(filesUnder)]) {
      if (/\.(png|pdf)$/.test(file)) continue;
      expect(read(file).includes("shared/"), file).toBe(false);
    }
  });
});

describe("the README's sample output", () => {
  it("matches what `mopan score assessments/iom-2023` prints, titles apart", async () => {
    const { renderScoreText } = await import("../../src/render/score-text.js");
    const { assessmentTitle } = await import("../../src/assessment/title.js");
    const prepared = prepareAssessment(join(ROOT, "assessments/iom-2023"), new Registry());
    const result = score(prepared.framework!, prepared.scale!, prepared.assessment!);
    const printed = renderScoreText(result, prepared.scale!, assessmentTitle(prepared.assessment!)).split("\n");
    const readme = read("README.md");
    const start = readme.indexOf("```text\nIOM 2023");
    const sample = readme
      .slice(start + 8, readme.indexOf("```", start + 8))
      .trimEnd()
      .split("\n");
    const cut = (line: string) => line.replace(/^(.*\d+\/\d+\/\d+ {2}).*$/, "$1");
    const rows = sample.filter((l) => /^ {2}KPI\d+ /.test(l) || /^ {2}KPI\d+: /.test(l));
    expect(rows.length).toBe(12 + result.kpis.filter((k) => k.provisional).length);
    for (const row of rows) expect(printed.map(cut), row).toContain(cut(row));
    for (const line of sample.filter((l) => !/^ {2}KPI\d+ /.test(l) && l.trim() !== "" && !/Score {2}Rating/.test(l))) expect(printed, line).toContain(line);
  });
});
