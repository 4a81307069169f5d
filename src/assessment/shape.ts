import type * as z from "zod";
import { Assessment, SORTED_RECORDS, keysSorted, sortKeys } from "./schema.js";
import { validate as validateShape } from "./shape-validator.generated.js";

/** The outcome of `parseAssessmentShape`: zod's `safeParse` result type. */
type ShapeResult = z.ZodSafeParseResult<Assessment>;

/**
 * The assessment's shape: what `Assessment.safeParse` returns, the same value on every input.
 * An assessment the compiled validator accepts (ajv's code for the JSON Schema zod generates) is
 * put into zod's output form without zod, at a fraction of the cost; anything it refuses goes to
 * zod, which decides and explains. tests/assessment/shape.test.ts holds the two paths equal.
 * Unlike zod's, the value shares with the input every part already in that form (often all of
 * it), as it shares strings: treat both as read-only, as the engine does.
 */
export function parseAssessmentShape(raw: unknown): ShapeResult {
  if (validateShape(raw)) return { success: true, data: canonicalAssessment(raw) as Assessment };
  return Assessment.safeParse(raw);
}

/** A value in zod's output form: the value itself when it is in that form already, else a new one. */
type Canonicaliser = (value: unknown) => unknown;
const identity: Canonicaliser = (value) => value;
const LEAVES = new Set(["string", "number", "boolean", "null", "enum", "literal"]);

/**
 * zod's output form of a value the schema accepts, read off the zod model itself: objects with
 * their keys in shape order and defaults filled in, records made by `sortedRecord` with sorted
 * keys. A schema kind it cannot put in that form faithfully stops it when the module loads.
 */
function canonicaliser(schema: z.ZodType): Canonicaliser {
  const def = schema.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "object": {
      const shape = Object.entries(def["shape"] as Record<string, z.ZodType>);
      const keys = shape.map(([key]) => key);
      const copies = shape.map(([, sub]) => canonicaliser(sub));
      const fallbacks = shape.map(([, sub]) => {
        const inner = sub.def as unknown as { type: string; defaultValue?: unknown };
        return inner.type === "default" ? () => inner.defaultValue : undefined;
      });
      // The fields that may need more than a look: those with a default or a copy of their own.
      const visit = keys.flatMap((_, i) => (copies[i] !== identity || fallbacks[i] ? [i] : []));
      return (value) => {
        const input = value as Record<string, unknown>;
        // Keys in shape order: walk the shape alongside (keys from JSON.parse compare by reference).
        let same = true;
        let p = 0;
        for (const key in input) {
          while (p < keys.length && keys[p] !== key) p++;
          if (p === keys.length) {
            same = false;
            break;
          }
          p++;
        }
        let changed: unknown[] | undefined;
        for (const i of visit) {
          const v = input[keys[i]!];
          if (v === undefined) {
            if (fallbacks[i]) same = false;
            continue;
          }
          const copy = copies[i]!;
          if (copy === identity) continue;
          const c = copy(v);
          if (c !== v) {
            changed ??= [];
            changed[i] = c;
            same = false;
          }
        }
        if (same) return input;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const v = input[key];
          if (v === undefined) {
            const fallback = fallbacks[i];
            if (fallback) out[key] = fallback();
          } else out[key] = changed?.[i] ?? v;
        }
        return out;
      };
    }
    case "optional":
    case "nullable":
    case "default":
      return canonicaliser(def["innerType"] as z.ZodType);
    case "array": {
      const copy = canonicaliser(def["element"] as z.ZodType);
      if (copy === identity) return identity;
      return (value) => {
        const input = value as unknown[];
        let out: unknown[] | undefined;
        for (let i = 0; i < input.length; i++) {
          const c = copy(input[i]);
          if (c !== input[i]) {
            out ??= input.slice();
            out[i] = c;
          }
        }
        return out ?? input;
      };
    }
    case "pipe": {
      const record = (def["in"] as z.ZodType).def as unknown as { type: string; valueType: z.ZodType };
      if (!SORTED_RECORDS.has(schema) || record.type !== "record") break;
      const copy = canonicaliser(record.valueType);
      return (value) => {
        const input = value as Record<string, unknown>;
        return copy === identity && keysSorted(input) ? input : sortKeys(input, copy);
      };
    }
    case "union":
      if ((def["options"] as z.ZodType[]).every((option) => canonicaliser(option) === identity)) return identity;
      break;
    default:
      if (LEAVES.has(def.type)) return identity;
  }
  throw new Error(`parseAssessmentShape: a "${def.type}" in the assessment schema is not put into zod's output form; extend canonicaliser()`);
}

const canonicalAssessment = canonicaliser(Assessment);
