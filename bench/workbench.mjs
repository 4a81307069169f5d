// Workbench benchmarks in headless Chromium (benchmark 5 of `npm run bench`, or `node bench/workbench.mjs`
// after the build), against dist/workbench/index.html opened from file://. Prints figures and PASS or
// MISS against targets:
//
//   1. time to interactive: navigation start to the end of the load event (the page's one script
//      has run and the workbench answers), median of fresh page loads; target 1 s
//   2. opening the IOM assessment in it: reading, checking, scoring and the first render; target 1 s
//   3. re-render after one change: a changed element score, rescored, compared with the opened
//      version, re-checked and re-rendered with layout, with the edited row on screen, median of
//      alternating edits; target 50 ms
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { median, ms, verdict } from "./figures.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const URL_ = pathToFileURL(join(ROOT, "dist/workbench/index.html")).href;
const IOM = join(ROOT, "assessments/iom-2023/assessment.json");
const { CHROMIUM_ARGS, chromiumPath } = await import(pathToFileURL(join(ROOT, "dist/cli/commands/report.js")).href);

let browser;
try {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const version = browser.version();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => (route.request().url() === URL_ ? route.continue() : route.abort()));
  const iom = [...readFileSync(IOM)];
  const loads = [];
  const opens = [];
  let edits = [];
  for (let run = 0; run < 5; run++) {
    const page = await context.newPage();
    await page.goto(URL_, { waitUntil: "load" });
    await page.waitForSelector("html[data-ready]", { state: "attached" });
    loads.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd));
    opens.push(await page.evaluate((bytes) => {
      const t = performance.now();
      globalThis.mopanWorkbench.open([{ name: "iom-2023/assessment.json", bytes: new Uint8Array(bytes) }]);
      void document.body.offsetHeight;
      return performance.now() - t;
    }, iom));
    if (run === 0) {
      // The sensitivity analysis of the opened version runs in a worker; let it finish first.
      await page.waitForSelector("#sensitivity-pending", { state: "detached" });
      edits = await page.evaluate(() => {
        // As a user editing sees it: the element's row on screen.
        document.getElementById("score-MI1.1.E1").scrollIntoView({ block: "center" });
        const times = [];
        for (let i = 0; i < 21; i++) {
          const t = performance.now();
          globalThis.mopanWorkbench.edit({ kind: "score", id: "MI1.1.E1", value: String(i % 2 === 0 ? 4 : 1) });
          void document.body.offsetHeight;
          times.push(performance.now() - t);
        }
        return times;
      });
    }
    await page.close();
  }
  const load = median(loads);
  const open = median(opens);
  const edit = median(edits);
  console.log(`  Chromium ${version}; ${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`  time to interactive (navigation to load event end): median ${ms(load)} (${loads.map((x) => x.toFixed(0)).join(", ")}) (target <= 1000 ms) ${verdict(load <= 1000)}`);
  console.log(`  opening the IOM assessment (read, check, score, first render): median ${ms(open)} (${opens.map((x) => x.toFixed(0)).join(", ")}) (target <= 1000 ms) ${verdict(open <= 1000)}`);
  console.log(`  re-render after one change (rescore, compare, re-check, render, layout): median ${ms(edit)}, min ${ms(Math.min(...edits))}, max ${ms(Math.max(...edits))} over ${edits.length} edits (target <= 50 ms) ${verdict(edit <= 50)}`);
} catch (error) {
  console.log(`CRASH: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
}
