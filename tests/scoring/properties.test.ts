import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Assessment, EVIDENCE_STREAMS } from "../../src/assessment/schema.js";
import type { Framework } from "../../src/framework/model.js";
import type { ScoringPolicy } from "../../src/framework/schema.js";
import type { RatingScale } from "../../src/rating/schema.js";
import type { ScoreResult } from "../../src/scoring/result.js";
import { resolveLeaves, score } from "../../src/scoring/score.js";
import { Fraction, exact } from "../../src/util/exact.js";
import { type Judged, type MiSpec, SCALE_30, SCALE_31, checked, frameworkJson, loadSpec, policyWith } from "./support.js";

const RUNS = { numRuns: 200 } as const;

/** A generated case: framework shape, policy variant, one entry per leaf, evidence entries. */
interface Case {
  readonly spec: MiSpec[][];
  /** Per leaf in framework order: a judgement's score, null (judgement without score) or undefined (not mentioned). */
  readonly judged: (Judged | undefined)[];
  readonly evidence: { stream: (typeof EVIDENCE_STREAMS)[number]; elements: string[]; suggested: [number, number][] }[];
  readonly miWeights: Record<string, number>;
  readonly kpiWeights: Record<string, number>;
  readonly rounding: { roundBeforeAggregating: boolean; classifyAfterRounding: boolean };
  readonly scaleId: "mopan-3.1" | "mopan-3.0";
  readonly neAsZero: boolean;
}

interface Leaf {
  readonly id: string;
  readonly results: boolean;
  readonly mi: string;
  readonly kpi: string;
}

function leavesOf(spec: readonly (readonly MiSpec[])[]): Leaf[] {
  return spec.flatMap((mis, k) =>
    mis.flatMap((mi, m): Leaf[] => {
      const miId = `MI${k + 1}.${m + 1}`;
      const kpi = `KPI${k + 1}`;
      return mi === "rubric" ? [{ id: miId, results: true, mi: miId, kpi }] : Array.from({ length: mi }, (_, e) => ({ id: `${miId}.E${e + 1}`, results: false, mi: miId, kpi }));
    }),
  );
}

const miSpecArb: fc.Arbitrary<MiSpec> = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant("rubric" as const));
const specArb = fc.array(fc.array(miSpecArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });

const judgedArb = (results: boolean): fc.Arbitrary<Judged | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: results ? 1 : 0, max: 4 }) as fc.Arbitrary<Judged | undefined> },
    { weight: 1, arbitrary: fc.constant<Judged | undefined>("N/E") },
    { weight: 1, arbitrary: fc.constant<Judged | undefined>("N/A") },
    { weight: 1, arbitrary: fc.constant<Judged | undefined>(null) },
    { weight: 1, arbitrary: fc.constant<Judged | undefined>(undefined) },
  );

const weightsArb = (ids: readonly string[]): fc.Arbitrary<Record<string, number>> =>
  ids.length === 0 ? fc.constant({}) : fc.array(fc.tuple(fc.constantFrom(...ids), fc.integer({ min: 1, max: 5 })), { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs));

const caseArb: fc.Arbitrary<Case> = specArb.chain((spec) => {
  const leaves = leavesOf(spec);
  const ids = leaves.map((l) => l.id);
  const elementIds = leaves.filter((l) => !l.results).map((l) => l.id);
  const miIds = spec.flatMap((mis, k) => mis.map((_, m) => `MI${k + 1}.${m + 1}`));
  return fc.record({
    spec: fc.constant(spec),
    judged: fc.tuple(...leaves.map((l) => judgedArb(l.results))),
    evidence: fc.array(
      fc.record({
        stream: fc.constantFrom(...EVIDENCE_STREAMS),
        elements: fc.subarray(ids, { maxLength: Math.min(3, ids.length) }),
        suggested: fc.array(fc.tuple(fc.integer({ min: 0, max: leaves.length - 1 }), fc.integer({ min: 0, max: 4 })), { maxLength: 3 }),
      }),
      { maxLength: 5 },
    ),
    miWeights: weightsArb(elementIds),
    kpiWeights: weightsArb(miIds),
    rounding: fc.record({ roundBeforeAggregating: fc.boolean(), classifyAfterRounding: fc.boolean() }),
    scaleId: fc.constantFrom("mopan-3.1" as const, "mopan-3.0" as const),
    neAsZero: fc.boolean(),
  });
});

/** Cases whose policy leaves both flags out of means. */
const excludingCaseArb = caseArb.map((c) => ({ ...c, neAsZero: false }));

const policyOf = (c: Case): ScoringPolicy => policyWith({ miWeights: c.miWeights, kpiWeights: c.kpiWeights, rounding: c.rounding, ratingScale: c.scaleId });

/** The options scoring runs with: N/E counted as 0 for some cases. */
const optionsOf = (c: Case, framework: Framework) => (c.neAsZero ? { policy: policyWith({ flags: { "N/E": { treatment: "score", score: 0 } } }, framework.policy) } : {});

function assessmentRaw(c: Case, judged: readonly (Judged | undefined)[] = c.judged, leaves: readonly Leaf[] = leavesOf(c.spec)) {
  return {
    organisation: { name: "Generated" },
    framework: { id: "test-scoring" },
    methodology: c.scaleId === "mopan-3.0" ? "3.0" : "3.1",
    period: { from: "2022", to: "2023" },
    assessors: [],
    judgements: leaves.flatMap((leaf, i) => {
      const value = judged[i];
      if (value === undefined) return [];
      return [{ id: leaf.id, ...(value === null ? {} : { score: value }) }];
    }),
    evidence: c.evidence.map((e, i) => {
      // Suggestions name leaves of the generated framework (c.spec), whatever framework is scored.
      const original = leavesOf(c.spec);
      const suggested = Object.fromEntries(e.suggested.map(([leaf, s]) => [original[leaf]!.id, original[leaf]!.results ? Math.max(1, s) : s] as const));
      return {
        id: `e${i + 1}`,
        stream: e.stream,
        source: { title: `Evidence ${i + 1}` },
        elements: e.elements,
        ...(e.suggested.length > 0 ? { suggestedScores: suggested } : {}),
      };
    }),
  };
}

interface Scored {
  readonly framework: Framework;
  readonly scale: RatingScale;
  readonly assessment: Assessment;
  readonly result: ScoreResult;
}

function scoreCase(c: Case, judged: readonly (Judged | undefined)[] = c.judged, spec: MiSpec[][] = c.spec): Scored {
  const framework = loadSpec(frameworkJson({ kpis: spec, policy: policyOf(c) }));
  const scale = c.scaleId === "mopan-3.0" ? SCALE_30 : SCALE_31;
  const assessment = checked(assessmentRaw(c, judged, leavesOf(spec)), framework, scale);
  return { framework, scale, assessment, result: score(framework, scale, assessment, optionsOf(c, framework)) };
}

const frac = (s: string) => new Fraction(s);
const levels = (r: ScoreResult) => [...r.mis, ...r.kpis];
const scores = (r: ScoreResult) => levels(r).map((x) => ({ id: x.id, score: x.score, exact: x.exact, rating: x.rating }));

/** Deterministic shuffle (mulberry32), so a failing case replays from fast-check's seed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("properties of scoring generated assessments of a generated framework", () => {
  it("every MI and KPI score lies within the scale, and its rating is the band of its score", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { result, scale, framework } = scoreCase(c);
        const policy = optionsOf(c, framework).policy ?? framework.policy;
        const flags = [scale.flags.noEvidence.code, scale.flags.notApplicable.code];
        const lo = exact(scale.min);
        const hi = exact(scale.max);
        for (const item of levels(result)) {
          if (item.score === null) {
            expect(item.exact).toBeNull();
            expect(flags).toContain(item.rating);
            continue;
          }
          expect(item.score).toBeGreaterThanOrEqual(scale.min);
          expect(item.score).toBeLessThanOrEqual(scale.max);
          const value = frac(item.exact!);
          expect(value.gte(lo) && value.lte(hi)).toBe(true);
          // The score is the exact value rounded to the policy's decimals.
          expect(Math.abs(item.score - value.valueOf())).toBeLessThanOrEqual(0.005 + 1e-9);
          const basis = policy.rounding.classifyAfterRounding ? exact(item.score) : value;
          // The highest band whose lower limit the basis reaches (the lowest band below them all).
          const reached = scale.bands.filter((b) => exact(b.min).lte(basis));
          const lowest = scale.bands.reduce((x, y) => (y.min < x.min ? y : x));
          const expected = reached.length === 0 ? lowest : reached.reduce((x, y) => (y.min > x.min ? y : x));
          expect(item.rating).toBe(expected.code);
        }
        // Results MIs stay on the results scale unless N/E is counted as 0.
        if (!c.neAsZero) {
          for (const mi of result.mis) if (mi.scoring === "rubric" && mi.score !== null) expect(mi.score).toBeGreaterThanOrEqual(1);
        }
        for (const e of result.elements) {
          if (e.score !== null) expect(e.score >= 0 && e.score <= 4 && Number.isInteger(e.score)).toBe(true);
        }
      }),
      { ...RUNS, seed: 20240611 },
    );
  });

  it("permuting judgements, evidence entries and the elements they list gives identical results", () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), (c, seed) => {
        const { framework, scale, assessment, result } = scoreCase(c);
        const permuted: Assessment = {
          ...assessment,
          judgements: shuffle(assessment.judgements, seed),
          evidence: shuffle(
            assessment.evidence.map((e, i) => ({
              ...e,
              elements: shuffle(e.elements, seed + i + 1),
              ...(e.suggestedScores ? { suggestedScores: Object.fromEntries(shuffle(Object.entries(e.suggestedScores), seed - i - 1)) } : {}),
            })),
            seed ^ 0x5bd1e995,
          ),
        };
        const again = score(framework, scale, permuted, optionsOf(c, framework));
        // The assessment hash is of the file as written (array order included); everything else must match.
        const strip = (r: ScoreResult) => JSON.stringify({ ...r, provenance: { ...r.provenance, assessmentHash: "" } });
        expect(strip(again)).toBe(strip(result));
      }),
      { ...RUNS, seed: 20240612 },
    );
  });

  it("raising one element's (or results MI's) score never lowers its MI or KPI, and changes no other MI", () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.integer({ min: 1, max: 4 }), (c, pick, by) => {
        const leaves = leavesOf(c.spec);
        const raisable = leaves.flatMap((_, i) => (typeof c.judged[i] === "number" && (c.judged[i] as number) < 4 ? [i] : []));
        fc.pre(raisable.length > 0);
        const i = raisable[pick % raisable.length]!;
        const judged = [...c.judged];
        judged[i] = Math.min(4, (c.judged[i] as number) + by);
        const before = scoreCase(c).result;
        const after = scoreCase(c, judged).result;
        const leaf = leaves[i]!;
        for (const [b, a] of levels(before).map((x, k) => [x, levels(after)[k]!] as const)) {
          expect(a.id).toBe(b.id);
          const affected = b.id === leaf.mi || b.id === leaf.kpi;
          if (!affected) {
            expect({ score: a.score, exact: a.exact, rating: a.rating }).toEqual({ score: b.score, exact: b.exact, rating: b.rating });
            continue;
          }
          // The raised leaf is scored, so its MI and KPI have scores before and after.
          expect(b.exact).not.toBeNull();
          expect(frac(a.exact!).gte(frac(b.exact!))).toBe(true);
          expect(a.score!).toBeGreaterThanOrEqual(b.score!);
        }
      }),
      { ...RUNS, seed: 20240613 },
    );
  });

  it("turning N/E or unjudged leaves into N/A changes no score where the policy leaves both flags out", () => {
    fc.assert(
      fc.property(excludingCaseArb, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (c, mask) => {
        const before = scoreCase(c);
        const resolved = resolveLeaves(before.framework, before.assessment);
        const judged = c.judged.map((v, i) => (resolved[i]!.value === "N/E" && mask[i] ? "N/A" : v));
        fc.pre(judged.some((v, i) => v !== c.judged[i]));
        const after = scoreCase(c, judged).result;
        const flags = [before.scale.flags.noEvidence.code, before.scale.flags.notApplicable.code];
        levels(before.result).forEach((b, k) => {
          const a = levels(after)[k]!;
          expect([a.id, a.score, a.exact]).toEqual([b.id, b.score, b.exact]);
          if (b.score !== null) expect(a.rating).toBe(b.rating);
          else expect(flags).toContain(a.rating);
          if (b.rating === before.scale.flags.notApplicable.code) expect(a.rating).toBe(b.rating);
        });
      }),
      { ...RUNS, seed: 20240614 },
    );
  });

  it("adding elements judged N/A to the framework's MIs changes no score or rating", () => {
    fc.assert(
      fc.property(excludingCaseArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (c, extra) => {
        let m = 0;
        const bigger = c.spec.map((mis) => mis.map((mi) => (mi === "rubric" ? mi : mi + extra[m++ % extra.length]!)));
        fc.pre(JSON.stringify(bigger) !== JSON.stringify(c.spec));
        const oldIds = new Map(leavesOf(c.spec).map((l, i) => [l.id, i]));
        const judged = leavesOf(bigger).map((l) => {
          const i = oldIds.get(l.id);
          return i === undefined ? ("N/A" as const) : c.judged[i];
        });
        const before = scoreCase(c).result;
        const after = scoreCase(c, judged, bigger).result;
        expect(scores(after)).toEqual(scores(before));
        // Elements already there resolve the same.
        const old = new Set(oldIds.keys());
        expect(after.elements.filter((e) => old.has(e.id))).toEqual(before.elements);
        expect(after.elements.filter((e) => !old.has(e.id)).every((e) => e.flag === "N/A" && e.score === null)).toBe(true);
      }),
      { ...RUNS, seed: 20240615 },
    );
  });

  it("scoring twice, or with a freshly loaded framework and assessment, gives identical bytes", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const first = scoreCase(c);
        const again = JSON.stringify(score(first.framework, first.scale, first.assessment, optionsOf(c, first.framework)));
        expect(again).toBe(JSON.stringify(first.result));
        expect(JSON.stringify(scoreCase(c).result)).toBe(again);
      }),
      { ...RUNS, seed: 20240616 },
    );
  });
});
