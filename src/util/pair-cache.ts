/** Values made once per pair of objects, held only as long as both objects are. */
export class PairCache<A extends object, B extends object, V> {
  readonly #byFirst = new WeakMap<A, WeakMap<B, V>>();

  /** The value of the pair, made by `make` the first time it is asked for. */
  get(a: A, b: B, make: () => V): V {
    let bySecond = this.#byFirst.get(a);
    if (!bySecond) this.#byFirst.set(a, (bySecond = new WeakMap()));
    let value = bySecond.get(b);
    if (value === undefined) bySecond.set(b, (value = make()));
    return value;
  }
}
