/**
 * Standard output under faults, with the real CLI: a closed pipe ends quietly with 0, a device or
 * file system that refuses the bytes ends with one clear line and exit 1, never a false success.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IOM, canMount, expectNoCrash, mountTmpfs, scratch, sh } from "./support.js";
import { skipWithout } from "../programs.js";

const { fresh, mounts } = scratch("streams");

describe("stdout to /dev/full", () => {
  for (const args of [`score ${IOM} --format json --detail`, `report ${IOM}`, `validate ${IOM} --format json`, `framework show mopan-3.1`]) {
    it(`mopan ${args.replace(IOM, "<iom>")} exits 1 with one line saying so`, () => {
      const run = sh(`$M ${args} > /dev/full`);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^mopan: cannot write to standard output \(ENOSPC: no space left on the device\); the output is incomplete\.\n$/);
      expectNoCrash(run);
    });
  }

  it("stderr to /dev/full as well: still exit 1, nothing thrown", () => {
    const run = sh(`$M score ${IOM} --format json > /dev/full 2> /dev/full; echo "status $?"`);
    expect(run.stdout).toBe("status 1\n");
  });
});

describe("stdout to a closed pipe", () => {
  for (const args of [`score ${IOM} --format json --detail`, `report ${IOM}`, `score ${IOM} --format csv --detail`, `framework show mopan-3.1-crisis --format json`]) {
    it(`mopan ${args.replace(IOM, "<iom>")} | head -c 1 ends quietly with 0`, () => {
      const run = sh(`$M ${args} | head -c 1 > /dev/null; echo "status \${PIPESTATUS[0]}"`);
      expect(run.stdout).toBe("status 0\n");
      expect(run.stderr).toBe("");
    });
  }

  it("a reader that closes before the first byte: still 0, still quiet", () => {
    const run = sh(`$M score ${IOM} --format json --detail | true; echo "status \${PIPESTATUS[0]}"`);
    expect(run.stdout).toBe("status 0\n");
    expect(run.stderr).toBe("");
  });
});

describe.skipIf(skipWithout(canMount))("stdout to a full file system (tmpfs; needs root, as in CI)", () => {
  it("score --format json --detail > full disk: exit 1 and a message, never exit 0 with half a file", () => {
    const dir = fresh("full");
    expect(mountTmpfs(dir, "64k", mounts)).toBe(true);
    const run = sh(`$M score ${IOM} --format json --detail > ${dir}/s.json`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot write to standard output (ENOSPC");
    expectNoCrash(run);
    // The shell made the file; what is in it is cut off, and the exit code says so.
    expect(() => JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toThrow();
  });

  it("report > full disk: exit 1", () => {
    const dir = fresh("full-report");
    expect(mountTmpfs(dir, "64k", mounts)).toBe(true);
    const run = sh(`$M report ${IOM} > ${dir}/r.html`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ENOSPC");
    expectNoCrash(run);
  });

  it("the same command with room to spare exits 0 with complete JSON (the test can tell)", () => {
    const dir = fresh("room");
    expect(mountTmpfs(dir, "8m", mounts)).toBe(true);
    const run = sh(`$M score ${IOM} --format json --detail > ${dir}/s.json`);
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "s.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8"))).toHaveProperty("kpis");
  });
});
