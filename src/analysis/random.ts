/**
 * Random numbers for the simulation: xoshiro128** (Blackman and Vigna), its state filled by
 * SplitMix32 from the seed, and discrete distributions sampled by cumulative thresholds on
 * 0..2^32. Pure: no I/O.
 */
import type { ConfidenceLevel } from "../framework/schema.js";
import { Fraction, exact } from "../util/exact.js";
import { type UncertaintyModel, offsetsOf } from "./uncertainty-schema.js";

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export class Xoshiro128 {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#d = d | 0;
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  static fromSeed(seed: number): Xoshiro128 {
    let s = seed | 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    return new Xoshiro128(split(), split(), split(), split());
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }
}

/** The offset distributions of the varying leaves, as tables a 32-bit draw is looked up in. */
export interface SamplingTables {
  /** Per varying leaf: where its level's table starts. */
  readonly start: Int32Array;
  /** Cumulative thresholds on 0..2^32 (the last of each level 2^32) and the step offset of each. */
  readonly cum: Float64Array;
  readonly delta: Int32Array;
}

/** Tables for leaves drawing from the model's distribution of their level; thresholds exact. */
export function samplingTables(levels: readonly ConfidenceLevel[], model: UncertaintyModel): SamplingTables {
  const order: ConfidenceLevel[] = ["high", "medium", "low"];
  const starts = new Map<ConfidenceLevel, number>();
  const cum: number[] = [];
  const delta: number[] = [];
  const TWO32 = new Fraction(2n ** 32n);
  for (const level of order) {
    starts.set(level, cum.length);
    const entries = offsetsOf(model.levels[level]);
    let acc = new Fraction(0);
    entries.forEach((e, i) => {
      acc = acc.add(exact(e.p));
      cum.push(i === entries.length - 1 ? 2 ** 32 : Number(acc.mul(TWO32).floor().toString()));
      delta.push(e.offset);
    });
  }
  return { start: Int32Array.from(levels, (l) => starts.get(l)!), cum: Float64Array.from(cum), delta: Int32Array.from(delta) };
}

/**
 * The one sampling loop: per draw, one 32-bit number per varying leaf in order, looked up in the
 * leaf's table, giving each leaf's offset in scale steps (written to `offsets`); `onDraw` then
 * takes the draw. Yields the number of draws done after every `every` draws and at the end, so a
 * caller can report progress and stop between chunks.
 */
export function* sampleOffsets(rng: Xoshiro128, tables: SamplingTables, draws: number, every: number, onDraw: (offsets: Int32Array, draw: number) => void): Generator<number, void> {
  const { start, cum, delta } = tables;
  const n = start.length;
  const offsets = new Int32Array(n);
  for (let d = 0; d < draws; ) {
    const end = Math.min(draws, d + every);
    for (; d < end; d++) {
      for (let v = 0; v < n; v++) {
        const r = rng.next();
        let j = start[v]!;
        while (r >= cum[j]!) j++;
        offsets[v] = delta[j]!;
      }
      onDraw(offsets, d);
    }
    yield d;
  }
}
