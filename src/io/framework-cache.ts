import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Framework } from "../framework/model.js";
import type { RatingScale } from "../rating/schema.js";

/**
 * Built-in frameworks and rating scales, validated and resolved once at build time (`npm run
 * build`), so a command does not re-validate the shipped data on every start. An entry is used only
 * while every file it was built from is unchanged (sha256); an edited file is validated afresh.
 */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE_DIR = join(PACKAGE_ROOT, "dist", "framework-cache");
const entryFile = (kind: CachedKind, id: string) => (kind === "framework" ? join(CACHE_DIR, `${id}.json`) : join(CACHE_DIR, "rating-scales", `${id}.json`));

type CachedKind = "framework" | "rating-scale";

interface Entry<T> {
  readonly sources: readonly { readonly file: string; readonly sha256: string }[];
  readonly value: T;
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function readCached<T>(kind: CachedKind, id: string): T | undefined {
  try {
    const entry = JSON.parse(readFileSync(entryFile(kind, id), "utf8")) as Entry<T>;
    for (const source of entry.sources) if (sha256(join(PACKAGE_ROOT, source.file)) !== source.sha256) return undefined;
    return entry.value;
  } catch {
    return undefined;
  }
}

function writeCached(kind: CachedKind, id: string, value: unknown, files: readonly string[]): void {
  const entry: Entry<unknown> = {
    sources: [...new Set(files)].sort().map((file) => ({ file: relative(PACKAGE_ROOT, file), sha256: sha256(file) })),
    value,
  };
  const target = entryFile(kind, id);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, JSON.stringify(entry));
  renameSync(`${target}.tmp`, target);
}

export const readCachedFramework = (id: string): Framework | undefined => readCached("framework", id);
export const readCachedRatingScale = (id: string): RatingScale | undefined => readCached("rating-scale", id);

/** Records a framework that loaded without any diagnostic, with the files it was built from. */
export const writeCachedFramework = (framework: Framework, files: readonly string[]): void => writeCached("framework", framework.id, framework, files);
/** Records a rating scale that loaded without any diagnostic, with its file. */
export const writeCachedRatingScale = (scale: RatingScale, file: string): void => writeCached("rating-scale", scale.id, scale, [file]);
