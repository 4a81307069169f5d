import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Framework } from "../framework/model.js";

/**
 * Built-in frameworks, validated and resolved once at build time (`npm run build`), so a command
 * does not re-validate the shipped data on every start. An entry is used only while every file it
 * was built from is unchanged (sha256); an edited framework is validated afresh.
 */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE_DIR = join(PACKAGE_ROOT, "dist", "framework-cache");

interface Entry {
  readonly sources: readonly { readonly file: string; readonly sha256: string }[];
  readonly framework: Framework;
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

export function readCachedFramework(id: string): Framework | undefined {
  try {
    const entry = JSON.parse(readFileSync(join(CACHE_DIR, `${id}.json`), "utf8")) as Entry;
    for (const source of entry.sources) if (sha256(join(PACKAGE_ROOT, source.file)) !== source.sha256) return undefined;
    return entry.framework;
  } catch {
    return undefined;
  }
}

/** Records a framework that loaded without any diagnostic, with the files it was built from. */
export function writeCachedFramework(framework: Framework, files: readonly string[]): void {
  const entry: Entry = {
    sources: [...new Set(files)].sort().map((file) => ({ file: relative(PACKAGE_ROOT, file), sha256: sha256(file) })),
    framework,
  };
  mkdirSync(CACHE_DIR, { recursive: true });
  const target = join(CACHE_DIR, `${framework.id}.json`);
  writeFileSync(`${target}.tmp`, JSON.stringify(entry));
  renameSync(`${target}.tmp`, target);
}
