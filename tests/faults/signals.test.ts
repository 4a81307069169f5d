/**
 * SIGINT and SIGTERM at spread-out moments of a large export (about 14 MB), with the real CLI: the
 * exit code is 130 or 143 (or 0 when the run was already done), no temporary file is left, and the
 * output folder holds either all the previous files or all the new ones, never a mix.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tree } from "../fuzz/support.js";
import { IOM, expectNoCrash, leftovers, mopan, scratch, start } from "./support.js";

const { fresh } = scratch("signals");

let source: string;
let newFiles: string;
let duration: number;

/** The IOM assessment with 150 more evidence entries of 90,000 characters each. */
function largeAssessment(dir: string): string {
  const doc = JSON.parse(readFileSync(join(IOM, "assessment.json"), "utf8")) as { evidence: Record<string, unknown>[] };
  const model = doc.evidence[0]!;
  for (let i = 0; i < 150; i++) doc.evidence.push({ ...model, id: `BIG-${i}`, quote: `${i} `.padEnd(90_000, "lorem ipsum dolor sit amet ") });
  writeFileSync(join(dir, "assessment.json"), JSON.stringify(doc));
  return join(dir, "assessment.json");
}

const previous = (dir: string): void => {
  for (const name of ["assessment.json", "scores.csv", "evidence.csv"]) writeFileSync(join(dir, name), `previous ${name}\n`);
};

/** A folder's files by name and content hash (temporary files included). */
const contents = (dir: string): string => JSON.stringify([...tree(dir)].map(([path, hash]) => [path.slice(dir.length), hash]));

beforeAll(() => {
  source = largeAssessment(fresh("source"));
  const out = fresh("reference");
  const started = Date.now();
  const run = mopan(["export", "csv", source, "--out", out]);
  duration = Date.now() - started;
  expect(run.status, run.stderr).toBe(0);
  newFiles = contents(out);
  expect(readFileSync(join(out, "evidence.csv")).length).toBeGreaterThan(13_000_000);
}, 120_000);

/** A small deterministic generator, so a failure can be repeated. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe("a signal during a large export", () => {
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
    ["SIGHUP", 129],
  ] as const) {
    it(`${signal}: exit ${code} (or 0 when done), no temporary file, all previous or all new files`, async () => {
      const random = seeded({ SIGTERM: 11, SIGINT: 23, SIGHUP: 37 }[signal]);
      const outcomes = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const out = fresh(`${signal}-${i}`);
        previous(out);
        const before = contents(out);
        const { child, done } = start(["export", "csv", source, "--out", out, "--force"]);
        // Moments spread over the whole run, from start-up to the last bytes.
        const delay = Math.round(duration * ((i + random()) / 8) * 1.1);
        await new Promise((resolve) => setTimeout(resolve, delay));
        child.kill(signal);
        const outcome = await done;
        expectNoCrash(outcome);
        // Before Node has loaded the CLI the default action ends it (the shell shows the same code).
        const status = outcome.signal === signal ? code : outcome.status;
        expect([code, 0]).toContain(status);
        expect(leftovers(out)).toEqual([]);
        const after = contents(out);
        const wholeOld = after === before;
        const wholeNew = after === newFiles;
        expect(wholeOld || wholeNew, `after ${delay} ms: a mix of old and new files`).toBe(true);
        if (status === code) expect(outcome.stderr).toBe("");
        outcomes.add(`${status}:${wholeOld ? "old" : "new"}`);
      }
      // The spread reached the run while it was working at least once.
      expect([...outcomes].some((o) => o.startsWith(String(code)))).toBe(true);
    }, 180_000);
  }
});

describe("a signal while nothing is being written", () => {
  it("SIGTERM while reading a large input: exit 143, nothing created", async () => {
    const out = fresh("early");
    cpSync(source, join(out, "input.json"));
    const { child, done } = start(["export", "csv", join(out, "input.json"), "--out", join(out, "tables")]);
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, duration * 0.4)));
    child.kill("SIGTERM");
    const outcome = await done;
    expect(outcome.signal === "SIGTERM" ? 143 : outcome.status).toBe(143);
    expect(leftovers(join(out, "tables"))).toEqual([]);
    expectNoCrash(outcome);
  }, 60_000);
});
