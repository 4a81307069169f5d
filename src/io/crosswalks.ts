import { join } from "node:path";
import { Crosswalk } from "../analysis/crosswalk-schema.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticsFromZod } from "../text/from-zod.js";
import { isDataId } from "../vocabulary/schema.js";
import { readJson } from "./json.js";
import { BUILTIN_FRAMEWORK_DIR, display } from "./registry.js";

/** Reads and validates a crosswalk file. */
export function loadCrosswalk(file: string): { value?: Crosswalk; diagnostics: Diagnostic[] } {
  const read = readJson(file);
  if (!read.ok) return { diagnostics: read.diagnostics };
  const parsed = Crosswalk.safeParse(read.value);
  return parsed.success ? { value: parsed.data, diagnostics: [] } : { diagnostics: diagnosticsFromZod(parsed.error, read.value, display(file)) };
}

/**
 * The crosswalk between two frameworks, either way round: `<dir>/crosswalks/<a>--<b>.json` or
 * `<b>--<a>.json` in the built-in framework folder, then in the extra folders. Undefined when none exists.
 */
export function findCrosswalk(a: string, b: string, extraDirs: readonly string[] = []): { value?: Crosswalk; file?: string; diagnostics: Diagnostic[] } | undefined {
  if (!isDataId(a) || !isDataId(b)) return undefined;
  for (const dir of [BUILTIN_FRAMEWORK_DIR, ...extraDirs]) {
    for (const name of [`${a}--${b}.json`, `${b}--${a}.json`]) {
      const file = join(dir, "crosswalks", name);
      const loaded = loadCrosswalk(file);
      if (loaded.diagnostics.some((d) => d.code === "file-not-found")) continue;
      return { ...loaded, file: display(file) };
    }
  }
  return undefined;
}
