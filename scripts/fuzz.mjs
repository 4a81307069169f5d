// npm run fuzz: feeds generated hostile and broken input to every mopan command and checks that
// each run ends with exit 0, 1 or 2, without an exception, a stack trace, a hang, a change to its
// inputs or a partial or temporary output file (scripts/fuzz/cases.mjs says exactly what is
// checked). Runs on the build in dist/ (npm run fuzz builds first).
//
//   npm run fuzz                              10,000 cases, a random seed (printed)
//   npm run fuzz -- --seed 42                 the same 10,000 cases again
//   npm run fuzz -- --seed 42 --case 1234     replay one case (and keep its folder)
//   npm run fuzz -- --cases 500 --workers 1   fewer cases, one worker
//
// Options: --seed <n> (or FUZZ_SEED), --cases <n> (or FUZZ_CASES, default 10000), --case <i>,
// --show (with --case: print the recipe), --verbose (a line per case), --workers <n> (default: 2, at most the CPUs), --child-every <n> (every n-th case runs as a
// child process of dist/bin/mopan.js instead of in-process; default 40), --timeout <ms> (per
// case, default 20000), --keep (keep the folders of failing cases).
// Type-checked (tsconfig.fuzz.json); the types of fuzz/cases.mjs are in fuzz/cases.d.mts.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { CASE_TIMEOUT_MS, describeArgv, recipeArb, sanityRecipes } from "./fuzz/cases.mjs";

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    cases: { type: "string" },
    case: { type: "string" },
    workers: { type: "string" },
    "child-every": { type: "string" },
    timeout: { type: "string" },
    keep: { type: "boolean" },
    verbose: { type: "boolean" },
    show: { type: "boolean" },
  },
});
/**
 * @typedef {import("./fuzz/cases.mjs").Recipe} Recipe
 * @typedef {{ index: number; recipe: Recipe; child: boolean }} Job
 * @typedef {{ problems: string[]; code?: number | null; argv?: string[]; stderr?: string; ms?: number; dir?: string }} Result
 * @typedef {{ worker: Worker; job: Job | undefined; timer: ReturnType<typeof setTimeout> | undefined; resolveDone: (() => void) | undefined; argv?: string[] | undefined; count?: number }} Slot
 */

/** @param {string | undefined} value @param {number} fallback */
const int = (value, fallback) => (value === undefined || value === "" ? fallback : Number.parseInt(value, 10));
const seed = int(values.seed ?? process.env.FUZZ_SEED, Date.now() % 2 ** 31);
const only = values.case === undefined ? undefined : int(values.case, 0);
const count = only !== undefined ? only + 1 : int(values.cases ?? process.env.FUZZ_CASES, 10_000);
const workers = Math.max(1, Math.min(int(values.workers, 2), availableParallelism()));
const childEvery = int(values["child-every"], 40);
const timeout = int(values.timeout, CASE_TIMEOUT_MS);
const keep = values.keep === true || only !== undefined;

console.log(`fuzz: seed ${seed}, ${only !== undefined ? `case ${only} only` : `${count} cases`}, ${workers} worker(s), every ${childEvery}th case as a child process, ${timeout / 1000} s per case`);
console.log(`      replay: npm run fuzz -- --seed ${seed}${only !== undefined ? ` --case ${only}` : ""}`);

const started = performance.now();
const generated = fc.sample(recipeArb, { seed, numRuns: count });
if (values.show && only !== undefined) {
  // The recipe of one case, long strings shortened.
  console.log(JSON.stringify(generated[only], (_k, v) => (typeof v === "string" && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v), 1));
  process.exit(0);
}
const sanity = only === undefined ? sanityRecipes() : [];
/** Jobs: the sanity recipes (negative indices), then the generated cases. */
const jobs = [...sanity.map((recipe, i) => ({ index: -(i + 1), recipe, child: false })), ...generated.map((recipe, index) => ({ index, recipe, child: index % childEvery === childEvery - 1 }))].filter(
  (job) => only === undefined || job.index === only,
);
console.log(`      generated ${generated.length} recipes in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const tmp = mkdtempSync(join(tmpdir(), "mopan-fuzz-"));
/** @type {(Result & { job: Job })[]} */
const results = [];
/** @type {(Result & { job: Job })[]} */
const failures = [];
let next = 0;
let done = 0;

/** @param {Job} job @param {Result} result */
function report(job, result) {
  results.push({ job, ...result });
  done++;
  if (values.verbose)
    console.log(
      `case ${job.index}: exit ${result.code} in ${((result.ms ?? 0) / 1000).toFixed(2)} s: mopan ${describeArgv(result.argv ?? [])}\n  ${JSON.stringify((result.stderr ?? "").slice(0, 300))}`,
    );
  if (result.problems.length > 0) {
    failures.push({ job, ...result });
    console.log(`\nFAIL case ${job.index}${job.child ? " (child process)" : ""}: mopan ${describeArgv(result.argv ?? [])}`);
    for (const p of result.problems.slice(0, 10)) console.log(`  - ${p}`);
    if (result.stderr) console.log(`  stderr: ${JSON.stringify(result.stderr.slice(0, 300))}`);
    console.log(`  replay: npm run fuzz -- --seed ${seed} --case ${job.index}${result.dir ? ` (folder: ${result.dir})` : ""}`);
  }
  if (done % 500 === 0) {
    const s = (performance.now() - started) / 1000;
    console.log(`      ${done}/${jobs.length} cases, ${failures.length} failure(s), ${s.toFixed(0)} s`);
  }
}

/** @returns {Promise<Slot>} */
function startWorker() {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./fuzz/worker.mjs", import.meta.url), { workerData: { tmp, keep }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    /** @type {Slot} */
    const slot = { worker, job: undefined, timer: undefined, resolveDone: undefined };
    worker.on("message", (message) => {
      if (message.ready) return resolve(slot);
      const job = slot.job;
      if (job === undefined || job.index !== message.index) return; // a result after its timeout
      if (message.started) {
        slot.argv = message.argv;
        return;
      }
      clearTimeout(slot.timer);
      slot.job = undefined;
      report(job, message);
      dispatch(slot);
    });
    worker.on("error", (error) => {
      clearTimeout(slot.timer);
      if (slot.job) report(slot.job, { problems: [`the worker died: ${error.stack ?? error}`], argv: [] });
      slot.job = undefined;
      replace(slot);
    });
  });
}

/** @param {Slot} slot */
async function replace(slot) {
  await slot.worker.terminate();
  const fresh = await startWorker();
  fresh.resolveDone = slot.resolveDone;
  dispatch(fresh);
}

/** A worker is replaced after this many cases, so one case's garbage never slows the next thousand. */
const CASES_PER_WORKER = 1_000;

/** @param {Slot} slot */
function dispatch(slot) {
  if (next < jobs.length && (slot.count = (slot.count ?? 0) + 1) > CASES_PER_WORKER) {
    replace(slot);
    return;
  }
  if (next >= jobs.length) {
    slot.worker.terminate();
    slot.resolveDone?.();
    return;
  }
  const job = /** @type {Job} */ (jobs[next++]);
  slot.job = job;
  slot.argv = undefined;
  slot.timer = setTimeout(
    () => {
      // A hang: the worker is stopped, even inside a synchronous loop, and replaced.
      report(job, { problems: [`no result after ${timeout / 1000} s (a hang)`], argv: slot.argv ?? [] });
      slot.job = undefined;
      replace(slot);
    },
    job.child ? timeout + 5_000 : timeout,
  );
  slot.worker.postMessage(job);
}

await Promise.all(
  Array.from({ length: Math.min(workers, jobs.length) }, async () => {
    const slot = await startWorker();
    await new Promise((resolve) => {
      slot.resolveDone = () => resolve(undefined);
      dispatch(slot);
    });
  }),
);
if (failures.length === 0 || !keep) rmSync(tmp, { recursive: true, force: true });

const seconds = (performance.now() - started) / 1000;
const generatedResults = results.filter((r) => r.job.index >= 0);
/** @param {(r: Result & { job: Job }) => string | number} key */
const tally = (key) => {
  const counts = new Map();
  for (const r of generatedResults) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
};
console.log(`\nfuzz: ${generatedResults.length} generated cases (+${results.length - generatedResults.length} sanity cases) in ${seconds.toFixed(1)} s, seed ${seed}`);
console.log(`      in-process ${generatedResults.filter((r) => !r.job.child).length}, child processes ${generatedResults.filter((r) => r.job.child).length}`);
console.log(`      by command: ${tally((r) => r.job.recipe.cmd)}`);
console.log(`      by exit code: ${tally((r) => r.code ?? "none")}`);
const slowest = [...generatedResults].sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0)).slice(0, 5);
console.log(`      slowest: ${slowest.map((r) => `#${r.job.index} ${r.job.recipe.cmd} ${((r.ms ?? 0) / 1000).toFixed(1)} s`).join("; ")}`);
if (failures.length > 0) {
  console.log(`\nfuzz: ${failures.length} FAILURE(S); replay one with: npm run fuzz -- --seed ${seed} --case <index>`);
  for (const f of failures) console.log(`  case ${f.job.index}: ${f.problems[0]}`);
  process.exitCode = 1;
} else console.log("fuzz: no failures");
