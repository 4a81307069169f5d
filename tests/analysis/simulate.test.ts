import { fileURLToPath } from "node:url";
import { mean as mMean, quantileSeq, std as mStd } from "mathjs";
import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "../../src/analysis/random.js";
import { MAX_DRAWS, SimulationStopped, prepareSimulation, simulate } from "../../src/analysis/simulate.js";
import { meanStd, quantileSorted } from "../../src/analysis/statistics.js";
import { UncertaintyModel } from "../../src/analysis/uncertainty-schema.js";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { Registry } from "../../src/io/registry.js";
import { score } from "../../src/scoring/score.js";
import { ROOT, SCALE_31, TWO_KPI_JUDGEMENTS, TWO_KPI_SPEC, byId, makeAssessment, makeFramework, readJsonAt } from "./support.js";

const DEFAULT = UncertaintyModel.parse(readJsonAt("framework/uncertainty/default.json"));
const model = (levels: Record<"high" | "medium" | "low", Record<string, number>>) => UncertaintyModel.parse({ ...DEFAULT, id: "test", levels });
const ZERO = model({ high: { "0": 1 }, medium: { "0": 1 }, low: { "0": 1 } });

const FW = makeFramework(TWO_KPI_SPEC);
const ASSESSMENT = makeAssessment(FW, { ...TWO_KPI_JUDGEMENTS, "MI2.2.E3": "N/E" });

const IOM = fileURLToPath(new URL("assessments/iom-2023", ROOT));
const iom = prepareAssessment(IOM, new Registry());

describe("the default uncertainty model", () => {
  it("is valid data, declared a project assumption", () => {
    expect(DEFAULT.provenance.status).toBe("project");
    expect(DEFAULT.description).toMatch(/not MOPAN rules/);
  });

  it("the schema rejects distributions that do not add up to 1, bad offsets and missing levels", () => {
    expect(UncertaintyModel.safeParse({ ...DEFAULT, levels: { ...DEFAULT.levels, high: { "0": 0.8, "1": 0.1 } } }).success).toBe(false);
    expect(UncertaintyModel.safeParse({ ...DEFAULT, levels: { ...DEFAULT.levels, high: { "0.5": 1 } } }).success).toBe(false);
    expect(UncertaintyModel.safeParse({ ...DEFAULT, levels: { ...DEFAULT.levels, high: { "1": 0.5, "+1": 0.5 } } }).success).toBe(false);
    expect(UncertaintyModel.safeParse({ ...DEFAULT, levels: { high: DEFAULT.levels.high, medium: DEFAULT.levels.medium } }).success).toBe(false);
  });
});

describe("random numbers", () => {
  it("xoshiro128** gives the published algorithm's first outputs from state (1, 2, 3, 4)", () => {
    const rng = new Xoshiro128(1, 2, 3, 4);
    // rotl(2 * 5, 7) * 9 = 11520; then s1 becomes 0; then rotl(1029 * 5, 7) * 9 = 5927040.
    expect([rng.next(), rng.next(), rng.next()]).toEqual([11520, 0, 5927040]);
  });

  it("seeds give reproducible, distinct 32-bit streams", () => {
    const take = (seed: number) => {
      const r = Xoshiro128.fromSeed(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    for (const x of take(123)) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });
});

describe("statistics match mathjs", () => {
  it("mean, sample standard deviation and type-7 quantiles", () => {
    const r = Xoshiro128.fromSeed(99);
    for (const n of [1, 2, 7, 100, 1001]) {
      const data = Array.from({ length: n }, () => Math.round((r.next() / 2 ** 32) * 400) / 100);
      const sorted = Float64Array.from(data).sort();
      for (const p of [0, 0.05, 0.25, 0.5, 0.95, 1]) expect(quantileSorted(sorted, p)).toBeCloseTo(quantileSeq(data, p) as number, 12);
      const { mean, std } = meanStd(data);
      expect(mean).toBeCloseTo(mMean(data) as number, 12);
      if (n > 1) expect(std).toBeCloseTo(mStd(data) as unknown as number, 12);
    }
  });
});

describe("simulate", () => {
  const run = (seed: number, uncertainty = DEFAULT, draws = 2000) => simulate(FW, SCALE_31, ASSESSMENT, { draws, seed, uncertainty });

  it("the same seed gives identical output bytes; another seed gives other output", () => {
    const a = JSON.stringify(run(42));
    expect(JSON.stringify(run(42))).toBe(a);
    expect(JSON.stringify(run(43))).not.toBe(a);
  });

  it("records seed, draws, policy, distributions and the confidence each MI drew with", () => {
    const r = run(5);
    expect(r.parameters).toMatchObject({ seed: 5, draws: 2000, policy: FW.policy, uncertainty: DEFAULT, interval: [0.05, 0.95], method: "linear-integer" });
    expect(r.parameters.confidence).toEqual({ "MI1.1": "low", "MI1.2": "low", "MI2.1": "low", "MI2.2": "low" });
  });

  it("a zero-spread model gives exactly the deterministic scores, with probability 1 of the deterministic rating", () => {
    const r = run(9, ZERO);
    const det = score(FW, SCALE_31, ASSESSMENT);
    for (const k of r.kpis) {
      const d = byId(det.kpis, k.id);
      expect(k.deterministic).toEqual({ score: d.score, exact: d.exact, rating: d.rating });
      expect(k.probabilities[d.rating]).toBe(1);
      expect(k.stability).toBe(1);
      expect(k.counts[d.rating]).toBe(2000);
      const exact = Number((Number(d.exact!.split("/")[0]) / Number(d.exact!.split("/")[1] ?? 1)).toFixed(4));
      expect(k.mean).toBe(exact);
      expect(k.std).toBe(0);
      expect(k.interval).toEqual({ low: exact, median: exact, high: exact });
    }
  });

  it("each leaf draws from its MI's computed confidence and is clamped to its scale", () => {
    // MI1.1 has three evidence streams behind it (high); MI1.2 has none (low).
    const fw = makeFramework([[2, 2]]);
    const evidence = ["document", "survey", "interview"].map((stream, i) => ({ id: `EV${i}`, stream, source: { title: "s" }, elements: ["MI1.1.E1", "MI1.1.E2"] }));
    const a = makeAssessment(fw, { "MI1.1.E1": 2, "MI1.1.E2": 2, "MI1.2.E1": 1, "MI1.2.E2": 4 }, { evidence });
    const shift = model({ high: { "0": 1 }, medium: { "0": 1 }, low: { "+1": 1 } });
    const r = simulate(fw, SCALE_31, a, { draws: 100, seed: 1, uncertainty: shift });
    expect(r.parameters.confidence).toEqual({ "MI1.1": "high", "MI1.2": "low" });
    // MI1.1 stays 2; MI1.2 becomes (2 + 4)/2 = 3 (4 + 1 is clamped to 4); KPI1 = 2.5 in every draw.
    expect(byId(r.kpis, "KPI1")).toMatchObject({ mean: 2.5, std: 0, counts: { unsatisfactory: 100 }, interval: { low: 2.5, median: 2.5, high: 2.5 } });
    expect(byId(r.kpis, "KPI1").deterministic.score).toBe(2.25);
  });

  it("a two-point distribution gives the expected shares within sampling error", () => {
    const fw = makeFramework([[1]]);
    const a = makeAssessment(fw, { "MI1.1.E1": 2 });
    const coin = model({ high: { "0": 1 }, medium: { "0": 1 }, low: { "-1": 0.5, "+1": 0.5 } });
    const r = byId(simulate(fw, SCALE_31, a, { draws: 10_000, seed: 3, uncertainty: coin }).kpis, "KPI1");
    // KPI1 is 1 (highly unsatisfactory) or 3 (satisfactory); standard error of a share 0.005.
    expect(Math.abs(r.probabilities["satisfactory"]! - 0.5)).toBeLessThan(0.02);
    expect(r.probabilities["satisfactory"]! + r.probabilities["highly-unsatisfactory"]!).toBeCloseTo(1, 10);
    expect(Math.abs(r.mean! - 2)).toBeLessThan(0.04);
    expect(r.interval!.low).toBe(1);
    expect(r.interval!.high).toBe(3);
    expect(r.std).toBeCloseTo(1, 1);
  });

  it("the fast path and the per-draw evaluatePlan path agree draw for draw", () => {
    const options = { draws: 3000, seed: 11, uncertainty: DEFAULT };
    const fast = simulate(FW, SCALE_31, ASSESSMENT, options);
    const slow = simulate(FW, SCALE_31, ASSESSMENT, { ...options, generic: true });
    expect(slow.parameters.method).toBe("evaluate-float");
    for (const [i, k] of fast.kpis.entries()) {
      const s = slow.kpis[i]!;
      expect(s.counts).toEqual(k.counts);
      expect(s.mean).toBeCloseTo(k.mean!, 10);
      expect(s.interval).toEqual(k.interval);
    }
  });

  it("a KPI whose integer range is too wide for a histogram keeps the list of draws, and agrees with the per-draw path", () => {
    // MIs of 7, 9, 11, 13, 16, 17 and 19 elements: the common denominator is about 2.3e8, so N
    // ranges over about 10^9 values, far more than a histogram holds.
    const sizes = [7, 9, 11, 13, 16, 17, 19];
    const fw = makeFramework([sizes]);
    const judged = Object.fromEntries(sizes.flatMap((n, m) => Array.from({ length: n }, (_, e) => [`MI1.${m + 1}.E${e + 1}`, (m + e) % 5] as const)));
    const a = makeAssessment(fw, judged);
    const options = { draws: 2000, seed: 5, uncertainty: DEFAULT };
    const fast = simulate(fw, SCALE_31, a, options);
    const slow = simulate(fw, SCALE_31, a, { ...options, generic: true });
    expect(fast.parameters.method).toBe("linear-integer");
    const [f, g] = [fast.kpis[0]!, slow.kpis[0]!];
    expect(f.counts).toEqual(g.counts);
    expect(f.mean).toBeCloseTo(g.mean!, 10);
    expect(f.std).toBeCloseTo(g.std!, 10);
    for (const key of ["low", "median", "high"] as const) expect(f.interval![key]).toBeCloseTo(g.interval![key], 10);
  });

  it("stops between chunks when its signal is aborted, and gives its size before it runs", async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    const prepared = prepareSimulation(FW, SCALE_31, ASSESSMENT, {
      draws: 5000,
      seed: 3,
      uncertainty: DEFAULT,
      progressEvery: 1000,
      signal: stop.signal,
      onProgress: (d) => {
        seen.push(d);
        if (d === 2000) stop.abort();
      },
    });
    // Every scored leaf varies here: 9 of the 10 (MI2.2.E3 is N/E).
    expect(prepared.varied).toBe(9);
    expect(prepared.work).toBe(45_000);
    let stopped: unknown;
    try {
      prepared.run();
    } catch (error) {
      stopped = error;
    }
    expect(stopped).toBeInstanceOf(SimulationStopped);
    expect((stopped as SimulationStopped).done).toBe(2000);
    expect(seen).toEqual([1000, 2000]);
    // The asynchronous run, not stopped, gives the same bytes as the synchronous one.
    const again = prepareSimulation(FW, SCALE_31, ASSESSMENT, { draws: 5000, seed: 3, uncertainty: DEFAULT });
    expect(JSON.stringify(await again.runAsync(() => Promise.resolve()))).toBe(JSON.stringify(simulate(FW, SCALE_31, ASSESSMENT, { draws: 5000, seed: 3, uncertainty: DEFAULT })));
  });

  it("reports progress through the callback and validates draws and seed", () => {
    const calls: number[] = [];
    simulate(FW, SCALE_31, ASSESSMENT, { draws: 2500, seed: 1, uncertainty: DEFAULT, onProgress: (d, t) => calls.push(d, t) });
    expect(calls).toEqual([1000, 2500, 2000, 2500, 2500, 2500]);
    expect(() => run(0)).toThrow(RangeError);
    expect(() => simulate(FW, SCALE_31, ASSESSMENT, { draws: MAX_DRAWS + 1, seed: 1, uncertainty: DEFAULT })).toThrow(RangeError);
  });

  it("on the IOM assessment: zero spread reproduces score(), and both paths agree", () => {
    expect(iom.assessment, JSON.stringify(iom.diagnostics)).toBeDefined();
    const { framework, scale, assessment } = iom as Required<typeof iom>;
    const det = score(framework, scale, assessment);
    const zero = simulate(framework, scale, assessment, { draws: 500, seed: 1, uncertainty: ZERO });
    for (const k of zero.kpis) expect(k.probabilities[byId(det.kpis, k.id).rating]).toBe(1);
    const fast = simulate(framework, scale, assessment, { draws: 1000, seed: 2, uncertainty: DEFAULT });
    const slow = simulate(framework, scale, assessment, { draws: 1000, seed: 2, uncertainty: DEFAULT, generic: true });
    expect(fast.parameters.method).toBe("linear-integer");
    expect(slow.kpis.map((k) => k.counts)).toEqual(fast.kpis.map((k) => k.counts));
  });
});
