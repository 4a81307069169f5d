/**
 * A few hundred cases of the fuzzer (`npm run fuzz` runs 10,000) in the normal test suite: hostile
 * and broken frameworks, assessments and CSV tables fed to every command. Each run must end with
 * exit 0, 1 or 2, with no exception, stack trace or internal error, no change to its inputs, no
 * partial or temporary output and no prototype pollution (scripts/fuzz/cases.mjs checks it all).
 * FUZZ_SEED replays a seed; the seed is printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { bases, describeArgv, recipeArb, runAsChild, runInProcess, sanityRecipes } from "../../scripts/fuzz/cases.mjs";
import { run } from "../../src/cli/run.js";
import { Registry } from "../../src/io/registry.js";

const SEED = Number(process.env["FUZZ_SEED"] ?? 20_240_601);
const TMP = mkdtempSync(join(tmpdir(), "mopan-fuzz-test-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const B = bases(Registry);
let n = 0;
const caseDir = () => join(TMP, `case-${n++}`);

describe(`CLI fuzz (seed ${SEED}; FUZZ_SEED=<n> to replay another)`, () => {
  it("the undamaged bases are valid: every command succeeds on them", async () => {
    for (const recipe of sanityRecipes()) {
      const result = await runInProcess(recipe, caseDir(), B, run);
      expect(result.problems, `mopan ${describeArgv(result.argv)}\n${result.stderr}`).toEqual([]);
      expect(result.code).toBe(0);
    }
  });

  it("300 generated cases in-process: exit 0, 1 or 2, nothing else", async () => {
    console.log(`CLI fuzz: seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(recipeArb, async (recipe) => {
        const dir = caseDir();
        const result = await runInProcess(recipe, dir, B, run);
        rmSync(dir, { recursive: true, force: true });
        expect(result.problems, `mopan ${describeArgv(result.argv)}\n${result.stderr}`).toEqual([]);
      }),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
  }, 300_000);

  it("20 generated cases as child processes of the bundled bin", () => {
    for (const recipe of fc.sample(recipeArb, { seed: SEED + 1, numRuns: 20 })) {
      const dir = caseDir();
      const result = runAsChild(recipe, dir, B);
      rmSync(dir, { recursive: true, force: true });
      expect(result.problems, `mopan ${describeArgv(result.argv)}\n${result.stderr}`).toEqual([]);
    }
  }, 300_000);
});
