/**
 * The report lists each evidence entry once and links to it from the elements and MIs that cite
 * it, so its size grows linearly with the input: checked on sizes, never on time.
 */
import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderMarkdownReport } from "../../src/report/markdown.js";
import { frameworkOf, scaleOf, scoreRaw } from "./support.js";

const framework = frameworkOf("mopan-3.1");
const scale = scaleOf("mopan-3.1");
const leaves = framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((k) => k.mis.flatMap((mi) => (mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id)))));
/** One element of every MI (or the results MI itself): what each evidence entry cites. */
const onePerMi = framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((k) => k.mis.map((mi) => (mi.scoring === "rubric" ? mi.id : mi.elements[0]!.id))));

/** `n` evidence entries, each with its own quote, each citing one element of each of the 57 MIs. */
function manyEvidence(n: number) {
  const raw = {
    organisation: { name: "Evidence-heavy Organisation" },
    framework: { id: framework.id, version: framework.version },
    methodology: framework.methodology,
    period: { from: "2023", to: "2023" },
    assessors: [],
    judgements: leaves.map((id, i) => ({ id, score: id.includes(".E") ? i % 5 : 1 + (i % 4), rationale: `Judged ${id}.` })),
    evidence: Array.from({ length: n }, (_, i) => ({
      id: `ev-${String(i).padStart(6, "0")}`,
      stream: "document",
      source: { title: `Document ${i}`, page: String(i % 300) },
      quote: `Quote number ${i}: ${"the organisation reports on its work in some detail. ".repeat(4)}`,
      elements: onePerMi,
    })),
  };
  return { raw, inputBytes: JSON.stringify(raw).length, subject: scoreRaw(raw, framework, scale) };
}

describe("report size", () => {
  const small = manyEvidence(200);
  const large = manyEvidence(800);

  for (const [format, render] of [
    ["HTML", (s: typeof small.subject) => renderHtmlReport(s.result, s.framework, s.assessment, s.scale)],
    ["Markdown", (s: typeof small.subject) => renderMarkdownReport(s.result, s.framework, s.assessment, s.scale)],
  ] as const) {
    it(`${format}: each evidence quote appears once, however many MIs cite it`, () => {
      const page = render(small.subject);
      for (const i of [0, 57, 199]) expect(page.split(`Quote number ${i}:`).length - 1, `quote ${i}`).toBe(1);
    });

    it(`${format}: grows linearly with the evidence, within a small multiple of the input`, () => {
      const a = render(small.subject).length;
      const b = render(large.subject).length;
      // 4x the evidence: at most 4x the report (the fixed part grows not at all).
      expect(b / a).toBeLessThanOrEqual(4);
      // What each extra evidence entry adds to the report, against what it adds to the input.
      const perEntryReport = (b - a) / 600;
      const perEntryInput = (large.inputBytes - small.inputBytes) / 600;
      expect(perEntryReport / perEntryInput).toBeLessThan(5);
    });
  }
});
