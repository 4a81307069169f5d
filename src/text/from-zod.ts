import type * as z from "zod";
import { LIMITS } from "./limits.js";
import { type Diagnostic, describeValue, toPointer } from "../diagnostics/diagnostic.js";

type Path = readonly PropertyKey[];

/**
 * Turns zod issues into diagnostics with JSON pointers, following the closest branch of failed
 * unions. At most `LIMITS.schemaProblems` are listed; one more diagnostic counts the rest.
 */
export function diagnosticsFromZod(error: z.ZodError, input: unknown, file?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const max = LIMITS.schemaProblems.max;
  for (const issue of error.issues) {
    if (out.length >= max) break;
    collect(issue, [], input, file, out);
  }
  if (error.issues.length > max || out.length > max) {
    const listed = Math.min(out.length, max);
    out.length = listed;
    out.push({ ...(file === undefined ? {} : { file }), pointer: "", code: LIMITS.schemaProblems.code, severity: "error",
      message: `The file has more than ${max.toLocaleString("en-US")} problems with its shape; the first ${listed.toLocaleString("en-US")} are listed.` });
  }
  return out;
}

function collect(issue: z.core.$ZodIssue, prefix: Path, input: unknown, file: string | undefined, out: Diagnostic[]) {
  const path = [...prefix, ...issue.path];
  const at = { ...(file === undefined ? {} : { file }), pointer: toPointer(path) };
  const received = valueAt(input, path);
  switch (issue.code) {
    case "invalid_type":
      if (received === undefined) {
        out.push({ ...at, code: "missing-property", severity: "error", expected: issue.expected,
          message: `Required property "${String(path.at(-1))}" is missing (expected ${issue.expected}).` });
      } else {
        out.push({ ...at, code: "invalid-type", severity: "error", expected: issue.expected, received: kind(received),
          message: `Expected ${issue.expected}, received ${kind(received)} ${describeValue(received)}.` });
      }
      return;
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push({ ...at, pointer: toPointer([...path, key]), code: "unknown-property", severity: "error",
          received: key, message: `Unknown property "${key}".` });
      }
      return;
    case "invalid_union": {
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0 || issue.discriminator !== undefined) {
        out.push({ ...at, code: "invalid-value", severity: "error", received: describeValue(received),
          message: unionMessage(issue, received) });
        return;
      }
      const best = branches.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && b.length < a.length) ? b : a));
      for (const sub of best) collect(sub, path, input, file, out);
      return;
    }
    case "invalid_value":
      out.push({ ...at, code: "invalid-value", severity: "error",
        expected: issue.values.map((v) => JSON.stringify(v)).join(" | "), received: describeValue(received),
        message: `Expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, received ${describeValue(received)}.` });
      return;
    case "invalid_format":
      out.push({ ...at, code: "invalid-format", severity: "error", received: describeValue(received),
        message: `${describeValue(received)} is not ${formatName(issue)}.` });
      return;
    case "too_small":
    case "too_big": {
      const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const words = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      out.push({ ...at, code: issue.code === "too_small" ? "too-small" : "too-large", severity: "error",
        expected: `${words} ${bound}${unit}`, received: describeValue(received),
        message: `Expected ${words} ${bound}${unit}, received ${sizeOf(received, issue.origin)}.` });
      return;
    }
    default:
      out.push({ ...at, code: "invalid-value", severity: "error", received: describeValue(received), message: issue.message });
  }
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion, received: unknown): string {
  if (issue.discriminator !== undefined) {
    const options = "options" in issue && issue.options ? issue.options.map((o) => JSON.stringify(o)).join(", ") : "";
    return `Unknown "${issue.discriminator}" ${describeValue(received)}${options ? `; expected one of ${options}` : ""}.`;
  }
  return `Value does not match any accepted form (received ${describeValue(received)}).`;
}

function formatName(issue: z.core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === "regex") {
    const msg = issue.message;
    return msg && !msg.startsWith("Invalid") ? msg : `of the expected form ${issue.pattern ?? ""}`.trim();
  }
  return `a valid ${issue.format}`;
}

const depth = (issues: readonly z.core.$ZodIssue[]) => Math.max(...issues.map((i) => i.path.length));

function valueAt(input: unknown, path: Path): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function sizeOf(value: unknown, origin: string): string {
  if (origin === "string" && typeof value === "string") return `${value.length} characters`;
  if (origin === "array" && Array.isArray(value)) return `${value.length} items`;
  return describeValue(value);
}
