/**
 * Files under faults, with the real CLI: targets that are not regular files, sets of files that
 * cannot all be written, full and read-only file systems, names at the length limit, outputs that
 * are inputs. After each: the right exit code, no partial or temporary file, previous files intact.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tree } from "../fuzz/support.js";
import { IOM, canMount, expectNoCrash, iomCopy, isRoot, leftovers, mopan, mountTmpfs, scratch, sh } from "./support.js";
import { skipWithout } from "../programs.js";

const { fresh, mounts } = scratch("files");

/** Three previous files in `dir`, as an earlier export left them. */
function previousExport(dir: string): Map<string, string> {
  for (const name of ["assessment.json", "scores.csv", "evidence.csv"]) writeFileSync(join(dir, name), `previous ${name}\n`);
  return tree(dir);
}

describe("targets that are not regular files are refused, also with --force", () => {
  it("a symlink among the targets: export csv writes none of the three files", () => {
    const out = fresh("symlink");
    symlinkSync("/nonexistent", join(out, "assessment.json"));
    const run = mopan(["export", "csv", IOM, "--out", out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("not-a-regular-file");
    expect(existsSync(join(out, "scores.csv"))).toBe(false);
    expect(existsSync(join(out, "evidence.csv"))).toBe(false);
    expect(readlinkSync(join(out, "assessment.json"))).toBe("/nonexistent");
    expect(leftovers(out)).toEqual([]);
    expectNoCrash(run);
  });

  it("a symlink to a real file with --force: the link and the file it names stay as they were", () => {
    const out = fresh("symlink-force");
    writeFileSync(join(out, "elsewhere.html"), "keep me\n");
    symlinkSync(join(out, "elsewhere.html"), join(out, "report.html"));
    const run = mopan(["report", IOM, "--out", join(out, "report.html"), "--force"]);
    expect(run.status).toBe(1);
    expect(lstatSync(join(out, "report.html")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, "elsewhere.html"), "utf8")).toBe("keep me\n");
    expectNoCrash(run);
  });

  it("report --format md: the .md is not written when the .svg beside it cannot be", () => {
    const out = fresh("md-svg");
    symlinkSync("/nonexistent", join(out, "report.svg"));
    const run = mopan(["report", IOM, "--format", "md", "--out", join(out, "report.md")]);
    expect(run.status).toBe(1);
    expect(existsSync(join(out, "report.md"))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it("init: a folder where scores.csv should go stops all three", () => {
    const out = fresh("init");
    mkdirSync(join(out, "scores.csv"));
    const run = mopan(["init", "--framework", "mopan-3.1", "--org", "Org", out]);
    expect(run.status).toBe(1);
    expect(existsSync(join(out, "assessment.json"))).toBe(false);
    expect(existsSync(join(out, "evidence.csv"))).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });

  it("a FIFO: refused at once (the run does not block on it), and it stays a FIFO", () => {
    const out = fresh("fifo");
    const fifo = join(out, "report.html");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const run = mopan(["report", IOM, "--out", fifo, "--force"], { timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("named pipe (FIFO), not a regular file");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("a socket: refused, and it stays a socket", async () => {
    const out = fresh("socket");
    const path = join(out, "report.html");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const run = mopan(["report", IOM, "--out", path, "--force"]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("socket, not a regular file");
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it.skipIf(skipWithout(isRoot))("a device node (made with mknod; needs root): refused with --force, still a device", () => {
    const out = fresh("device");
    const device = join(out, "null");
    expect(spawnSync("mknod", [device, "c", "1", "3"]).status).toBe(0);
    const run = mopan(["report", IOM, "--out", device, "--force"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("character device, not a regular file");
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it("a file where the output's folder should be: the reason is named (mkdir says EEXIST)", () => {
    const out = fresh("file-as-folder");
    writeFileSync(join(out, "afile"), "");
    const run = mopan(["report", IOM, "--out", join(out, "afile", "r.html")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot be written (EEXIST: a file is where a folder should be)");
    expect(readFileSync(join(out, "afile"), "utf8")).toBe("");
  });

  it("a folder: refused", () => {
    const out = fresh("dir");
    mkdirSync(join(out, "r.html"));
    const run = mopan(["report", IOM, "--out", join(out, "r.html"), "--force"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("is a folder");
  });
});

describe("an output is never one of the run's inputs", () => {
  it("report --out <the assessment's own assessment.json> --force is refused and the file is unchanged", () => {
    const dir = iomCopy(fresh("input"));
    const before = tree(dir);
    const run = mopan(["report", dir, "--out", join(dir, "assessment.json"), "--force"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("output-is-input");
    expect(tree(dir)).toEqual(before);
  });

  it("import csv --out <its own scores.csv> --force is refused", () => {
    const dir = fresh("import-input");
    expect(mopan(["export", "csv", IOM, "--out", dir]).status).toBe(0);
    const before = tree(dir);
    const run = mopan(["import", "csv", dir, "--out", join(dir, "scores.csv"), "--force"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("output-is-input");
    expect(tree(dir)).toEqual(before);
  });

  it("export csv into the assessment's own folder (--force) is the documented exception and works", () => {
    const dir = iomCopy(fresh("in-place"));
    const run = mopan(["export", "csv", dir, "--force"]);
    expect(run.status).toBe(0);
    expect(mopan(["validate", dir]).status).toBe(0);
  });
});

describe("names and '-'", () => {
  it("a legal 255-byte --out name works (the temporary name is short)", () => {
    const out = fresh("long");
    const name = `${"a".repeat(250)}.html`;
    const run = mopan(["report", IOM, "--out", join(out, name)]);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(out, name), "utf8")).toMatch(/<\/html>\n$/);
    expect(leftovers(out)).toEqual([]);
  });

  it("report --out - writes to standard output and makes no file named -", () => {
    const cwd = fresh("dash");
    const run = mopan(["report", IOM, "--out", "-"], { cwd });
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(existsSync(join(cwd, "-"))).toBe(false);
  });

  it("export csv --out - is a usage error (three files cannot go to one stream)", () => {
    const run = mopan(["export", "csv", IOM, "--out", "-"]);
    expect(run.status).toBe(2);
  });
});

describe.skipIf(skipWithout(canMount))("full and read-only file systems (tmpfs; needs root, as in CI)", () => {
  it("export csv --force onto a full disk: exit 1, the previous three files intact, no temporary file", () => {
    const dir = fresh("full");
    expect(mountTmpfs(dir, "256k", mounts)).toBe(true);
    const before = previousExport(dir);
    // Fill the disk but for a few KB: the new scores.csv (80 KB) cannot fit.
    sh(`head -c 240000 /dev/zero > ${dir}/filler 2>/dev/null || true`);
    const withFiller = tree(dir);
    const run = mopan(["export", "csv", IOM, "--out", dir, "--force"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ENOSPC");
    expect(run.stderr).toContain("existing files are unchanged");
    expectNoCrash(run);
    expect(tree(dir)).toEqual(withFiller);
    for (const [path, hash] of before) expect(withFiller.get(path)).toBe(hash);
    expect(leftovers(dir)).toEqual([]);
  });

  it("report onto a full disk: exit 1, no file, no temporary file", () => {
    const dir = fresh("full-report");
    expect(mountTmpfs(dir, "64k", mounts)).toBe(true);
    const run = mopan(["report", IOM, "--out", join(dir, "r.html")]);
    expect(run.status).toBe(1);
    expect(existsSync(join(dir, "r.html"))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it("init onto a read-only file system: exit 1, nothing written", () => {
    const dir = fresh("ro");
    expect(mountTmpfs(dir, "1m", mounts)).toBe(true);
    previousExport(dir);
    expect(spawnSync("mount", ["-o", "remount,ro", dir]).status).toBe(0);
    const before = tree(dir);
    const run = mopan(["init", "--framework", "mopan-3.1", "--org", "Org", "--force", dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("EROFS");
    expectNoCrash(run);
    expect(tree(dir)).toEqual(before);
  });
});
