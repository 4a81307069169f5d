/**
 * Helpers for the fault-injection tests: the real CLI (dist/bin/mopan.js) as a child process, with
 * stdout and stderr wired to files, pipes or devices, and a tmpfs of a given size when running as
 * root (CI runs as root; elsewhere those tests say why they skip).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { BIN, ROOT, STACK_LINE } from "../fuzz/support.js";

export { BIN, ROOT, STACK_LINE };
export const IOM = join(ROOT, "assessments/iom-2023");

export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** A scratch folder for one test file, removed (and unmounted) afterwards. */
export function scratch(name: string): { fresh: (label: string) => string; mounts: string[] } {
  const base = mkdtempSync(join(tmpdir(), `mopan-faults-${name}-`));
  let n = 0;
  const mounts: string[] = [];
  afterAll(() => {
    for (const mount of mounts.reverse()) spawnSync("umount", ["-l", mount]);
    rmSync(base, { recursive: true, force: true });
  });
  return {
    fresh: (label: string) => {
      const dir = join(base, `${label}-${n++}`);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    mounts,
  };
}

/** Mounts a tmpfs of `size` (e.g. "64k") on `dir`; false when that is not possible (not root, no mount). */
export function mountTmpfs(dir: string, size: string, mounts: string[]): boolean {
  if (!isRoot) return false;
  const done = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0777`, "tmpfs", dir]);
  if (done.status !== 0) return false;
  mounts.push(dir);
  return true;
}

/** Whether tmpfs mounts work here (root with mount rights); tests that need one skip otherwise. */
export const canMount: boolean = (() => {
  if (!isRoot) return false;
  const probe = mkdtempSync(join(tmpdir(), "mopan-mount-probe-"));
  const ok = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe]).status === 0;
  if (ok) spawnSync("umount", [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

export interface Outcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a shell command line (bash) with BIN available as "$M"; for redirections and pipes. */
export function sh(script: string, options: { env?: NodeJS.ProcessEnv; timeout?: number; cwd?: string } = {}): Outcome {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, M: `${process.execPath} ${BIN}` };
  delete env["MOPAN_DEBUG"];
  const child = spawnSync("bash", ["-c", `set -o pipefail; ${script}`], { env, encoding: "utf8", timeout: options.timeout ?? 60_000, cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw child.error;
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

/** Runs the CLI as a child process (no shell). */
export function mopan(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeout?: number; cwd?: string } = {}): Outcome {
  const env = { ...process.env, ...options.env };
  delete env["MOPAN_DEBUG"];
  const child = spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8", timeout: options.timeout ?? 60_000, cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw child.error;
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

/** Starts the CLI without waiting; `done` resolves with its outcome. */
export function start(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): { child: ChildProcess; done: Promise<Outcome> } {
  const env = { ...process.env, ...options.env };
  delete env["MOPAN_DEBUG"];
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString("utf8")));
  const done = new Promise<Outcome>((resolve) => child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done };
}

/** No stack trace and no "internal error" in what the CLI printed. */
export function expectNoCrash(outcome: Outcome): void {
  expect(outcome.stderr).not.toMatch(STACK_LINE);
  expect(outcome.stderr).not.toContain("internal error");
  expect(outcome.stdout).not.toMatch(STACK_LINE);
}

/** Files the output layer leaves only while it runs: `.mopan-<pid>-<hex>.tmp` and `.old`. */
export const leftovers = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => /^\.mopan-.*\.(tmp|old)$/.test(name)) : []);

/** A copy of the IOM assessment folder. */
export function iomCopy(dir: string): string {
  cpSync(IOM, dir, { recursive: true });
  return dir;
}
