/** Helpers for the hardening tests: the CLI in-process and as a child process, file trees and their hashes. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect } from "vitest";
import { run } from "../../src/cli/run.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "dist/bin/mopan.js");

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Lines of a stack trace ("    at fn (file:line:col)"): never in the CLI's output. */
export const STACK_LINE = /^\s+at (?:.+ \()?(?:file:|node:|\/|<anonymous>|async ).*$/m;

function expectClean(result: Run): void {
  expect([0, 1, 2]).toContain(result.status);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).not.toContain("internal error");
}

/** Runs the bundled CLI (dist/bin/mopan.js, built by `npm run build`) as a child process. */
export function cli(args: readonly string[], options: { cwd?: string; timeout?: number } = {}): Run {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env["MOPAN_DEBUG"];
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, encoding: "utf8", timeout: options.timeout ?? 30_000, maxBuffer: 256 * 1024 * 1024 });
  if (child.error) throw child.error;
  const result = { status: child.status, stdout: child.stdout, stderr: child.stderr };
  expectClean(result);
  return result;
}

/** Runs a command line in-process through `run(argv, io)`, capturing its output. */
export async function mopan(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const status = await run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false });
  const result = { status, stdout, stderr };
  expectClean(result);
  return result;
}

/** Every path under `dir`: a content hash for files, "dir" for folders, the target for links. */
export function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) out.set(path, `link:${readlinkSync(path)}`);
    else if (stat.isDirectory()) {
      out.set(path, "dir");
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else out.set(path, `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
  };
  walk(dir);
  return out;
}

/** Writes files (relative path -> content) under `dir`. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** Temporary files the writers could leave behind (`.mopan-<pid>-<hex>.tmp` and `.old`, older `.<name>.<pid>.<time>.tmp`, `<name>.tmp-<pid>`). */
export const isTemporary = (path: string): boolean => /\.tmp$|\.tmp-\d+$|(^|\/)\.mopan-\d+-[0-9a-f]{8}\.old$/.test(path);

export const readJsonFile = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

/** A temporary folder for one test file, removed after its tests; `fresh(name)` makes a new subfolder in it. */
export function scratch(prefix: string): { readonly root: string; fresh(name: string): string } {
  const root = mkdtempSync(join(tmpdir(), `mopan-${prefix}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return {
    root,
    fresh(name: string) {
      const dir = join(root, `${name}-${n++}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}
