/**
 * A file-system call that fails inside a command and is not turned into a diagnostic there ends
 * as one line naming the path and the errno code with its reason (errnoText), exit 1, never an
 * internal error. A stand-in workbench command throws the failure.
 */
import { describe, expect, it, vi } from "vitest";
import { run } from "../../src/cli/run.js";

const failure = vi.hoisted(() => ({ error: undefined as unknown }));

vi.mock("../../src/cli/commands/workbench.js", () => ({
  workbenchCommand: async () => {
    throw failure.error;
  },
}));

async function workbenchFailingWith(error: unknown) {
  failure.error = error;
  let stdout = "";
  let stderr = "";
  const code = await run(["workbench"], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false });
  return { code, stdout, stderr };
}

const errno = (code: string, path?: string) => Object.assign(new Error(`${code}: failed`), { code, syscall: "open", ...(path === undefined ? {} : { path }) });

describe("a failed file-system call that reaches the CLI", () => {
  it("ENOTDIR: the path and what the code means, exit 1", async () => {
    const r = await workbenchFailingWith(errno("ENOTDIR", "/tmp/file/x"));
    expect(r).toEqual({ code: 1, stdout: "", stderr: "mopan workbench: cannot access /tmp/file/x (ENOTDIR: a file is where a folder should be).\n" });
  });

  it("another known code gets its reason too; an unknown one is shown bare; no path says 'a file'", async () => {
    expect((await workbenchFailingWith(errno("EACCES", "/x"))).stderr).toBe("mopan workbench: cannot access /x (EACCES: permission denied).\n");
    expect((await workbenchFailingWith(errno("ELOOP"))).stderr).toBe("mopan workbench: cannot access a file (ELOOP).\n");
  });

  it("an error without a system call is an internal error", async () => {
    const r = await workbenchFailingWith(new Error("boom"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("internal error: boom");
  });
});

describe("a file that cannot be read is a diagnostic with the code's reason", () => {
  it("a path through a file (ENOTDIR)", async () => {
    const { readBytes } = await import("../../src/io/json.js");
    const read = readBytes("README.md/assessment.json", "README.md/assessment.json");
    expect(read.ok).toBe(false);
    expect(read.ok ? [] : read.diagnostics).toEqual([
      { file: "README.md/assessment.json", code: "file-unreadable", severity: "error", message: "README.md/assessment.json cannot be read (ENOTDIR: a file is where a folder should be)." },
    ]);
  });
});
