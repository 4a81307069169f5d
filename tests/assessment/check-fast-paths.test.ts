/**
 * The semantic checks of an assessment take fast paths (an ASCII shortcut for look-alike ids,
 * per-framework id tables, the unused-evidence decision made during the evidence pass): each is
 * pinned here to what it stands for.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkAssessment, lookAlikeKey, lookAlikeKeyOfAnyText } from "../../src/assessment/check.js";
import { Registry } from "../../src/io/registry.js";

describe("lookAlikeKey", () => {
  it("equals its definition (NFKC, invisible characters removed, no-break spaces as spaces, lower case) on any text", () => {
    const special = fc.constantFrom("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u00a0", "\u2007", "\u202f", "\uff21", "\ufb01", "\u0130", "\u212a", "e\u0301", "\u00e9");
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
      fc.array(fc.oneof(fc.string({ maxLength: 4 }), special), { maxLength: 10 }).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(text, (id) => {
        expect(lookAlikeKey(id)).toBe(lookAlikeKeyOfAnyText(id));
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the shortcut only where it cannot differ: every ASCII character alone and after a non-ASCII one", () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      expect(lookAlikeKey(ch)).toBe(lookAlikeKeyOfAnyText(ch));
      expect(lookAlikeKey(`\u00c5${ch}`)).toBe(lookAlikeKeyOfAnyText(`\u00c5${ch}`));
    }
  });
});

const registry = new Registry();
const framework = registry.framework("mopan-3.1").value!;
const scales = registry.ratingScales();
/** An assessment of the right shape around `judgements` and `evidence`, so that only the semantic checks speak. */
const assessmentOf = ({ judgements, evidence = [] }: { judgements: unknown[]; evidence?: Record<string, unknown>[] }) => ({
  organisation: { name: "Example" },
  framework: { id: "mopan-3.1", version: framework.version },
  methodology: "3.1",
  period: { from: "2021", to: "2023" },
  assessors: [{ name: "Test" }],
  judgements,
  evidence: evidence.map((e) => ({ stream: "document", source: { title: "A source" }, ...e })),
});
const check = (doc: Parameters<typeof assessmentOf>[0]) => checkAssessment(assessmentOf(doc), { framework, scales }).diagnostics;
const codes = (doc: Parameters<typeof check>[0]) => check(doc).map((d) => `${d.code} ${d.pointer}`);

describe("checkAssessment's per-framework id tables", () => {
  it("an unused evidence entry is decided by scores suggested in later entries, and by judgements of ids outside the framework", () => {
    const evidence = [
      { id: "a", elements: ["MI1.1.E2"] },
      { id: "b", elements: ["MI99.1.E1"] },
      { id: "c", elements: ["MI1.1.E3"] },
      { id: "d", elements: ["MI77.1"] },
      { id: "e", elements: ["MI1.1.E4"], suggestedScores: { "MI1.1.E2": 3, MI77: 2 } },
      { id: "f", elements: ["MI77"] },
    ];
    const judgements = [{ id: "MI99.1.E1", score: 2 }];
    const found = codes({ judgements, evidence }).filter((c) => c.startsWith("unused-evidence"));
    // a: its element gets a suggested score later; b: its (unknown) id is judged; e: suggests scores;
    // f: its (unknown) id is suggested; c and d bear on nothing judged or suggested.
    expect(found).toEqual(["unused-evidence /evidence/2", "unused-evidence /evidence/3"]);
  });

  it("twice-judged ids are found among the framework's own ids, MIs scored through elements and unknown ids alike", () => {
    const judgements = [{ id: "MI1.1.E1", score: 3 }, { id: "MI1.1", score: 3 }, { id: "nonsense", score: 3 }, { id: "MI1.1.E1", score: 2 }, { id: "MI1.1" }, { id: "nonsense" }];
    expect(codes({ judgements, evidence: [] }).filter((c) => !c.startsWith("unjudged"))).toEqual([
      "mi-scored-through-elements /judgements/1/id",
      "unknown-id /judgements/2/id",
      "duplicate-judgement /judgements/3/id",
      "mi-scored-through-elements /judgements/4/id",
      "duplicate-judgement /judgements/4/id",
      "unknown-id /judgements/5/id",
      "duplicate-judgement /judgements/5/id",
    ]);
  });

  it("a blank judgement leaves its element unjudged; a suggested score or any given score does not", () => {
    const leaves = [...framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((k) => k.mis.flatMap((mi) => (mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id)))))];
    const judgements = leaves.slice(3).map((id) => ({ id, score: "N/A" }));
    judgements.push({ id: leaves[0]!, score: undefined as unknown as string });
    const evidence = [{ id: "x", elements: [], suggestedScores: { [leaves[1]!]: 2 } }];
    const unjudged = check({ judgements, evidence }).find((d) => d.code === "unjudged-element");
    expect(unjudged?.received).toBe(`${leaves[0]}, ${leaves[2]}`);
    expect(unjudged?.message).toContain(`2 of ${leaves.length} elements`);
  });

  it("scores of results MIs are checked on the results scale, elements' on the element scale, and only where the id is right", () => {
    const { elementScale, resultsScale } = framework.policy;
    const judgements = [
      { id: "MI1.1.E1", score: elementScale.max + elementScale.step },
      { id: "MI9.1", score: resultsScale.min - resultsScale.step },
      { id: "MI1.1", score: 99 },
    ];
    const evidence = [{ id: "x", elements: [], suggestedScores: { "MI1.1.E2": elementScale.min + elementScale.step / 2, "MI9.1.E1": 99 } }];
    expect(codes({ judgements, evidence }).filter((c) => !c.startsWith("unjudged"))).toEqual([
      "score-off-scale /judgements/0/score",
      "score-off-scale /judgements/1/score",
      "mi-scored-through-elements /judgements/2/id",
      "score-off-step /evidence/0/suggestedScores/MI1.1.E2",
      "element-on-results-mi /evidence/0/suggestedScores/MI9.1.E1",
    ]);
  });

  it("the per-id marks reused from check to check are cleared, and a check begun during another (through placeOf) gets its own", () => {
    const document = (judgements: unknown[]) => assessmentOf({ judgements });
    const outer = document([
      { id: "MI1.1.E1", score: 3 },
      { id: "MI1.1.E2", score: 2 },
      { id: "MI1.1.E1", score: 2 },
    ]);
    const inner = document([
      { id: "MI1.1.E3", score: 1 },
      { id: "MI1.1.E3", score: 1 },
    ]);
    const alone = (doc: unknown) => JSON.stringify(checkAssessment(doc, { framework, scales, placeOf: (p) => `row ${p}` }).diagnostics);
    const innerAlone = alone(inner);
    const outerAlone = alone(outer);
    expect(alone(outer), "a second check of the same document").toBe(outerAlone);
    expect(innerAlone).toContain("duplicate-judgement");
    let nested: string | undefined;
    const placeOf = (p: string) => {
      nested ??= alone(inner);
      return `row ${p}`;
    };
    expect(JSON.stringify(checkAssessment(outer, { framework, scales, placeOf }).diagnostics)).toBe(outerAlone);
    expect(nested).toBe(innerAlone);
    expect(alone(inner), "after the nested one").toBe(innerAlone);
  });
});
