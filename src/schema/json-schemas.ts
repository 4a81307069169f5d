import * as z from "zod";
import { Crosswalk } from "../analysis/crosswalk-schema.js";
import { UncertaintyModel } from "../analysis/uncertainty-schema.js";
import { Assessment } from "../assessment/schema.js";
import { FrameworkFile } from "../framework/schema.js";
import { RatingScale } from "../rating/schema.js";
import { ResponseScale, SurveyConfig, SurveyRule } from "../survey/schema.js";

/** One published JSON Schema: the zod model it is generated from and the title it carries. */
interface SchemaEntry {
  readonly model: z.ZodType;
  readonly title: string;
}

/**
 * The schemas written to `schema/<key>.schema.json` by `npm run schemas`.
 * To publish another model, add one line here.
 */
const SCHEMAS = {
  framework: { model: FrameworkFile, title: "Rating framework file (complete framework or overlay)" },
  "rating-scale": { model: RatingScale, title: "Rating scale" },
  assessment: { model: Assessment, title: "Assessment (assessment.json)" },
  crosswalk: { model: Crosswalk, title: "Crosswalk between two frameworks" },
  uncertainty: { model: UncertaintyModel, title: "Judgement uncertainty model for simulation" },
  "response-scale": { model: ResponseScale, title: "Survey response scale" },
  "survey-rule": { model: SurveyRule, title: "Survey rule: statistics to suggested scores" },
  survey: { model: SurveyConfig, title: "Partner survey (survey.json)" },
} as const satisfies Record<string, SchemaEntry>;

export type SchemaKey = keyof typeof SCHEMAS;

export const SCHEMA_KEYS = Object.keys(SCHEMAS) as SchemaKey[];

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const COMMENT = "Generated from the engine's zod models by `npm run schemas`; do not edit by hand.";

/** The zod model behind a published schema, so callers (and tests) can compare the two. */
export const zodModel = (key: SchemaKey): z.ZodType => SCHEMAS[key].model;

/** One draft-07 JSON Schema, generated from its zod model. */
export function jsonSchema(key: SchemaKey): Record<string, unknown> {
  const { model, title } = SCHEMAS[key];
  // `io: "input"`: a schema file describes what people write, which is what zod parses (before any default or transform).
  const generated = z.toJSONSchema(model, { target: "draft-07", io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
  const { $schema: _schema, $id: _id, title: _title, $comment: _comment, ...rest } = withoutIds(generated) as Record<string, unknown>;
  // Fixed key order at the top so the committed files diff cleanly.
  return { $schema: DRAFT_07, $comment: COMMENT, title, ...rest };
}

/** Every published schema, by key (the file name without `.schema.json`). */
export function jsonSchemas(): Record<string, object> {
  return Object.fromEntries(SCHEMA_KEYS.map((key) => [key, jsonSchema(key)]));
}

/** Keywords whose value is a schema, a list of schemas, or a map of name -> schema (draft-07). */
const SCHEMA_VALUED = new Set(["additionalItems", "additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "items"]);
const SCHEMA_MAPS = new Set(["definitions", "$defs", "dependencies", "patternProperties", "properties"]);

/**
 * Drops `$id` wherever it is a keyword (not where it is a property name under `properties`), so the
 * schemas stay location-free: files refer to them by relative path in their own `$schema`.
 */
function withoutIds(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$id") continue;
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(withoutIds);
    else if (SCHEMA_VALUED.has(key)) out[key] = withoutIds(value);
    else if (SCHEMA_MAPS.has(key) && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, Array.isArray(sub) ? sub : withoutIds(sub)]));
    } else out[key] = value;
  }
  return out;
}
