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
    out.push({
      ...(file === undefined ? {} : { file }),
      pointer: "",
      code: LIMITS.schemaProblems.code,
      severity: "error",
      message: `The file has more than ${max.toLocaleString("en-US")} problems with its shape; the first ${listed.toLocaleString("en-US")} are listed.`,
    });
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
        out.push({ ...at, code: "missing-property", severity: "error", expected: issue.expected, message: `Required property "${String(path.at(-1))}" is missing (expected ${issue.expected}).` });
      } else {
        out.push({
          ...at,
          code: "invalid-type",
          severity: "error",
          expected: issue.expected,
          received: kind(received),
          message: `Expected ${issue.expected}, received ${kind(received)} ${describeValue(received)}.`,
        });
      }
      return;
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push({ ...at, pointer: toPointer([...path, key]), code: "unknown-property", severity: "error", received: key, message: `Unknown property "${key}".` });
      }
      return;
    case "invalid_union": {
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0 || issue.discriminator !== undefined) {
        out.push({ ...at, code: "invalid-value", severity: "error", received: describeValue(received), message: unionMessage(issue, received) });
        return;
      }
      const alternatives = simpleAlternatives(branches);
      if (alternatives !== undefined) {
        out.push({
          ...at,
          code: "invalid-type",
          severity: "error",
          expected: alternatives.join(" | "),
          received: kind(received),
          message: `Expected ${alternatives.slice(0, -1).join(", ")} or ${alternatives.at(-1)}, received ${kind(received)} ${describeValue(received)}.`,
        });
        return;
      }
      const best = branches.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && b.length < a.length) ? b : a));
      for (const sub of best) collect(sub, path, input, file, out);
      return;
    }
    case "invalid_value":
      out.push({
        ...at,
        code: "invalid-value",
        severity: "error",
        expected: issue.values.map((v) => JSON.stringify(v)).join(" | "),
        received: describeValue(received),
        message: `Expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, received ${describeValue(received)}.`,
      });
      return;
    case "invalid_format":
      out.push({ ...at, code: "invalid-format", severity: "error", received: describeValue(received), message: `${describeValue(received)} is not ${formatName(issue)}.${localeDateHint(received)}` });
      return;
    case "too_small":
    case "too_big": {
      const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const words = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      out.push({
        ...at,
        code: issue.code === "too_small" ? "too-small" : "too-large",
        severity: "error",
        expected: `${words} ${bound}${unit}`,
        received: describeValue(received),
        message: `Expected ${words} ${bound}${unit}, received ${sizeOf(received, issue.origin)}.`,
      });
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

/**
 * A union whose every branch failed at the value itself on its type or value (a score: a number,
 * "N/E" or "N/A"): all the accepted forms, so the message names each of them.
 */
function simpleAlternatives(branches: readonly (readonly z.core.$ZodIssue[])[]): string[] | undefined {
  const out: string[] = [];
  for (const branch of branches) {
    if (branch.length !== 1 || branch[0]!.path.length > 0) return undefined;
    const issue = branch[0]!;
    if (issue.code === "invalid_type") out.push(issue.expected === "number" ? "a number" : issue.expected);
    else if (issue.code === "invalid_value") out.push(...issue.values.map((v) => JSON.stringify(v)));
    else return undefined;
  }
  return out.length > 1 ? out : undefined;
}

/** A date written the way a locale shows it (31/03/2023, 03.31.2023): the ISO form it must take. */
function localeDateHint(received: unknown): string {
  if (typeof received !== "string") return "";
  const m = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$/.exec(received);
  if (!m) return "";
  const [a, b, year] = [Number(m[1]), Number(m[2]), m[3]!];
  const iso = (month: number, day: number) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (a > 12 && b <= 12) return ` Dates are ISO, year-month-day: write ${iso(b, a)}.`;
  if (b > 12 && a <= 12) return ` Dates are ISO, year-month-day: write ${iso(a, b)}.`;
  return ` Dates are ISO, year-month-day (${iso(b, a)} if this is day/month/year, ${iso(a, b)} if month/day/year); store the cell as text so a spreadsheet does not reformat it.`;
}
