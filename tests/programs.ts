/**
 * The programs the tests need, as the README's Quick start lists them. Chromium, poppler, zsh and
 * fish (and util-linux `script`) are required: a test that needs one fails when it is missing.
 * LibreOffice (`soffice`), root and tmpfs mounts are optional: their tests skip without them,
 * except under CI (`.ci/run` exports CI=true), where a missing one fails instead of passing silently.
 */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";

export const underCi: boolean = !["", "0", "false"].includes(process.env["CI"] ?? "");

/** Whether to skip a test whose optional need is not met: never under CI. */
export const skipWithout = (available: boolean): boolean => !available && !underCi;

export const installed = (program: string): boolean => spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;

/** Fails the test with the install line when a required program is missing. */
export function requireProgram(program: string, debianPackage: string): void {
  expect(installed(program), `the tests need ${program} (apt-get install ${debianPackage})`).toBe(true);
}
