// A fuzz worker: runs the recipes the main thread sends, each in a fresh temporary folder.
// Type-checked (tsconfig.fuzz.json); the types of cases.mjs are in cases.d.mts.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { ROOT, bases, runAsChild, runInProcess } from "./cases.mjs";

/** @param {string} path */
const dist = (path) => import(pathToFileURL(join(ROOT, "dist", path)).href);
const { run } = await dist("cli/run.js");
const { Registry } = await dist("io/registry.js");
const B = bases(Registry);
if (!parentPort) throw new Error("scripts/fuzz/worker.mjs runs as a worker thread of scripts/fuzz.mjs");
const port = parentPort;

port.on(
  "message",
  /** @param {{ index: number; recipe: import("./cases.mjs").Recipe; child: boolean }} job */ async ({ index, recipe, child }) => {
    const dir = join(workerData.tmp, `case-${index}`);
    rmSync(dir, { recursive: true, force: true });
    const started = performance.now();
    /** @type {Omit<import("./cases.mjs").CaseResult, "code" | "stderr"> & Partial<import("./cases.mjs").CaseResult>} */
    let result;
    /** @param {string[]} argv */
    const onPlan = (argv) => port.postMessage({ index, started: true, argv });
    try {
      result = child ? runAsChild(recipe, dir, B, onPlan) : await runInProcess(recipe, dir, B, run, onPlan);
    } catch (error) {
      result = { problems: [`the fuzzer itself failed: ${(error instanceof Error && error.stack) || error}`], argv: [] };
    }
    const ms = performance.now() - started;
    if (result.problems.length === 0 || !workerData.keep) rmSync(dir, { recursive: true, force: true });
    port.postMessage({ index, ms, dir, ...result });
  },
);
port.postMessage({ ready: true });
