/**
 * dist/bin/mopan.js runs the CLI bundle through V8's code cache made by the build. The cache is an
 * optimisation only: V8 refuses one made by another Node version or for other bytes, and the
 * command must then behave exactly the same. Here it runs from a copy of dist/bin whose cache is
 * missing, truncated or garbage.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const IOM = join(ROOT, "assessments/iom-2023");
let pkg = "";

const run = (bin: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: "utf8" });

beforeAll(() => {
  pkg = mkdtempSync(join(tmpdir(), "mopan-code-cache-"));
  mkdirSync(join(pkg, "dist"));
  cpSync(join(ROOT, "dist/bin"), join(pkg, "dist/bin"), { recursive: true });
  symlinkSync(join(ROOT, "dist/framework-cache"), join(pkg, "dist/framework-cache"));
  symlinkSync(join(ROOT, "framework"), join(pkg, "framework"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
});

afterAll(() => rmSync(pkg, { recursive: true, force: true }));

describe("the CLI's code cache", () => {
  it("is made by the build and accepted by this Node", () => {
    const probe = `process.stdout.write(String(require(${JSON.stringify(join(ROOT, "dist/bin/mopan.js"))}).compile(true).cachedDataRejected))`;
    expect(spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" }).stdout).toBe("false");
  });

  it("changes nothing a command prints, and is not needed: missing, truncated or garbage, the output is the same", () => {
    const bin = join(pkg, "dist/bin/mopan.js");
    const cache = join(pkg, "dist/bin/cli-bundle.cache");
    const expected = run(join(ROOT, "dist/bin/mopan.js"), "score", IOM, "--format", "json");
    expect(expected.status).toBe(0);
    const whole = readFileSync(cache);
    for (const [name, bytes] of [
      ["truncated", whole.subarray(0, 1000)],
      ["garbage", Buffer.from("not a V8 code cache\n")],
      ["missing", undefined],
    ] as const) {
      if (bytes) writeFileSync(cache, bytes);
      else rmSync(cache);
      const got = run(bin, "score", IOM, "--format", "json");
      expect(got.status, `${name}: ${got.stderr}`).toBe(0);
      expect(got.stdout, name).toBe(expected.stdout);
      expect(got.stderr, name).toBe("");
    }
    const usage = run(bin, "score");
    expect(usage.status).toBe(2);
  });
});
