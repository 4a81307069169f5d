import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { isRecord } from "../../framework/tree.js";

/**
 * The metadata of an assessment (everything but judgements, evidence, stated confidence and
 * published figures) as rows of `field` and `value`: `organisation.name`, `assessors.1.name`,
 * `context.institutionalLeads.2`. Lists count from 1. An empty list or object has no row (it is
 * written back as nothing, except `assessors`, which an assessment always has).
 */
export type MetadataRow = readonly [field: string, value: string | number | boolean];

export function flattenMetadata(metadata: Record<string, unknown>, problems: Diagnostic[], file?: string): MetadataRow[] {
  const rows: MetadataRow[] = [];
  const visit = (value: unknown, path: string[], pointer: string) => {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      rows.push([path.join("."), value]);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, String(i + 1)], `${pointer}/${i}`));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key === "" || key.includes(".") || /^\d+$/.test(key)) {
          problems.push(
            notRepresentable(`${pointer}/${key}`, `The key ${JSON.stringify(key)} is empty, holds a "." or is a number, which a field name of the Assessment sheet cannot hold unchanged.`, file),
          );
        } else visit(item, [...path, key], `${pointer}/${key}`);
      }
    } else {
      problems.push(notRepresentable(pointer, `${value === null ? "null" : typeof value} cannot be written to the Assessment sheet; give text, a number or true/false.`, file));
    }
  };
  visit(metadata, [], "");
  return rows;
}

const notRepresentable = (pointer: string, message: string, file?: string): Diagnostic => ({
  ...(file === undefined ? {} : { file }),
  pointer,
  code: "not-representable",
  severity: "error",
  message,
});

/** The inverse of `flattenMetadata`: rows in order, the numbers of list positions ordering the items. */
export function unflattenMetadata(rows: readonly { field: string; value: unknown }[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { field, value } of rows) {
    const path = field.split(".").map((s) => s.trim());
    let node: Record<string, unknown> = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        Object.defineProperty(node, segment, { value, enumerable: true, writable: true, configurable: true });
        return;
      }
      const existing = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (isRecord(existing)) node = existing;
      else {
        const child: Record<string, unknown> = {};
        Object.defineProperty(node, segment, { value: child, enumerable: true, writable: true, configurable: true });
        node = child;
      }
    });
  }
  return listsFromNumberedKeys(root) as Record<string, unknown>;
}

/** Objects whose keys are all list positions (1, 2, ...) become lists, ordered by position. */
function listsFromNumberedKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, listsFromNumberedKeys(value[k])]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => converted[String(k)]);
  }
  // Rebuilt with defineProperty so that a "__proto__" field stays a field, reported as unknown.
  const out: Record<string, unknown> = {};
  for (const k of keys) Object.defineProperty(out, k, { value: converted[k], enumerable: true, writable: true, configurable: true });
  return out;
}
