import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { display } from "./registry.js";

/** One output file: text (written as UTF-8) or bytes (a PDF). */
export interface Output {
  readonly path: string;
  readonly data: string | Uint8Array;
}

/**
 * Writes files atomically: each goes to a temporary file beside its target and is then moved into
 * place, so a reader never sees half a file. Without `force` nothing is written when any target
 * exists, and a target that appears meanwhile is still not overwritten (a hard link, which fails on
 * an existing name, puts the file in place). Returns problems as diagnostics; empty when all was written.
 */
export function writeOutputs(files: readonly Output[], force: boolean): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const { path } of files) {
    const existing = kind(path);
    if (existing === "dir") problems.push({ file: display(path), code: "not-a-file", severity: "error", message: `${display(path)} is a folder; cannot write a file there.` });
    else if (existing === "file" && !force) problems.push({ file: display(path), code: "file-exists", severity: "error", message: `${display(path)} already exists; use --force to overwrite it.` });
  }
  if (problems.length > 0) return problems;
  for (const { path, data } of files) {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try {
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(tmp, "wx", 0o644);
      try {
        const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (force) renameSync(tmp, path);
      else {
        try {
          linkSync(tmp, path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "EEXIST") {
            problems.push({ file: display(path), code: "file-exists", severity: "error", message: `${display(path)} appeared while writing; use --force to overwrite it.` });
            return problems;
          }
          // File systems without hard links: the check above has to do.
          if (kind(path) !== "none") throw error;
          renameSync(tmp, path);
        }
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push({ file: display(path), code: "file-unwritable", severity: "error", message: `${display(path)} cannot be written (${code}).` });
      return problems;
    } finally {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // The temporary file was never made (e.g. the folder is a file): nothing to clean up.
      }
    }
  }
  return problems;
}

function kind(path: string): "none" | "file" | "dir" {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return "none";
  }
}
