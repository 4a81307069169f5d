import { isAbsolute, relative, resolve, sep } from "node:path";

/** A relative `$schema` written for `fromDir`, made relative to `toDir` instead (URLs and absolute paths stay). */
export function rebaseSchema(metadata: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  const schema = metadata["$schema"];
  if (typeof schema !== "string" || schema === "" || isAbsolute(schema) || /^[a-z][a-z0-9+.-]*:/i.test(schema) || fromDir === toDir) return metadata;
  return { ...metadata, $schema: relative(toDir, resolve(fromDir, schema)).split(sep).join("/") };
}

