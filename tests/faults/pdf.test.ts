/**
 * PDF printing under faults, with the real CLI: a CHROMIUM_PATH that is not a browser, a browser
 * that never starts, and signals while starting or printing. Each ends in one line and an exit
 * code, within seconds, and leaves no browser process behind.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { chromiumPath } from "../../src/cli/pdf.js";
import { IOM, expectNoCrash, leftovers, mopan, scratch, start } from "./support.js";

const { fresh } = scratch("pdf");

/** A fake browser: a shell script. */
function fakeBrowser(dir: string, body: string): string {
  const path = join(dir, "chromium");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitFor = async (check: () => boolean, ms: number, every = 50) => {
  for (const until = Date.now() + ms; Date.now() < until && !check(); ) await new Promise((resolve) => setTimeout(resolve, every));
};

describe("a CHROMIUM_PATH that is not a working browser", () => {
  it("a file that is not executable: one line, exit 1", () => {
    const dir = fresh("noexec");
    const path = join(dir, "chromium");
    writeFileSync(path, "not a program\n");
    chmodSync(path, 0o644);
    const run = mopan(["report", IOM, "--format", "pdf", "--out", join(dir, "r.pdf")], { env: { CHROMIUM_PATH: path } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^mopan report: Chromium at .* cannot be run \(EACCES: permission denied\); check CHROMIUM_PATH\. No PDF was written\.\n$/);
    expect(existsSync(join(dir, "r.pdf"))).toBe(false);
  });

  it("a program that exits at once with a long log: one short line, no browser log, exit 1", () => {
    const dir = fresh("crash");
    const path = fakeBrowser(dir, `i=0; while [ $i -lt 200 ]; do echo "[0101/000000.000:ERROR:browser log line $i]" >&2; i=$((i+1)); done; exit 3`);
    const run = mopan(["report", IOM, "--format", "pdf", "--out", join(dir, "r.pdf")], { env: { CHROMIUM_PATH: path } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("could not be started");
    expect(run.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
    expect(run.stderr.length).toBeLessThan(600);
    expect(run.stderr).not.toContain("browser log line");
    expectNoCrash(run);
  });
});

describe("a browser that never starts", () => {
  it("is given up after the start time limit (MOPAN_BROWSER_TIMEOUT_MS), and is stopped", async () => {
    const dir = fresh("hang");
    const pidFile = join(dir, "pid");
    const path = fakeBrowser(dir, `echo $$ > ${pidFile}; exec sleep 300`);
    const started = Date.now();
    const run = mopan(["report", IOM, "--format", "pdf", "--out", join(dir, "r.pdf")], { env: { CHROMIUM_PATH: path, MOPAN_BROWSER_TIMEOUT_MS: "1500" }, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("did not start within 1.5 s");
    expect(Date.now() - started).toBeLessThan(30_000);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !alive(pid), 5_000);
    expect(alive(pid)).toBe(false);
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`${signal} while it hangs: exit ${code} at once, the browser stopped, no file`, async () => {
      const dir = fresh(`hang-${signal}`);
      const pidFile = join(dir, "pid");
      const path = fakeBrowser(dir, `echo $$ > ${pidFile}; exec sleep 300`);
      const { child, done } = start(["report", IOM, "--format", "pdf", "--out", join(dir, "r.pdf")], { env: { CHROMIUM_PATH: path } });
      await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", 20_000);
      const signalled = Date.now();
      child.kill(signal);
      const outcome = await done;
      expect(outcome.status).toBe(code);
      expect(Date.now() - signalled).toBeLessThan(5_000);
      const pid = Number(readFileSync(pidFile, "utf8"));
      await waitFor(() => !alive(pid), 5_000);
      expect(alive(pid)).toBe(false);
      expect(existsSync(join(dir, "r.pdf"))).toBe(false);
      expect(leftovers(dir)).toEqual([]);
      expectNoCrash(outcome);
    }, 40_000);
  }
});

describe("SIGTERM while the real Chromium prints", () => {
  it("exit 143 from our handler, nothing printed, no file, the browser stopped", async () => {
    const dir = fresh("print");
    const out = join(dir, "r.pdf");
    // Chromium killed mid-print cannot remove its own org.chromium.Chromium.* temporary folder: give
    // it a temporary folder of its own (a short path: Chromium's sockets live in it), removed after.
    const browserTmp = mkdtempSync(join(tmpdir(), "cr-"));
    onTestFinished(() => rmSync(browserTmp, { recursive: true, force: true }));
    // The real browser, started through a script that records its process id first.
    const pidFile = join(dir, "pid");
    const browser = fakeBrowser(dir, `echo $$ > ${pidFile}; exec ${chromiumPath()} "$@"`);
    // Playwright's protocol log, in a file of its own, shows when the print request has been sent.
    const protocolLog = join(dir, "protocol.log");
    const { child, done } = start(["report", IOM, "--format", "pdf", "--out", out], {
      env: { TMPDIR: browserTmp, CHROMIUM_PATH: browser, DEBUG: "pw:protocol", DEBUG_FILE: protocolLog },
    });
    const printing = () => existsSync(protocolLog) && readFileSync(protocolLog, "utf8").includes('"method":"Page.printToPDF"');
    await waitFor(printing, 40_000, 20);
    expect(printing(), "the print request was never sent").toBe(true);
    // Printing the IOM report takes about a second; the signal comes within 20 ms of its start.
    child.kill("SIGTERM");
    const outcome = await done;
    expect({ status: outcome.status, signal: outcome.signal }, outcome.stderr).toEqual({ status: 143, signal: null });
    expect(outcome.stderr).toBe("");
    expect(outcome.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !alive(pid), 5_000);
    expect(alive(pid)).toBe(false);
  }, 60_000);
});
