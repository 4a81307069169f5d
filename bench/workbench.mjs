// Workbench benchmarks in headless Chromium (benchmark 5 of `npm run bench`, or `node bench/workbench.mjs`
// after the build), against dist/workbench/index.html opened from file://. Prints figures and PASS or
// MISS against targets:
//
//   1. time to interactive: navigation start to the end of the load event (the page's one script
//      has run and the workbench answers), median of fresh page loads; target 1 s
//   2. opening the IOM assessment in it: reading, checking, scoring and the first render; target 1 s
//   3. opening the IOM assessment as the workbook `mopan export xlsx` writes, in a fresh page: the
//      first workbook opened, so it includes starting the bundled workbook library; target 1 s
//   4. re-render after one change: a changed element score, rescored, compared with the opened
//      version, re-checked and re-rendered with layout, with the edited row on screen, median of
//      alternating edits; target 50 ms
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { median, ms, verdict } from "./figures.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const URL_ = pathToFileURL(join(ROOT, "dist/workbench/index.html")).href;
const IOM = join(ROOT, "assessments/iom-2023/assessment.json");
const { CHROMIUM_ARGS, chromiumPath } = await import(pathToFileURL(join(ROOT, "dist/cli/pdf.js")).href);

let browser;
try {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const version = browser.version();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => (route.request().url() === URL_ ? route.continue() : route.abort()));
  const iom = [...readFileSync(IOM)];
  const tmp = mkdtempSync(join(os.tmpdir(), "mopan-bench-workbench-"));
  execFileSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), "export", "xlsx", join(ROOT, "assessments/iom-2023"), "--out", join(tmp, "iom.xlsx")]);
  const iomWorkbook = [...readFileSync(join(tmp, "iom.xlsx"))];
  rmSync(tmp, { recursive: true, force: true });
  const loads = [];
  const opens = [];
  const workbookOpens = [];
  let edits = [];
  for (let run = 0; run < 5; run++) {
    const page = await context.newPage();
    await page.goto(URL_, { waitUntil: "load" });
    await page.waitForSelector("html[data-ready]", { state: "attached" });
    loads.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd));
    opens.push(
      await page.evaluate((bytes) => {
        const t = performance.now();
        globalThis.mopanWorkbench.open([{ name: "iom-2023/assessment.json", bytes: new Uint8Array(bytes) }]);
        void document.body.offsetHeight;
        return performance.now() - t;
      }, iom),
    );
    const workbookPage = await context.newPage();
    await workbookPage.goto(URL_, { waitUntil: "load" });
    await workbookPage.waitForSelector("html[data-ready]", { state: "attached" });
    workbookOpens.push(
      await workbookPage.evaluate(async (bytes) => {
        const t = performance.now();
        await globalThis.mopanWorkbench.open([{ name: "iom.xlsx", bytes: new Uint8Array(bytes) }]);
        void document.body.offsetHeight;
        if (!document.querySelector("#status").textContent.startsWith("Opened")) throw new Error(document.querySelector("#status").textContent);
        return performance.now() - t;
      }, iomWorkbook),
    );
    await workbookPage.close();
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
  const workbookOpen = median(workbookOpens);
  console.log(
    `  Chromium ${version}; ${os.cpus().length} cores; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`  time to interactive (navigation to load event end): median ${ms(load)} (${loads.map((x) => x.toFixed(0)).join(", ")}) (target <= 1000 ms) ${verdict(load <= 1000)}`);
  console.log(`  opening the IOM assessment (read, check, score, first render): median ${ms(open)} (${opens.map((x) => x.toFixed(0)).join(", ")}) (target <= 1000 ms) ${verdict(open <= 1000)}`);
  console.log(
    `  opening the IOM workbook, the first in the page (workbook library started, read, check, score, first render): median ${ms(workbookOpen)} (${workbookOpens.map((x) => x.toFixed(0)).join(", ")}) (target <= 1000 ms) ${verdict(workbookOpen <= 1000)}`,
  );
  console.log(
    `  re-render after one change (rescore, compare, re-check, render, layout): median ${ms(edit)}, min ${ms(Math.min(...edits))}, max ${ms(Math.max(...edits))} over ${edits.length} edits (target <= 50 ms) ${verdict(edit <= 50)}`,
  );
} catch (error) {
  console.log(`CRASH: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
}
