// Screenshot of the workbench for the README: opens dist/workbench/index.html (run `npm run
// build` first) in headless Chromium, opens an assessment folder in it, changes one element score
// and saves a PNG of the top of the page down to the performance chart.
//
//   node scripts/screenshot-workbench.mjs [assessment folder] [out.png] [--set ID=VALUE]
//
// Defaults: assessments/iom-2023, docs/workbench-screenshot.png and --set MI1.1.E1=4.
// CHROMIUM_PATH names the browser (default /usr/bin/chromium).
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { CHROMIUM_ARGS, chromiumPath } = await import(pathToFileURL(join(root, "dist/cli/pdf.js")).href);

const args = process.argv.slice(2);
const setAt = args.indexOf("--set");
const [id, value] = (setAt >= 0 ? args.splice(setAt, 2)[1] : "MI1.1.E1=4").split("=");
const [folder = join(root, "assessments/iom-2023"), out = join(root, "docs/workbench-screenshot.png")] = args;

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(join(root, "dist/workbench/index.html")).href);
  await page.setInputFiles("#open-folder", folder);
  await page.waitForSelector("#h-summary");
  await page.selectOption(`#score-${id.replaceAll(".", "\\.")}`, value);
  await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync(dirname(resolve(out)), { recursive: true });
  const bottom = await page.evaluate(() => {
    const figure = document.querySelector("#h-performance + figure");
    return figure ? Math.ceil(figure.getBoundingClientRect().bottom + window.scrollY + 16) : 1600;
  });
  await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: bottom } });
  console.log(`Wrote ${out}`);
} finally {
  await browser.close();
}
