import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VALIDATOR_FILE, validatorSource } from "../../scripts/validator-source.mjs";
import { Assessment } from "../../src/assessment/schema.js";
import { parseAssessmentShape } from "../../src/assessment/shape.js";
import { validate as compiledValidator } from "../../src/assessment/shape-validator.generated.js";
import { jsonSchema } from "../../src/schema/json-schemas.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Replay a failing run with FC_SEED=<seed printed by fast-check>; FC_RUNS=<n> searches longer. */
const SEED = Number(process.env["FC_SEED"] ?? 20_261_130);
const RUNS = Number(process.env["FC_RUNS"] ?? 400);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const readJson = (file: string): Json => JSON.parse(readFileSync(join(ROOT, file), "utf8")) as Json;

const REAL = [
  "assessments/iom-2023/assessment.json",
  "assessments/synthetic-survey-example/assessment.json",
  "tests/fixtures/workbooks/rich/assessment.json",
  "tests/fixtures/assessments/valid/assessment.json",
  ...readdirSync(join(ROOT, "tests/fixtures/assessments/broken"))
    .filter((d) => d !== "invalid-json")
    .sort()
    .map((d) => `tests/fixtures/assessments/broken/${d}/assessment.json`),
];

/** Both paths on one input: the same verdict, and on success the same value in the same key order. */
function expectSameAsZod(input: unknown) {
  const before = JSON.stringify(input);
  const zod = Assessment.safeParse(input);
  const ours = parseAssessmentShape(input);
  expect(JSON.stringify(input), "the input is left as it was").toBe(before);
  expect(ours.success, `zod ${zod.success ? "accepts" : `refuses: ${JSON.stringify(zod.error?.issues.slice(0, 3))}`}`).toBe(zod.success);
  if (zod.success && ours.success) expect(JSON.stringify(ours.data)).toBe(JSON.stringify(zod.data));
  if (!zod.success && !ours.success) expect(ours.error.issues).toEqual(zod.error.issues);
  return { zod: zod.success, compiled: compiledValidator(input) as boolean };
}

describe("the compiled assessment validator", () => {
  it(`${VALIDATOR_FILE} is what \`npm run schemas\` generates now`, () => {
    const stale = `${VALIDATOR_FILE} is stale: run \`npm run schemas\` and commit the result`;
    expect(readFileSync(join(ROOT, VALIDATOR_FILE), "utf8"), stale).toBe(validatorSource(jsonSchema("assessment")));
  });

  it("needs nothing at run time: no import or require of ajv", () => {
    const text = readFileSync(join(ROOT, VALIDATOR_FILE), "utf8");
    expect(text).not.toMatch(/\brequire\(|^import /m);
  });
});

describe("parseAssessmentShape is Assessment.safeParse", () => {
  for (const file of REAL) {
    it(file, () => {
      expectSameAsZod(readJson(file));
    });
  }

  it("takes the fast path for the shipped assessments, and zod's for a broken shape", () => {
    expect(compiledValidator(readJson("assessments/iom-2023/assessment.json"))).toBe(true);
    expect(compiledValidator(readJson("tests/fixtures/assessments/broken/unknown-property/assessment.json"))).toBe(false);
  });

  it("puts keys in schema order and sorts records whatever order the file used", () => {
    const iom = readJson("assessments/iom-2023/assessment.json") as Record<string, Json>;
    const reversed = reverseKeys(iom);
    expect(Object.keys(reversed as object)[0]).not.toBe(Object.keys(iom)[0]);
    const a = parseAssessmentShape(iom);
    const b = parseAssessmentShape(reversed);
    expect(a.success && b.success).toBe(true);
    if (a.success && b.success) expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
    expectSameAsZod(reversed);
  });

  it("shares with the input what is already in zod's form, and copies only the rest", () => {
    const base = readJson("tests/fixtures/assessments/valid/assessment.json") as Record<string, Json>;
    const canonical = parseAssessmentShape(base);
    if (!canonical.success) throw new Error("the valid fixture does not parse");
    expect(parseAssessmentShape(canonical.data).success && parseAssessmentShape(canonical.data).data).toBe(canonical.data);
    const evidence = canonical.data.evidence.map((e) => ({ ...e, suggestedScores: { "MI2.1.E1": 3, "MI1.1.E1": 2 } }));
    const unsorted = { ...canonical.data, evidence };
    const parsed = parseAssessmentShape(unsorted);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).not.toBe(unsorted);
    expect(parsed.data.judgements).toBe(canonical.data.judgements);
    expect(Object.keys(parsed.data.evidence[0]!.suggestedScores!)).toEqual(["MI1.1.E1", "MI2.1.E1"]);
    // The sorted copy is a plain object, as zod makes it.
    expect(Object.getPrototypeOf(parsed.data.evidence[0]!.suggestedScores)).toBe(Object.prototype);
    expect(parsed.data).toStrictEqual(Assessment.parse(unsorted));
    expect(Object.keys(unsorted.evidence[0]!.suggestedScores)).toEqual(["MI2.1.E1", "MI1.1.E1"]);
  });

  it("fills in the defaults zod fills in (judgements and evidence)", () => {
    const { judgements: _j, evidence: _e, ...bare } = readJson("tests/fixtures/assessments/valid/assessment.json") as Record<string, Json>;
    const parsed = parseAssessmentShape(bare);
    expect(parsed.success && parsed.data.judgements).toEqual([]);
    expect(parsed.success && parsed.data.evidence).toEqual([]);
    expectSameAsZod(bare);
  });

  it("measures strings as zod does, in code points, leaving to zod what units alone would refuse", () => {
    const base = readJson("tests/fixtures/assessments/valid/assessment.json") as Record<string, Json>;
    const emoji = "\u{1F600}";
    // A title may have 2,000 code points. 1,000 emoji are 2,000 UTF-16 units, 1,001 are 2,002 (the
    // compiled check counts units and refuses them; zod counts 1,001 code points and accepts), 2,001 are over.
    expect(expectSameAsZod({ ...base, title: emoji.repeat(1000) })).toEqual({ zod: true, compiled: true });
    expect(expectSameAsZod({ ...base, title: emoji.repeat(1001) })).toEqual({ zod: true, compiled: false });
    expect(parseAssessmentShape({ ...base, title: emoji.repeat(1001) }).success).toBe(true);
    expect(expectSameAsZod({ ...base, title: emoji.repeat(2001) })).toEqual({ zod: false, compiled: false });
  });

  it("agrees with zod on mutations of real assessments", () => {
    const docs = REAL.filter((f) => !f.includes("iom-2023")).map(readJson);
    docs.push(trimmed(readJson("assessments/iom-2023/assessment.json")));
    let fast = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.nat({ max: docs.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (d, mutations) => {
        let doc: Json = structuredClone(docs[d]!);
        for (const m of mutations) doc = apply(doc, m);
        const { zod, compiled } = expectSameAsZod(doc);
        if (compiled) fast++;
        if (!zod) refused++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both paths were exercised: some mutants stay valid (the fast path), some are refused (zod's).
    expect(fast).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });
});

// ---------------------------------------------------------------------------------------------
// Mutations: pick a place in the document and change it.

type Mutation = { at: number; how: "replace" | "delete" | "add-key" | "reverse-keys" | "string"; value: Json; key: string; length: number; unit: string };

const ODD: Json[] = [null, true, 0, -1, 0.5, 2.5, 4, 5, 2 ** 53, -(2 ** 53), 1e300, "", "x", "N/E", "N/A", "n/e", "2023", "2023-13", [], {}, [1], { a: 1 }, ["EV-1"]];
const KEYS = ["extra", "id", "score", "title", "evidence", "judgements", "__proto__", "constructor", "toString", "MI1.1", "MI1.1.E1", "4", "10", "$schema", "zz", "a"];
const LENGTHS = [0, 1, 63, 64, 65, 128, 129, 1999, 2000, 2001, 4000, 4001];
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  how: fc.constantFrom("replace", "delete", "add-key", "reverse-keys", "string"),
  value: fc.oneof(fc.constantFrom(...ODD), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
  key: fc.constantFrom(...KEYS),
  length: fc.constantFrom(...LENGTHS),
  unit: fc.constantFrom("a", "\u{1F600}", "e\u0301", "\u00a0"),
});

/** Every container in the document, depth first, with the key of each child. */
function containers(doc: Json, out: (Json[] | { [key: string]: Json })[] = []): (Json[] | { [key: string]: Json })[] {
  if (doc !== null && typeof doc === "object") {
    out.push(doc);
    for (const v of Object.values(doc)) containers(v, out);
  }
  return out;
}

/** Sets a property as JSON.parse would (own, enumerable), so "__proto__" is a key, not a prototype. */
function define(target: { [key: string]: Json }, key: string, value: Json) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function apply(doc: Json, m: Mutation): Json {
  const all = containers(doc);
  if (all.length === 0) return doc;
  const target = all[m.at % all.length]!;
  const keys = Object.keys(target);
  const key = keys.length > 0 ? keys[m.at % keys.length]! : m.key;
  const text = m.unit.repeat(Math.ceil(m.length / m.unit.length)).slice(0, m.length);
  if (Array.isArray(target)) {
    const i = Number(key);
    if (m.how === "delete") target.splice(i, 1);
    else if (m.how === "string") target[i] = text;
    else if (m.how === "reverse-keys") target.reverse();
    else if (keys.length > 0) target[i] = m.value;
    else target.push(m.value);
    return doc;
  }
  if (m.how === "delete") delete target[key];
  else if (m.how === "add-key") define(target, m.key, m.value);
  else if (m.how === "string") define(target, key, text);
  else if (m.how === "reverse-keys") {
    for (const k of keys) {
      const v = target[k]!;
      delete target[k];
      define(target, k, v);
    }
    return reverseKeys(doc);
  } else define(target, key, m.value);
  return doc;
}

/** The same document with every object's keys written in reverse order. */
function reverseKeys(doc: Json): Json {
  if (Array.isArray(doc)) return doc.map(reverseKeys);
  if (doc === null || typeof doc !== "object") return doc;
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(doc).reverse()) define(out, k, reverseKeys(doc[k]!));
  return out;
}

/** The IOM assessment cut to a size that keeps 400 runs quick: its first 40 judgements and evidence entries. */
function trimmed(doc: Json): Json {
  const d = doc as Record<string, Json[]>;
  return { ...(doc as object), judgements: d["judgements"]!.slice(0, 40), evidence: d["evidence"]!.slice(0, 40) } as Json;
}
