import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Diagnostic, appendAll } from "../diagnostics/diagnostic.js";
import type { FrameworkEnvironment, FrameworkSource } from "../framework/load.js";
import { loadFramework, unknownFramework } from "../framework/load.js";
import type { Framework } from "../framework/model.js";
import { loadRatingScale } from "../rating/load.js";
import type { RatingScale } from "../rating/schema.js";
import { useSha256 } from "../util/sha256.js";
import { isDataId } from "../vocabulary/schema.js";
import { readCachedFramework, readCachedRatingScale } from "./framework-cache.js";
import { type JsonDocument, readJsonDocument } from "./json.js";

// Where files are read, Node is there: its sha256 gives the core's portable hash the same bytes, faster.
useSha256((text) => createHash("sha256").update(text).digest("hex"));

/** The `framework/` folder shipped with the package. */
export const BUILTIN_FRAMEWORK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../framework");

/**
 * Frameworks and rating scales found in folders (the built-in one first): `<dir>/<id>.json`
 * and `<dir>/rating-scales/<id>.json`. Files are read only when asked for.
 */
export class Registry implements FrameworkEnvironment {
  readonly #dirs: readonly string[];
  readonly #scales = new Map<string, RatingScale | undefined>();
  readonly #frameworks = new Map<string, { value?: Framework; diagnostics: readonly Diagnostic[] }>();
  readonly #documents = new Map<string, JsonDocument>();
  readonly #read = new Set<string>();
  readonly #useCache: boolean;
  readonly diagnostics: Diagnostic[] = [];

  /** `useCache: false` validates the built-in frameworks from their files (the build does). */
  constructor(extraDirs: readonly string[] = [], { useCache = true }: { useCache?: boolean } = {}) {
    this.#dirs = [BUILTIN_FRAMEWORK_DIR, ...extraDirs];
    this.#useCache = useCache;
  }

  /** Absolute paths of every JSON file this registry has read. */
  filesRead(): string[] {
    return [...this.#read];
  }

  findFramework(id: string): FrameworkSource | undefined {
    if (!isDataId(id)) return undefined;
    for (const dir of this.#dirs) {
      const file = join(dir, `${id}.json`);
      const read = this.readDocument(file);
      if (read.ok) return { raw: read.value.value, file: display(file) };
      if (read.diagnostics.some((d) => d.code !== "file-not-found")) {
        appendAll(this.diagnostics, read.diagnostics);
        return undefined;
      }
    }
    return undefined;
  }

  findRatingScale(id: string): RatingScale | undefined {
    if (this.#scales.has(id)) return this.#scales.get(id);
    let found: RatingScale | undefined = this.#useCache && isDataId(id) ? readCachedRatingScale(id) : undefined;
    if (!found && isDataId(id)) {
      for (const dir of this.#dirs) {
        const file = join(dir, "rating-scales", `${id}.json`);
        const read = this.readDocument(file);
        if (!read.ok) {
          if (read.diagnostics.some((d) => d.code !== "file-not-found")) appendAll(this.diagnostics, read.diagnostics);
          continue;
        }
        const loaded = loadRatingScale(read.value.value, display(file));
        appendAll(this.diagnostics, this.positioned(loaded.diagnostics));
        found = loaded.value;
        break;
      }
    }
    this.#scales.set(id, found);
    return found;
  }

  /**
   * Reads a JSON file and remembers it, so diagnostics about it can be given a line and column
   * (`positioned`); its duplicate keys are reported with the registry's diagnostics.
   */
  readDocument(file: string): ReturnType<typeof readJsonDocument> {
    const read = readJsonDocument(file, display(file));
    this.#read.add(resolve(file));
    if (read.ok) {
      this.#documents.set(display(file), read.value);
      appendAll(this.diagnostics, read.value.duplicateKeys);
    }
    return read;
  }

  /** Adds line and column to diagnostics that point into a JSON file this registry read. */
  positioned(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    return diagnostics.map((d) => {
      if (d.line !== undefined || d.pointer === undefined || d.file === undefined) return d;
      const place = this.#documents.get(d.file)?.locate(d.pointer);
      return place ? { ...d, ...place } : d;
    });
  }

  /** All rating scales in the registry's folders. */
  ratingScales(): RatingScale[] {
    return this.ratingScaleIds().flatMap((id) => this.findRatingScale(id) ?? []);
  }

  /** Ids of the rating scale files in the registry's folders, sorted. */
  ratingScaleIds(): string[] {
    const ids = new Set<string>();
    for (const dir of this.#dirs) for (const name of list(join(dir, "rating-scales"))) ids.add(name);
    return [...ids].sort();
  }

  /** A framework by id, resolved and validated (cached). */
  framework(id: string): { value?: Framework; diagnostics: readonly Diagnostic[] } {
    let result = this.#frameworks.get(id);
    const cached = !result && this.#useCache && isDataId(id) ? readCachedFramework(id) : undefined;
    if (cached) {
      result = { value: cached, diagnostics: [] };
      this.#frameworks.set(id, result);
    }
    if (!result) {
      const source = this.findFramework(id);
      result = source ? positionedResult(loadFramework(source, this), this) : { diagnostics: [unknownFramework(id, this.frameworkIds())] };
      this.#frameworks.set(id, result);
    }
    return result;
  }

  frameworkIds(): string[] {
    const ids = new Set<string>();
    for (const dir of this.#dirs) for (const name of list(dir)) ids.add(name);
    return [...ids].sort();
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
}

/** Paths in diagnostics: relative to the working directory when inside it. */
export function display(file: string): string {
  const cwd = process.cwd() + "/";
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

const positionedResult = <T>(result: { value?: T; diagnostics: readonly Diagnostic[] }, registry: Registry) => ({
  ...result,
  diagnostics: registry.positioned(result.diagnostics),
});
