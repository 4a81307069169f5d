import { expect } from "vitest";
import type { CliIo } from "../src/cli/command.js";
import { run } from "../src/cli/run.js";

/** Runs one command line in-process through `run`, capturing its output; it must never be an internal error. */
export async function mopan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false };
  const code = await run(argv, io);
  expect(stderr).not.toContain("internal error");
  return { code, stdout, stderr };
}
