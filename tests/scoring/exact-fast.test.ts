/**
 * The safe-integer rationals of src/util/exact-fast.ts against fraction.js, the
 * arbitrary-precision path: every operation, and whole plan evaluations (batch and incremental),
 * give the same rational on every generated input, the boundaries of the safe range included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScoringPolicy } from "../../src/framework/schema.js";
import type { Outcome } from "../../src/scoring/aggregate.js";
import { fastExactArithmetic } from "../../src/scoring/exact-fast.js";
import { type Rational, SmallRational, abs, add, compare, div, sub, fromFraction, fromNumber, isZero, mul, round, toFraction } from "../../src/util/exact-fast.js";
import { type ScoringPlan, evaluatePlan, incrementalPlan } from "../../src/scoring/plan.js";
import type { Flag } from "../../src/scoring/result.js";
import { exactArithmetic } from "../../src/scoring/score.js";
import { Fraction, exact, roundExact } from "../../src/util/exact.js";
import { MOPAN_POLICY, policyWith } from "./support.js";

const SEED = Number(process.env["FC_SEED"] ?? 20_251_130);
const RUNS = { numRuns: 2000, seed: SEED } as const;

const LIMIT = 2n ** 53n;
/** Integers at and around the edges of the safe range, and around the square root of it. */
const EDGES = [0n, 1n, 2n, 3n, 10n, 2n ** 26n - 1n, 2n ** 26n, 2n ** 26n + 1n, 94_906_265n, 94_906_266n, LIMIT - 2n, LIMIT - 1n, LIMIT, LIMIT + 1n, 2n ** 64n + 7n];
const magnitude = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 100n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: LIMIT + 10n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: LIMIT - 1000n, max: LIMIT + 1000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 80n }) },
);
const fractionArb: fc.Arbitrary<Fraction> = fc.tuple(magnitude, magnitude, fc.boolean()).map(([n, d, negative]) => new Fraction(negative ? -n : n, d === 0n ? 1n : d));
/** The same value in both forms: a small rational where it fits, fraction.js otherwise. */
const valueArb = fractionArb.map((f) => ({ f, q: fromFraction(f) }));

const same = (q: Rational, f: Fraction) => {
  const back = toFraction(q);
  expect(back.s === f.s && back.n === f.n && back.d === f.d, `${back.toFraction()} vs ${f.toFraction()}`).toBe(true);
  if (q instanceof SmallRational) {
    expect(Number.isSafeInteger(q.n) && Number.isSafeInteger(q.d) && q.d > 0).toBe(true);
  } else {
    // A fraction.js result is kept only when it does not fit.
    expect(f.n >= LIMIT || f.d >= LIMIT).toBe(true);
  }
};

describe("exact-fast: each operation equals fraction.js", () => {
  it("conversion keeps the value, and is small exactly when numerator and denominator are safe", () => {
    fc.assert(
      fc.property(fractionArb, (f) => same(fromFraction(f), f)),
      RUNS,
    );
  });

  it("add, sub, mul, div, abs and compare", () => {
    fc.assert(
      fc.property(valueArb, valueArb, (a, b) => {
        same(add(a.q, b.q), a.f.add(b.f));
        same(mul(a.q, b.q), a.f.mul(b.f));
        if (b.f.equals(0)) expect(() => div(a.q, b.q)).toThrow();
        else same(div(a.q, b.q), a.f.div(b.f));
        expect(isZero(a.q)).toBe(a.f.equals(0));
        same(sub(a.q, b.q), a.f.sub(b.f));
        same(abs(a.q), a.f.abs());
        expect(compare(a.q, b.q)).toBe(Math.sign(a.f.compare(b.f)));
      }),
      RUNS,
    );
  });

  it("round, both modes, 0 to 6 decimals, ties included", () => {
    const tie = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 6 })).map(([units, decimals]) => new Fraction(2 * units + 1, 2 * 10 ** decimals));
    fc.assert(
      fc.property(fc.oneof(fractionArb, tie), fc.integer({ min: 0, max: 6 }), fc.constantFrom("half-up" as const, "half-even" as const), (f, decimals, mode) => {
        same(round(fromFraction(f), decimals, mode), roundExact(f, decimals, mode));
      }),
      RUNS,
    );
  });

  it("JSON numbers read as exact() reads them", () => {
    const numberArb = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e300, 1e-300, 0.1, 3.505, 2.51),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    );
    fc.assert(
      fc.property(numberArb, (n) => same(fromNumber(n), exact(n))),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Whole evaluations on generated plans and policies.

interface PlanCase {
  readonly plan: ScoringPlan;
  readonly values: (Fraction | Flag)[];
  readonly policy: ScoringPolicy;
  readonly moves: { leaf: number; value: Fraction }[];
}

const weightArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0.1, 0.25, 1e-9, 1e9, 9_007_199_254_740_991, 1e300, 1e-300) });
const leafValueArb: fc.Arbitrary<Fraction | Flag> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 4 }).map((n) => exact(n)) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 2.25, 3.505).map((n) => exact(n)) },
  { weight: 1, arbitrary: fractionArb },
  { weight: 1, arbitrary: fc.constantFrom<Flag>("N/E", "N/A") },
);

const planCaseArb: fc.Arbitrary<PlanCase> = fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) => {
  const leaves: { id: string; mi: number; results: boolean }[] = [];
  const mis: { id: string; kpi: number; leaves: number[] }[] = [];
  const kpis: { id: string; pa: number; mis: number[] }[] = [];
  shape.forEach((miSizes, k) => {
    const own: number[] = [];
    miSizes.forEach((size, m) => {
      const id = `MI${k + 1}.${m + 1}`;
      own.push(mis.push({ id, kpi: k, leaves: Array.from({ length: size }, (_, e) => leaves.push({ id: `${id}.E${e + 1}`, mi: mis.length, results: false }) - 1) }) - 1);
    });
    kpis.push({ id: `KPI${k + 1}`, pa: 0, mis: own });
  });
  const plan: ScoringPlan = { leaves, mis, kpis, pas: [{ id: "PA1", kpis: kpis.map((_, k) => k) }], leafIndex: new Map(leaves.map((l, i) => [l.id, i])) };
  const weightsOf = (ids: string[]) => fc.array(fc.tuple(fc.constantFrom(...ids), weightArb), { maxLength: 4 }).map((pairs) => Object.fromEntries(pairs));
  return fc.record({
    plan: fc.constant(plan),
    values: fc.tuple(...leaves.map(() => leafValueArb)),
    policy: fc
      .record({
        miWeights: weightsOf(leaves.map((l) => l.id)),
        kpiWeights: weightsOf(mis.map((m) => m.id)),
        roundBeforeAggregating: fc.boolean(),
        mode: fc.constantFrom("half-up" as const, "half-even" as const),
        decimals: fc.integer({ min: 0, max: 6 }),
        neAsZero: fc.boolean(),
      })
      .map((p) =>
        policyWith({
          miWeights: p.miWeights,
          kpiWeights: p.kpiWeights,
          paWeights: {},
          rounding: { roundBeforeAggregating: p.roundBeforeAggregating, mode: p.mode, decimals: p.decimals },
          ...(p.neAsZero ? { flags: { ...MOPAN_POLICY.flags, "N/E": { treatment: "score", score: 0 } } } : {}),
        }),
      ),
    moves: fc.array(fc.record({ leaf: fc.integer({ min: 0, max: leaves.length - 1 }), value: leafValueArb.filter((v): v is Fraction => v instanceof Fraction) }), { maxLength: 8 }),
  });
});

const sameOutcome = (q: Outcome<Rational>, f: Outcome<Fraction>) => {
  expect(q.kind).toBe(f.kind);
  if (q.kind === "score" && f.kind === "score") same(q.value, f.value);
};

describe("exact-fast: whole evaluations equal the fraction.js path", () => {
  it("evaluatePlan gives every MI, KPI and PA outcome the same", () => {
    fc.assert(
      fc.property(planCaseArb, ({ plan, values, policy }) => {
        const slow = evaluatePlan(plan, values, policy, exactArithmetic(policy));
        const fast = evaluatePlan(
          plan,
          values.map((v) => (v instanceof Fraction ? fromFraction(v) : v)),
          policy,
          fastExactArithmetic(policy),
        );
        slow.mis.forEach((o, m) => sameOutcome(fast.mis[m]!, o));
        slow.kpis.forEach((o, k) => sameOutcome(fast.kpis[k]!, o));
        slow.pas?.forEach((o, p) => sameOutcome(fast.pas![p]!, o));
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it("incrementalPlan after any moves of scored leaves equals evaluatePlan on the moved values, in both arithmetics", () => {
    fc.assert(
      fc.property(planCaseArb, ({ plan, values, policy, moves }) => {
        const ar = exactArithmetic(policy);
        for (let k = 0; k < plan.kpis.length; k++) {
          const kpi = plan.kpis[k]!;
          const sub: ScoringPlan = { ...plan, mis: kpi.mis.map((m) => plan.mis[m]!), kpis: [{ ...kpi, mis: kpi.mis.map((_, i) => i) }], pas: [] };
          const running = incrementalPlan(sub, values, policy, ar);
          const fast = incrementalPlan(
            sub,
            values.map((v) => (v instanceof Fraction ? fromFraction(v) : v)),
            policy,
            fastExactArithmetic(policy),
          );
          const moved = [...values];
          const own = new Set(kpi.mis.flatMap((m) => plan.mis[m]!.leaves));
          for (const { leaf, value } of moves) {
            if (!own.has(leaf) || !(moved[leaf] instanceof Fraction)) continue;
            moved[leaf] = value;
            running.set(leaf, value);
            fast.set(leaf, fromFraction(value));
          }
          const expected = evaluatePlan(sub, moved, policy, ar).kpis[0]!;
          const got = running.outcome();
          expect(got.kind).toBe(expected.kind);
          if (got.kind === "score" && expected.kind === "score") expect(got.value.equals(expected.value)).toBe(true);
          sameOutcome(fast.outcome(), expected);
        }
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it("incrementalPlan refuses to move a flag", () => {
    const plan: ScoringPlan = {
      leaves: [
        { id: "MI1.1.E1", mi: 0, results: false },
        { id: "MI1.1.E2", mi: 0, results: false },
      ],
      mis: [{ id: "MI1.1", kpi: 0, leaves: [0, 1] }],
      kpis: [],
      pas: [],
      leafIndex: new Map(),
    };
    const running = incrementalPlan(plan, [exact(3), "N/E"], MOPAN_POLICY, exactArithmetic(MOPAN_POLICY));
    expect(() => running.set(1, exact(2))).toThrow(RangeError);
    running.set(0, exact(1));
    const o = running.outcome();
    expect(o.kind === "score" && o.value.equals(1)).toBe(true);
  });
});
