// A fuzz worker: runs the recipes the main thread sends, each in a fresh temporary folder.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { ROOT, bases, runAsChild, runInProcess } from "./cases.mjs";

const dist = (path) => import(pathToFileURL(join(ROOT, "dist", path)).href);
const { run } = await dist("cli/run.js");
const { Registry } = await dist("io/registry.js");
const B = bases(Registry);

parentPort.on("message", async ({ index, recipe, child }) => {
  const dir = join(workerData.tmp, `case-${index}`);
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  let result;
  const onPlan = (argv) => parentPort.postMessage({ index, started: true, argv });
  try {
    result = child ? runAsChild(recipe, dir, B, onPlan) : await runInProcess(recipe, dir, B, run, onPlan);
  } catch (error) {
    result = { problems: [`the fuzzer itself failed: ${error?.stack ?? error}`], argv: [] };
  }
  const ms = performance.now() - started;
  if (result.problems.length === 0 || !workerData.keep) rmSync(dir, { recursive: true, force: true });
  parentPort.postMessage({ index, ms, dir, ...result });
});
parentPort.postMessage({ ready: true });
