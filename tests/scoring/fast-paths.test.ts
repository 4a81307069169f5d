/**
 * The fast paths of `score()` against straightforward evaluations of the same rules:
 * - `RatingAuthority.shown` (rounding, classifying and margins on safe-integer rationals) against
 *   `rate` and `margin` on fraction.js values, on band limits, rounding half-points and the edges of
 *   the safe range, under every rounding the policy schema allows;
 * - `numberOf` and `fractionText` against `toNumber` and fraction.js's `toFraction`;
 * - the numeric cache key of `triangulate` against an empty cache;
 * - `score()` on generated assessments against a plain evaluation: leaves resolved with string maps
 *   and sorts as the rules read, means in fraction.js, ratings through `rate`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Assessment, EVIDENCE_STREAMS } from "../../src/assessment/schema.js";
import type { ScoringPolicy } from "../../src/framework/schema.js";
import { RatingAuthority } from "../../src/rating/authority.js";
import type { RatingScale } from "../../src/rating/schema.js";
import { isFlag } from "../../src/scoring/aggregate.js";
import { evaluatePlan, planFor } from "../../src/scoring/plan.js";
import type { StreamConflict } from "../../src/scoring/result.js";
import { exactArithmetic, resolveLeaves, score } from "../../src/scoring/score.js";
import { triangulate } from "../../src/scoring/triangulate.js";
import { Fraction, exact, toNumber } from "../../src/util/exact.js";
import { type Rational, SmallRational, fractionText, fromFraction, numberOf } from "../../src/util/exact-fast.js";
import { MOPAN_POLICY, type MiSpec, SCALE_30, SCALE_31, makeFramework, policyWith } from "./support.js";

const SEED = Number(process.env["FC_SEED"] ?? 20_261_130);
const RUNS = { numRuns: 2000, seed: SEED } as const;
const LIMIT = 2n ** 53n;

/** A scale with limits that are not the MOPAN ones: negative, fine-grained, written to 3 decimals. */
const ODD_SCALE: RatingScale = {
  ...SCALE_31,
  id: "odd",
  min: -2,
  max: 7,
  decimals: 3,
  bands: [
    { code: "d", label: "D", colour: "#000000", min: -2, max: -0.001 },
    { code: "c", label: "C", colour: "#000001", min: 0, max: 1.332 },
    { code: "b", label: "B", colour: "#000002", min: 1.333, max: 4.9 },
    { code: "a", label: "A", colour: "#000003", min: 4.901, max: 7 },
  ],
};
const SCALES = [SCALE_31, SCALE_30, ODD_SCALE] as const;

const roundingArb = fc.record({
  decimals: fc.integer({ min: 0, max: 6 }),
  mode: fc.constantFrom("half-up" as const, "half-even" as const),
  classifyAfterRounding: fc.boolean(),
});

/** Values where rating and rounding turn: each band limit, a unit of the scale below it, and the half-points around both. */
function edgesOf(scale: RatingScale, decimals: number): Fraction[] {
  const unit = new Fraction(1n, 10n ** BigInt(scale.decimals));
  const half = new Fraction(1n, 2n * 10n ** BigInt(decimals));
  const tiny = new Fraction(1n, 10n ** BigInt(decimals + 3));
  return scale.bands.flatMap((b) => {
    const min = exact(b.min);
    return [min, min.sub(unit), min.add(half), min.sub(half), min.sub(unit).add(half), min.sub(unit).sub(half), min.add(tiny), min.sub(tiny), min.sub(half).add(tiny), min.sub(half).sub(tiny)];
  });
}

const bigMagnitude = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: LIMIT - 1000n, max: LIMIT + 1000n }), fc.bigInt({ min: 0n, max: 2n ** 70n }));
const anyFraction = fc.tuple(bigMagnitude, bigMagnitude, fc.boolean()).map(([n, d, negative]) => new Fraction(negative ? -n : n, d === 0n ? 1n : d));
/** Means of a few dozen small scores: what scoring rates. */
const meanLike = fc.tuple(fc.integer({ min: -400, max: 800 }), fc.integer({ min: 1, max: 97 })).map(([n, d]) => new Fraction(n, d));

const valueArb = (scale: RatingScale, decimals: number): fc.Arbitrary<Fraction> =>
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...edgesOf(scale, decimals)) }, { weight: 3, arbitrary: meanLike }, { weight: 1, arbitrary: anyFraction });

const caseArb = fc.tuple(fc.constantFrom(...SCALES), roundingArb).chain(([scale, rounding]) => fc.tuple(fc.constant(scale), fc.constant(rounding), valueArb(scale, rounding.decimals), fc.boolean()));

describe("RatingAuthority.shown equals rate and margin in fraction.js", () => {
  it("on band limits, half-points, means and values beyond the safe range, under every rounding", () => {
    fc.assert(
      fc.property(caseArb, ([scale, rounding, value, asFraction]) => {
        const authority = new RatingAuthority({ rounding }, scale);
        const rated = authority.rate({ kind: "score", value });
        const expected = { score: rated.score, exact: rated.exact, rating: rated.rating, margin: authority.margin(rated) };
        // The same value as a safe-integer rational (where it fits) and as fraction.js.
        const input: Rational = asFraction ? value : fromFraction(value);
        expect(authority.shown({ kind: "score", value: input })).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("every value on a band limit is in that band, and a unit below it is not", () => {
    for (const scale of SCALES) {
      for (const classifyAfterRounding of [true, false]) {
        const authority = new RatingAuthority({ rounding: { decimals: scale.decimals, mode: "half-up", classifyAfterRounding } }, scale);
        const bands = RatingAuthority.bandsOf(scale);
        bands.forEach((band, i) => {
          const limit = fromFraction(exact(band.min));
          expect(authority.shown({ kind: "score", value: limit }).rating).toBe(band.code);
          const below = fromFraction(exact(band.min).sub(new Fraction(1n, 10n ** BigInt(scale.decimals))));
          if (i > 0) expect(authority.shown({ kind: "score", value: below }).rating).toBe(bands[i - 1]!.code);
        });
      }
    }
  });

  it("flags are shown as the scale's codes, with no score and no margin", () => {
    const authority = new RatingAuthority(MOPAN_POLICY, SCALE_31);
    expect(authority.shown({ kind: "N/E" })).toEqual({ score: null, exact: null, rating: SCALE_31.flags.noEvidence.code, margin: null });
    expect(authority.shown({ kind: "N/A" })).toEqual({ score: null, exact: null, rating: SCALE_31.flags.notApplicable.code, margin: null });
  });
});

describe("numberOf and fractionText equal toNumber and fraction.js's toFraction", () => {
  it("on small rationals, half-points at every precision and values beyond the safe range", () => {
    fc.assert(
      fc.property(fc.oneof(anyFraction, meanLike), fc.integer({ min: 0, max: 8 }), (f, decimals) => {
        const q = fromFraction(f);
        expect(Object.is(numberOf(q, decimals), toNumber(f, decimals)), `${f.toFraction()} at ${decimals}`).toBe(true);
        expect(fractionText(q)).toBe(f.toFraction());
        // A half-point at this precision, negative and positive.
        const half = new Fraction(2n * f.n + 1n, 2n * 10n ** BigInt(decimals)).mul(f.s);
        expect(Object.is(numberOf(fromFraction(half), decimals), toNumber(half, decimals))).toBe(true);
      }),
      RUNS,
    );
  });

  it("a negative value that rounds to zero is 0, not -0", () => {
    expect(Object.is(numberOf(new SmallRational(-1, 1000), 2), 0)).toBe(true);
    expect(Object.is(toNumber(new Fraction(-1, 1000), 2), 0)).toBe(true);
  });
});

describe("the cache key of triangulate", () => {
  const stream = fc.constantFrom(...EVIDENCE_STREAMS);
  const wide = { min: 0, max: 1200, step: 1 };
  const halves = { min: 0, max: 4, step: 0.5 };
  const suggestionsArb = fc.oneof(
    fc.array(fc.record({ stream, score: fc.integer({ min: 0, max: 4 }) }), { minLength: 2, maxLength: 6 }),
    fc.array(fc.record({ stream, score: fc.constantFrom(0, 1, 998, 999, 1000, 1001, 1200) }), { minLength: 2, maxLength: 5 }),
    fc.array(fc.record({ stream, score: fc.constantFrom(0, 0.5, 1, 1.5, 4) }), { minLength: 2, maxLength: 5 }),
  );
  it("a shared cache gives what an empty one gives, whatever it already holds", () => {
    const shared = { ...MOPAN_POLICY.triangulation };
    fc.assert(
      fc.property(suggestionsArb, (suggestions) => {
        const scale = suggestions.some((s) => s.score > 4) ? wide : suggestions.some((s) => !Number.isInteger(s.score)) ? halves : MOPAN_POLICY.elementScale;
        const cached = triangulate(suggestions, shared, scale);
        const fresh = triangulate(suggestions, { ...MOPAN_POLICY.triangulation }, scale);
        expect(cached?.score.toFraction()).toBe(fresh?.score.toFraction());
        expect(cached?.spread.toFraction()).toBe(fresh?.spread.toFraction());
        expect(cached?.conflict).toBe(fresh?.conflict);
        expect([...(cached?.streams ?? [])].map(([k, v]) => `${k}=${v.toFraction()}`)).toEqual([...(fresh?.streams ?? [])].map(([k, v]) => `${k}=${v.toFraction()}`));
      }),
      RUNS,
    );
  });
});

// ------------------------------------------------------------------------------------------------
// score() against a plain evaluation.

const SPEC: MiSpec[][] = [
  [3, 2, "rubric"],
  [4, 1],
  ["rubric", 2],
];
const FRAMEWORK = makeFramework({ kpis: SPEC, pas: [2, 1] });
const LEAVES = planFor(FRAMEWORK).leaves;
/** Evidence ids: some repeated across entries' lists and judgements, some no entry has. */
const EVIDENCE_IDS = ["e1", "e10", "e2", "E3", "e3", "a", "zz"];

const judgementArb = (results: boolean, ids: readonly string[]) =>
  fc.record(
    {
      score: fc.oneof(fc.integer({ min: results ? 1 : 0, max: 4 }), fc.constantFrom("N/E" as const, ...(results ? [] : ["N/A" as const]))),
      evidence: fc.uniqueArray(fc.constantFrom(...ids, "missing-1", "missing-2"), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );

/** Assessments of FRAMEWORK whose evidence entries take their ids from `ids`, `entries.min` to `entries.max` of them. */
const assessmentArb = (ids: readonly string[], entries: { min: number; max: number }) =>
  fc
    .record({
      judged: fc.tuple(...LEAVES.map((l) => fc.option(judgementArb(l.results, ids), { nil: undefined, freq: 4 }))),
      evidence: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom(...ids),
          stream: fc.constantFrom(...EVIDENCE_STREAMS),
          elements: fc.uniqueArray(fc.constantFrom(...LEAVES.map((l) => l.id), "MI9.9.E9"), { maxLength: 4 }),
          suggested: fc.array(fc.tuple(fc.integer({ min: 0, max: LEAVES.length - 1 }), fc.integer({ min: 0, max: 4 })), { maxLength: 5 }),
        }),
        { minLength: entries.min, maxLength: entries.max, selector: (e) => e.id },
      ),
      stated: fc.array(fc.tuple(fc.constantFrom("MI1.1", "MI1.3", "MI2.1", "MI3.2"), fc.constantFrom("high" as const, "medium" as const, "low" as const)), { maxLength: 3 }),
    })
    .map(({ judged, evidence, stated }) =>
      Assessment.parse({
        organisation: { name: "Generated" },
        framework: { id: FRAMEWORK.id },
        methodology: "3.1",
        period: { from: "2022", to: "2023" },
        assessors: [],
        judgements: LEAVES.flatMap((leaf, i) => (judged[i] === undefined ? [] : [{ id: leaf.id, ...judged[i] }])),
        evidence: evidence.map((e) => ({
          id: e.id,
          stream: e.stream,
          source: { title: e.id },
          elements: e.elements,
          ...(e.suggested.length > 0 ? { suggestedScores: Object.fromEntries(e.suggested.map(([leaf, s]) => [LEAVES[leaf]!.id, LEAVES[leaf]!.results ? Math.max(1, s) : s])) } : {}),
        })),
        ...(stated.length > 0 ? { statedConfidence: Object.fromEntries(stated) } : {}),
      }),
    );

const policyArb = fc
  .record({
    decimals: fc.integer({ min: 0, max: 3 }),
    mode: fc.constantFrom("half-up" as const, "half-even" as const),
    classifyAfterRounding: fc.boolean(),
    roundBeforeAggregating: fc.boolean(),
    neAsZero: fc.boolean(),
    scale: fc.constantFrom(SCALE_31, SCALE_30),
  })
  .map(({ neAsZero, scale, ...rounding }) => ({ scale, policy: policyWith({ rounding, ratingScale: scale.id, ...(neAsZero ? { flags: { "N/E": { treatment: "score", score: 0 } } } : {}) }) }));

/** The leaf rules as they read: Maps of strings, lists sorted as strings, fraction.js values. */
function plainLeaves(assessment: Assessment, policy: ScoringPolicy) {
  const judgements = new Map(assessment.judgements.map((j) => [j.id, j]));
  const linked = new Map<string, Set<string>>();
  const suggestions = new Map<string, { stream: (typeof EVIDENCE_STREAMS)[number]; score: number }[]>();
  const link = (leaf: string, id: string) => linked.set(leaf, (linked.get(leaf) ?? new Set()).add(id));
  for (const e of assessment.evidence) {
    for (const id of e.elements) link(id, e.id);
    for (const [id, s] of Object.entries(e.suggestedScores ?? {})) {
      link(id, e.id);
      suggestions.set(id, [...(suggestions.get(id) ?? []), { stream: e.stream, score: s }]);
    }
  }
  return LEAVES.map((leaf) => {
    const j = judgements.get(leaf.id);
    for (const id of j?.evidence ?? []) link(leaf.id, id);
    // A fresh rule object: an empty cache, so the triangulation is derived here.
    const t = triangulate(suggestions.get(leaf.id) ?? [], { ...policy.triangulation }, leaf.results ? policy.resultsScale : policy.elementScale);
    const conflict: StreamConflict | null = t?.conflict ? { streams: Object.fromEntries([...t.streams].map(([k, v]) => [k, toNumber(v, 4)])), spread: toNumber(t.spread, 4) } : null;
    const value: Fraction | "N/E" | "N/A" = j?.score !== undefined ? (isFlag(j.score) ? j.score : exact(j.score)) : t ? t.score : "N/E";
    const source = j?.score !== undefined ? "judgement" : t ? "triangulated" : "unjudged";
    return { id: leaf.id, value, source, evidence: [...(linked.get(leaf.id) ?? [])].sort(), conflict };
  });
}

/** Many entries over a few leaves: runs of links per leaf and per MI far longer than a handful. */
const MANY_IDS = Array.from({ length: 90 }, (_, i) => `ev-${(i * 37) % 90}`);

describe("score() on generated assessments equals a plain evaluation", () => {
  it("leaves, MI evidence and streams, and every score, fraction, rating and margin", () => {
    fc.assert(fc.property(assessmentArb(EVIDENCE_IDS, { min: 0, max: 6 }), policyArb, equalsPlainEvaluation), { numRuns: 500, seed: SEED });
  });
  it("the same with 40 to 90 evidence entries, many citing the same leaves", () => {
    fc.assert(fc.property(assessmentArb(MANY_IDS, { min: 40, max: 90 }), policyArb, equalsPlainEvaluation), { numRuns: 150, seed: SEED });
  });
});

function equalsPlainEvaluation(assessment: Assessment, { scale, policy }: { scale: RatingScale; policy: ScoringPolicy }): void {
  const result = score(FRAMEWORK, scale, assessment, { policy });
  const leaves = plainLeaves(assessment, policy);
  const fast = resolveLeaves(FRAMEWORK, assessment, policy);
  leaves.forEach((leaf, i) => {
    expect(fast[i]!.source).toBe(leaf.source);
    expect(fast[i]!.evidence).toEqual(leaf.evidence);
    expect(fast[i]!.conflict).toEqual(leaf.conflict);
    expect(isFlag(fast[i]!.value) ? fast[i]!.value : (fast[i]!.value as Fraction).toFraction()).toEqual(isFlag(leaf.value) ? leaf.value : leaf.value.toFraction());
  });
  const elements = leaves.filter((_, i) => !LEAVES[i]!.results);
  expect(result.elements).toEqual(
    elements.map((l) => ({
      id: l.id,
      mi: l.id.split(".").slice(0, 2).join("."),
      score: isFlag(l.value) ? null : toNumber(l.value, policy.rounding.decimals),
      flag: isFlag(l.value) ? l.value : null,
      source: l.source,
      evidence: l.evidence,
      conflict: l.conflict,
    })),
  );
  const streamOf = new Map(assessment.evidence.map((e) => [e.id, e.stream]));
  const plan = planFor(FRAMEWORK);
  const evaluation = evaluatePlan(
    plan,
    leaves.map((l) => l.value),
    policy,
    exactArithmetic(policy),
  );
  const authority = new RatingAuthority(policy, scale);
  const shown = (o: (typeof evaluation.mis)[number]) => {
    const r = authority.rate(o);
    return { score: r.score, exact: r.exact, rating: r.rating, margin: authority.margin(r) };
  };
  plan.mis.forEach((planMi, m) => {
    const mi = result.mis[m]!;
    const own = planMi.leaves.map((i) => leaves[i]!);
    const evidence = [...new Set(own.flatMap((l) => l.evidence).filter((id) => streamOf.has(id)))].sort();
    expect(mi.evidence).toEqual(evidence);
    expect(mi.confidence.basis.streams).toEqual([...new Set(evidence.map((id) => streamOf.get(id)!))].sort());
    expect(mi.confidence.basis.evidence).toBe(evidence.length);
    expect(mi.confidence.basis.conflicts).toBe(own.filter((l) => l.conflict !== null).length);
    expect(mi.unjudged).toBe(own.filter((l) => l.source === "unjudged").length);
    expect({ score: mi.score, exact: mi.exact, rating: mi.rating, margin: mi.margin }).toEqual(shown(evaluation.mis[m]!));
  });
  plan.kpis.forEach((_, k) => {
    const kpi = result.kpis[k]!;
    expect({ score: kpi.score, exact: kpi.exact, rating: kpi.rating, margin: kpi.margin }).toEqual(shown(evaluation.kpis[k]!));
  });
  expect(result.unjudged).toEqual(leaves.filter((l) => l.source === "unjudged").map((l) => l.id));
  expect(result.conflicts).toEqual(leaves.flatMap((l) => (l.conflict ? [{ id: l.id, ...l.conflict }] : [])));
}
