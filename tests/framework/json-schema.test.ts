import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCHEMA_KEYS, type SchemaKey, jsonSchema, jsonSchemas, zodModel } from "../../src/schema/json-schemas.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCHEMA_DIR = join(ROOT, "schema");
const FIXTURES = join(ROOT, "tests/fixtures/frameworks");
/** Replay a failing run with FC_SEED=<seed printed by fast-check>; FC_RUNS=<n> searches longer. */
const SEED = Number(process.env["FC_SEED"] ?? 20_241_128);
const RUNS = Number(process.env["FC_RUNS"] ?? 300);

const readJsonFile = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
const jsonFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => join(dir, f))
    : [];

const validators = new Map<SchemaKey, ValidateFunction>();
function ajvValidator(key: SchemaKey): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = new Ajv({ strict: true, allErrors: true }).compile(jsonSchema(key));
    validators.set(key, validate);
  }
  return validate;
}

/** zod's and ajv's verdicts on one input, with what each said, for failure messages. */
function verdicts(key: SchemaKey, input: unknown) {
  const parsed = zodModel(key).safeParse(input);
  const validate = ajvValidator(key);
  const ajv = validate(input);
  return {
    zod: parsed.success,
    ajv,
    detail: () =>
      `zod: ${parsed.success ? "accepts" : JSON.stringify(parsed.error.issues.map((i) => ({ path: i.path.map(String), code: i.code })))}\n` +
      `ajv: ${ajv ? "accepts" : JSON.stringify((validate.errors ?? []).slice(0, 5).map((e) => ({ at: e.instancePath, kw: e.keyword })))}`,
  };
}

describe("committed JSON Schemas", () => {
  it("publishes framework, rating-scale, assessment, crosswalk, uncertainty and the survey schemas", () => {
    expect(Object.keys(jsonSchemas())).toEqual(["framework", "rating-scale", "assessment", "crosswalk", "uncertainty", "response-scale", "survey-rule", "survey"]);
  });

  for (const key of SCHEMA_KEYS) {
    it(`schema/${key}.schema.json is what jsonSchemas() generates now`, () => {
      const file = join(SCHEMA_DIR, `${key}.schema.json`);
      const expected = JSON.stringify(jsonSchemas()[key], null, 2) + "\n";
      const stale = `schema/${key}.schema.json is missing or stale: run \`npm run schemas\` and commit the result`;
      expect(existsSync(file), stale).toBe(true);
      expect(readFileSync(file, "utf8"), stale).toBe(expected);
    });
  }

  it("schema/ holds no file without a model behind it", () => {
    const files = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith(".schema.json"))
      .sort();
    expect(files).toEqual(SCHEMA_KEYS.map((k) => `${k}.schema.json`).sort());
  });

  it("each schema is draft-07, titled, $id-free, and generated the same way twice", () => {
    for (const key of SCHEMA_KEYS) {
      const schema = jsonSchema(key);
      expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
      expect(typeof schema["title"]).toBe("string");
      expect(JSON.stringify(schema)).not.toContain('"$id"');
      expect(JSON.stringify(jsonSchema(key))).toBe(JSON.stringify(schema));
    }
  });
});

describe("ajv strict mode", () => {
  for (const key of SCHEMA_KEYS) {
    it(`compiles the ${key} schema with strict: true`, () => {
      const ajv = new Ajv({ strict: true, allErrors: true });
      expect(() => ajv.compile(jsonSchema(key))).not.toThrow();
      expect(ajv.validateSchema(jsonSchema(key))).toBe(true);
    });
  }
});

describe("zod and ajv agree on the real files", () => {
  const cases: [SchemaKey, string][] = [
    ...jsonFiles(join(ROOT, "framework")).map((f): [SchemaKey, string] => ["framework", f]),
    ...jsonFiles(join(ROOT, "framework/rating-scales")).map((f): [SchemaKey, string] => ["rating-scale", f]),
    ...[...jsonFiles(FIXTURES), ...jsonFiles(join(FIXTURES, "broken"))].filter((f) => !f.endsWith("invalid-json.json")).map((f): [SchemaKey, string] => ["framework", f]),
    ...jsonFiles(join(FIXTURES, "rating-scales")).map((f): [SchemaKey, string] => ["rating-scale", f]),
    ["assessment", join(ROOT, "assessments/iom-2023/assessment.json")],
    ...jsonFiles(join(ROOT, "framework/response-scales")).map((f): [SchemaKey, string] => ["response-scale", f]),
    ...jsonFiles(join(ROOT, "framework/survey-rules")).map((f): [SchemaKey, string] => ["survey-rule", f]),
    ["assessment", join(ROOT, "assessments/synthetic-survey-example/assessment.json")],
    ["survey", join(ROOT, "assessments/synthetic-survey-example/survey.json")],
  ];

  it("finds the files", () => {
    const names = cases.map(([, f]) => f.slice(ROOT.length));
    expect(names).toContain("framework/mopan-3.1.json");
    expect(names).toContain("framework/rating-scales/mopan-3.1.json");
  });

  for (const [key, file] of cases) {
    it(`${file.slice(ROOT.length)} (${key})`, () => {
      const v = verdicts(key, readJsonFile(file));
      expect(v.ajv, v.detail()).toBe(v.zod);
    });
  }

  it("both accept the shipped MOPAN framework and rating scales", () => {
    expect(verdicts("framework", readJsonFile(join(ROOT, "framework/mopan-3.1.json"))).ajv).toBe(true);
    for (const f of jsonFiles(join(ROOT, "framework/rating-scales"))) expect(verdicts("rating-scale", readJsonFile(f)).zod).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated inputs: mutations of real documents.

type Path = (string | number)[];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a document, with the kind of value found there. */
function places(doc: Json, path: Path = [], out: { path: Path; value: Json }[] = []) {
  out.push({ path, value: doc });
  if (Array.isArray(doc)) doc.forEach((v, i) => places(v, [...path, i], out));
  else if (doc !== null && typeof doc === "object") for (const [k, v] of Object.entries(doc)) places(v, [...path, k], out);
  return out;
}

function get(doc: Json, path: Path): Json | undefined {
  let current: Json | undefined = doc;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current) ? current[key as number] : Object.hasOwn(current, key) ? current[key as string] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Sets a property as JSON.parse would (own, enumerable), so "__proto__" is a key, not a prototype. */
function define(target: { [key: string]: Json }, key: string, value: Json) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation =
  | { kind: "delete"; at: number; key: number }
  | { kind: "replace"; at: number; value: Json }
  | { kind: "set-string"; at: number; unit: string; times: number }
  | { kind: "add-property"; at: number; key: string; value: Json }
  | { kind: "rename-string"; at: number; how: number }
  | { kind: "array"; at: number; how: number; value: Json };

const ODD_VALUES: Json[] = [null, true, false, 0, -1, 0.5, 7, 2 ** 53, -(2 ** 53), 1e300, "", "x", "points", [], {}, [1], { a: 1 }];
const jsonValue = fc.oneof(
  fc.constantFrom(...ODD_VALUES),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.integer({ min: -10, max: 10 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 20, unit: "binary" }),
);
/** Lengths at and around the schema's limits (ids 64, titles 1000, texts 10 000), in ASCII, emoji and combining marks. */
const LENGTHS = [0, 1, 2, 32, 33, 64, 65, 500, 501, 1000, 1001, 10_000, 10_001];
const UNITS = ["a", "\u{1F600}", "e\u0301"];
const PROPERTY_NAMES = [
  "extra",
  "id",
  "title",
  "scoring",
  "elements",
  "rubric",
  "weights",
  "score",
  "extends",
  "changes",
  "policy",
  "performanceAreas",
  "basis",
  "$schema",
  "__proto__",
  "constructor",
  "toString",
  "N/E",
  "4",
  "5",
];

function mutationArbitrary(count: number): fc.Arbitrary<Mutation> {
  const at = fc.nat({ max: count - 1 });
  return fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), at, key: fc.nat({ max: 50 }) }),
    fc.record({ kind: fc.constant("replace" as const), at, value: jsonValue }),
    fc.record({ kind: fc.constant("set-string" as const), at, unit: fc.constantFrom(...UNITS), times: fc.constantFrom(...LENGTHS) }),
    fc.record({ kind: fc.constant("add-property" as const), at, key: fc.oneof(fc.constantFrom(...PROPERTY_NAMES), fc.string({ maxLength: 8 })), value: jsonValue }),
    fc.record({ kind: fc.constant("rename-string" as const), at, how: fc.nat({ max: 5 }) }),
    fc.record({ kind: fc.constant("array" as const), at, how: fc.nat({ max: 3 }), value: jsonValue }),
  );
}

/** Applies mutations to a copy of `doc`; one that no longer fits (its place was removed) does nothing. */
function mutate(doc: Json, all: readonly { path: Path; value: Json }[], mutations: readonly Mutation[]): Json {
  const copy = structuredClone(doc);
  for (const m of mutations) {
    const place = all[m.at];
    if (!place) continue;
    const { path } = place;
    const parentPath = path.slice(0, -1);
    const last = path.at(-1);
    const target = get(copy, path);
    const parent = path.length > 0 ? get(copy, parentPath) : undefined;
    switch (m.kind) {
      case "delete": {
        if (target !== null && typeof target === "object" && !Array.isArray(target)) {
          const keys = Object.keys(target);
          if (keys.length > 0) delete target[keys[m.key % keys.length]!];
        }
        break;
      }
      case "replace":
      case "set-string":
        if (parent !== null && typeof parent === "object" && last !== undefined && target !== undefined) {
          const value = m.kind === "replace" ? m.value : m.unit.repeat(m.times);
          if (Array.isArray(parent)) parent[last as number] = value;
          else define(parent, last as string, value);
        }
        break;
      case "add-property":
        if (target !== null && typeof target === "object" && !Array.isArray(target)) define(target, m.key, m.value);
        break;
      case "rename-string":
        if (typeof target === "string" && parent !== null && typeof parent === "object" && last !== undefined) {
          const renamed = [target + "x", target.toUpperCase() === target ? target.toLowerCase() + "Q" : target.toUpperCase(), target + " ", "", target.slice(1), `${target}-${target}`][m.how]!;
          if (Array.isArray(parent)) parent[last as number] = renamed;
          else define(parent, last as string, renamed);
        }
        break;
      case "array":
        if (Array.isArray(target)) {
          if (m.how === 0) target.length = 0;
          else if (m.how === 1 && target.length > 0) target.push(structuredClone(target[0]!));
          else if (m.how === 2) target.push(m.value);
          else target.splice(0, 1);
        }
        break;
    }
  }
  return copy;
}

describe("zod and ajv agree on generated inputs", () => {
  const sources: { key: SchemaKey; name: string; doc: Json }[] = [
    { key: "framework", name: "framework/mopan-3.1.json", doc: readJsonFile(join(ROOT, "framework/mopan-3.1.json")) as Json },
    { key: "framework", name: "fixtures/valid.json", doc: readJsonFile(join(FIXTURES, "valid.json")) as Json },
    { key: "framework", name: "fixtures/overlay-valid.json", doc: readJsonFile(join(FIXTURES, "overlay-valid.json")) as Json },
    ...(existsSync(join(ROOT, "framework/mopan-3.1-crisis.json"))
      ? [{ key: "framework" as const, name: "framework/mopan-3.1-crisis.json", doc: readJsonFile(join(ROOT, "framework/mopan-3.1-crisis.json")) as Json }]
      : []),
    { key: "rating-scale", name: "framework/rating-scales/mopan-3.1.json", doc: readJsonFile(join(ROOT, "framework/rating-scales/mopan-3.1.json")) as Json },
    { key: "assessment", name: "assessments/iom-2023/assessment.json", doc: readJsonFile(join(ROOT, "assessments/iom-2023/assessment.json")) as Json },
  ];

  for (const source of sources) {
    it(`mutations of ${source.name} (seed ${SEED}, ${RUNS} runs)`, () => {
      const all = places(source.doc);
      const tally = { accepted: 0, rejected: 0 };
      fc.assert(
        fc.property(fc.array(mutationArbitrary(all.length), { minLength: 1, maxLength: 3 }), (mutations) => {
          const input = mutate(source.doc, all, mutations);
          const v = verdicts(source.key, input);
          tally[v.zod ? "accepted" : "rejected"]++;
          expect(v.ajv, `${JSON.stringify(mutations.map((m) => ({ ...m, path: all[m.at]?.path })))}\n${v.detail()}`).toBe(v.zod);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // Both verdicts must be exercised, or agreement would prove little.
      expect(tally.rejected).toBeGreaterThan(RUNS / 10);
      expect(tally.accepted).toBeGreaterThan(RUNS / 20);
    });
  }

  it("the unmutated sources are accepted by both", () => {
    for (const source of sources) {
      const v = verdicts(source.key, source.doc);
      expect([v.zod, v.ajv], source.name).toEqual([true, true]);
    }
  });

  it("targeted mutations: each kind of breakage is rejected by both", () => {
    const base = readJsonFile(join(FIXTURES, "valid.json")) as { [key: string]: Json };
    // biome-ignore lint/suspicious/noExplicitAny: each edit reaches into arbitrary JSON to break it
    const edits: [string, (d: any) => void][] = [
      ["missing required property", (d) => delete d.performanceAreas[0].kpis[0].title],
      ["wrong type", (d) => (d.performanceAreas[0].kpis[0].mis[0].elements = "none")],
      ["unknown property", (d) => (d.policy.rounding.places = 2)],
      ["unknown enum value", (d) => (d.provenance.status = "guessed")],
      ["unknown discriminator", (d) => (d.performanceAreas[0].kpis[0].mis[0].scoring = "points")],
      ["unknown flag treatment", (d) => (d.policy.flags["N/A"] = { treatment: "ignore" })],
      ["score treatment without score", (d) => (d.policy.flags["N/E"] = { treatment: "score" })],
      ["non-integer decimals", (d) => (d.policy.rounding.decimals = 2.5)],
      ["zero step", (d) => (d.policy.elementScale.step = 0)],
      ["integer beyond 2^53", (d) => (d.policy.confidence.rules[0].minStreams = 2 ** 53)],
      ["share above 1", (d) => (d.policy.confidence.rules[0].minScoredShare = 1.5)],
      ["malformed tag", (d) => (d.performanceAreas[0].kpis[0].mis[0].elements[2].tags = ["Finance"])],
      ["malformed version", (d) => (d.version = "1.0")],
      ["empty title", (d) => (d.title = "")],
      ["title too long", (d) => (d.title = "a".repeat(1001))],
      ["id too long", (d) => (d.performanceAreas[0].id = "P".repeat(65))],
      ["weights not positive", (d) => (d.policy.aggregation.mi.weights = { "MI1.1.E1": 0 })],
      ["rubric descriptor not a string", (d) => (d.performanceAreas[0].kpis[1].mis[1].rubric["4"] = 4)],
      ["element given a rubric", (d) => (d.performanceAreas[0].kpis[0].mis[0].elements[0].rubric = {})],
      ["framework that also extends", (d) => (d.extends = "mopan-3.1")],
      ["__proto__ as an unknown key", (d) => define(d, "__proto__", 1)],
    ];
    for (const [name, edit] of edits) {
      const doc = structuredClone(base);
      edit(doc);
      const v = verdicts("framework", doc);
      expect([v.zod, v.ajv], `${name}\n${v.detail()}`).toEqual([false, false]);
    }
  });

  it("string limits count code points on both sides (an emoji is one character, not two UTF-16 units)", () => {
    // JSON Schema (and ajv) count code points; zod 4.6 does too (it falls back to code points when
    // the UTF-16 length is over a limit), so the two agree on astral text at the limits.
    const doc = structuredClone(readJsonFile(join(FIXTURES, "valid.json")) as { [key: string]: Json });
    const title = (t: string) => {
      doc["title"] = t;
      const v = verdicts("framework", doc);
      return { zod: v.zod, ajv: v.ajv };
    };
    expect(title("\u{1F600}".repeat(1000))).toEqual({ zod: true, ajv: true });
    expect(title("\u{1F600}".repeat(1001))).toEqual({ zod: false, ajv: false });
    expect(title("a" + "\u{1F600}".repeat(999))).toEqual({ zod: true, ajv: true });
    expect(title("e\u0301".repeat(500))).toEqual({ zod: true, ajv: true });
    expect(title("e\u0301".repeat(501))).toEqual({ zod: false, ajv: false });
  });
});
