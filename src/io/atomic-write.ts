import { randomBytes } from "node:crypto";
import { type Stats, closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { errnoReason, errnoText } from "./errno.js";
import { onInterrupt, writeAllSync, yieldToSignals } from "./output.js";
import { display } from "./registry.js";

/** One output file: text (written as UTF-8) or bytes (a PDF). */
export interface Output {
  readonly path: string;
  readonly data: string | Uint8Array;
}

export interface WriteOptions {
  /** Replace existing regular files. */
  readonly force: boolean;
  /** Files the run read: none of them may be written (compared by device and inode). */
  readonly inputs?: readonly string[];
  /** The one exception: a command that rewrites its own input in another form (export csv in place). */
  readonly mayReplaceInputs?: boolean;
  /** Only check the targets (before a long computation such as printing a PDF); write nothing. */
  readonly dryRun?: boolean;
}

/** Written in slices of this size, with a pause between them in which a signal can be handled. */
const SLICE = 1 << 20;

/**
 * Writes a set of files as one transaction: all of them or none.
 *
 * 1. Every target is checked first: a target that is a symbolic link, folder, device, FIFO or
 *    socket is refused (also with `force`), an existing file is refused without `force`, and no
 *    target may be one of the run's inputs.
 * 2. Each file is written to a temporary file beside its target (a short name, so a legal target
 *    name never becomes too long) and synced. A signal meanwhile removes them (`onInterrupt`).
 * 3. Then, with no pause in which a signal could interrupt, each temporary file is moved into place
 *    (a hard link without `force`, so a file that appeared meanwhile is not overwritten; a rename
 *    with it, after keeping a hard link to the previous file). If any step fails, what was placed is
 *    undone: new files are removed and previous files are put back.
 *
 * Returns problems as diagnostics; empty when all was written.
 */
export async function writeOutputs(files: readonly Output[], options: WriteOptions): Promise<Diagnostic[]> {
  const problems = checkTargets(files, options);
  if (problems.length > 0 || options.dryRun === true) return problems;

  const temporaries: string[] = [];
  const createdDirs: { top: string; deepest: string }[] = [];
  const removeTemporaries = () => {
    for (const tmp of temporaries) removeQuietly(tmp);
    for (const dirs of createdDirs.reverse()) removeEmptyDirs(dirs.top, dirs.deepest);
  };
  let current = files[0]?.path ?? "";
  const unregister = onInterrupt(removeTemporaries);
  try {
    for (const { path, data } of files) {
      current = path;
      const made = mkdirSync(dirname(path), { recursive: true });
      if (made !== undefined) createdDirs.push({ top: made, deepest: dirname(path) });
      const tmp = temporaryName(path, "tmp");
      const fd = openSync(tmp, "wx", 0o644);
      temporaries.push(tmp);
      try {
        const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
        for (let at = 0; at < bytes.length; at += SLICE) {
          writeAllSync(fd, bytes.subarray(at, Math.min(bytes.length, at + SLICE)));
          await yieldToSignals();
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    await yieldToSignals();
  } catch (error) {
    removeTemporaries();
    unregister();
    return [unwritable(current, files.length, error)];
  }
  // From here on no await: a signal is handled before or after the commit, never inside it.
  const failure = commit(files, temporaries, options.force);
  removeTemporaries();
  unregister();
  return failure === undefined ? [] : [failure];
}

interface Placed {
  readonly path: string;
  /** The previous file's second name, to put back on failure; undefined for a new file. */
  readonly previous?: string;
}

function commit(files: readonly Output[], temporaries: readonly string[], force: boolean): Diagnostic | undefined {
  const placed: Placed[] = [];
  let current = files[0]?.path ?? "";
  try {
    files.forEach(({ path }, i) => {
      current = path;
      const tmp = temporaries[i]!;
      if (force && exists(path)) {
        const previous = temporaryName(path, "old");
        linkSync(path, previous);
        placed.push({ path, previous });
        renameSync(tmp, path);
      } else {
        try {
          linkSync(tmp, path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new Appeared(path);
          // File systems without hard links: the check before has to do.
          if (exists(path)) throw error;
          renameSync(tmp, path);
        }
        placed.push({ path });
      }
    });
  } catch (error) {
    for (const { path, previous } of placed.reverse()) {
      if (previous === undefined) removeQuietly(path);
      else {
        try {
          renameSync(previous, path);
        } catch {
          // Nothing more can be done; the previous file keeps its second name and is reported.
        }
      }
    }
    if (error instanceof Appeared) {
      return { file: display(error.path), code: "file-exists", severity: "error", message: `${display(error.path)} appeared while writing; nothing was written. Use --force to overwrite it.` };
    }
    return unwritable(current, files.length, error);
  }
  for (const { previous } of placed) if (previous !== undefined) removeQuietly(previous);
  return undefined;
}

class Appeared extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}

/** The problems that stop a set of files before anything is written. */
function checkTargets(files: readonly Output[], options: WriteOptions): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const refuse = (path: string, code: string, message: string) => problems.push({ file: display(path), code, severity: "error", message });
  const inputs = options.mayReplaceInputs ? [] : (options.inputs ?? []).flatMap((p) => identity(p) ?? []);
  const seen = new Set<string>();
  for (const { path } of files) {
    const shown = display(path);
    if (seen.has(resolve(path))) refuse(path, "duplicate-output", `${shown} is named twice among the files to write.`);
    seen.add(resolve(path));
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) refuse(path, "not-a-regular-file", `${shown} is a symbolic link; it is never written through or replaced. Remove it or choose another name.`);
    else if (stat.isDirectory()) refuse(path, "not-a-file", `${shown} is a folder; cannot write a file there.`);
    else if (!stat.isFile()) refuse(path, "not-a-regular-file", `${shown} is a ${specialKind(stat)}, not a regular file; it is never replaced.`);
    else if (inputs.some((id) => id.dev === stat.dev && id.ino === stat.ino)) refuse(path, "output-is-input", `${shown} is one of this run's input files; write the output elsewhere.`);
    else if (!options.force) refuse(path, "file-exists", `${shown} already exists; use --force to overwrite it.`);
  }
  return problems;
}

function specialKind(stat: Stats): string {
  if (stat.isFIFO()) return "named pipe (FIFO)";
  if (stat.isSocket()) return "socket";
  if (stat.isCharacterDevice()) return "character device";
  if (stat.isBlockDevice()) return "block device";
  return "special file";
}

const identity = (path: string): { dev: number; ino: number } | undefined => {
  try {
    const { dev, ino } = statSync(path);
    return { dev, ino };
  } catch {
    return undefined;
  }
};

function unwritable(target: string, count: number, error: unknown): Diagnostic {
  const failed = error as NodeJS.ErrnoException;
  const code = failed.code ?? failed.message;
  // mkdir -p says EEXIST when the target's folder is a file: the reason is ENOTDIR's.
  const reason = failed.syscall === "mkdir" && code === "EEXIST" ? `${code}: ${errnoReason("ENOTDIR")}` : errnoText(code);
  return {
    file: display(target),
    code: "file-unwritable",
    severity: "error",
    received: code,
    message: `${display(target)} cannot be written (${reason}); nothing was written${count > 1 ? ` of the ${count} files` : ""} and existing files are unchanged.`,
  };
}

/** A short name beside `path` (at most 30 bytes, whatever the length of the target's name). */
const temporaryName = (path: string, kind: "tmp" | "old"): string => join(dirname(path), `.mopan-${process.pid}-${randomBytes(4).toString("hex")}.${kind}`);

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Removes the folders this run created (from `deepest` up to `top`), as long as they are empty. */
function removeEmptyDirs(top: string, deepest: string): void {
  for (let dir = resolve(deepest); ; dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return; // Not empty (another file is there) or gone: leave it and what is above it.
    }
    if (dir === resolve(top) || dir === dirname(dir)) return;
  }
}
