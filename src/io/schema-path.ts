import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { BUILTIN_FRAMEWORK_DIR } from "./registry.js";

/** A relative `$schema` written for `fromDir`, made relative to `toDir` instead (URLs and absolute paths stay). */
export function rebaseSchema(metadata: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  const schema = metadata["$schema"];
  if (typeof schema !== "string" || schema === "" || isAbsolute(schema) || /^[a-z][a-z0-9+.-]*:/i.test(schema) || fromDir === toDir) return metadata;
  return { ...metadata, $schema: relative(toDir, resolve(fromDir, schema)).split(sep).join("/") };
}

/** The package's `schema/` folder, beside `framework/`. */
export const SCHEMA_DIR = resolve(BUILTIN_FRAMEWORK_DIR, "..", "schema");

/** `$schema` for an assessment file in `dir`: the package's assessment schema, relative to the folder. */
export function schemaPathFor(dir: string): string {
  return relative(resolve(dir), join(SCHEMA_DIR, "assessment.schema.json")).split(sep).join("/");
}
