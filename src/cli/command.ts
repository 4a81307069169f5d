import { statSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Sinks } from "../io/output.js";

/** The raw streams a run writes to (`src/io/output.ts`); tests pass their own. */
export type CliIo = Sinks;
export type { Terminal } from "../io/output.js";

/** Bad command-line use: exit code 2 with the message and the command's usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** "-" as a file name means standard output, for every command that writes. */
export const STDOUT = "-";

/** node:util parseArgs, with its errors turned into usage errors. */
type ParsedArgs<T extends ParseArgsConfig["options"]> = ReturnType<typeof parseArgs<{ args: string[]; options: { help: { type: "boolean"; short: "h" } } & T; allowPositionals: true; strict: true }>>;

/** `--help` was given: the run prints the command's usage on standard output and ends with exit code 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super("help requested");
  }
}

/** Parses a command's arguments; with `--help` (`-h`) it throws `HelpRequested`, which `run` answers. */
export function parse<T extends ParseArgsConfig["options"]>(args: string[], options: T, usage: string): ParsedArgs<T> {
  let parsed: ParsedArgs<T>;
  try {
    parsed = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals: true, strict: true }) as ParsedArgs<T>;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, "."), usage);
  }
  const values = parsed.values as { help?: boolean; frameworks?: unknown };
  if (values.help === true) throw new HelpRequested(usage);
  if (typeof values.frameworks === "string" && !isFolder(values.frameworks)) {
    throw new UsageError(`--frameworks ${JSON.stringify(values.frameworks)} is not a folder (one that holds <id>.json frameworks and rating-scales/).`, usage);
  }
  return parsed;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, usage: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)}).`, usage);
  }
  return value as T;
}
