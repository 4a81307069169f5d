// Screenshot of a report for the README: renders an assessment's HTML report (from dist/, so run
// `npm run build` first), opens it in headless Chromium through playwright-core and saves a PNG.
//
//   node scripts/screenshot-report.mjs [assessment] [out.png] [--full]
//
// Defaults: assessments/iom-2023 and docs/report-screenshot.png; the top of the page (header,
// provenance and the performance chart) unless --full. CHROMIUM_PATH names the browser
// (default /usr/bin/chromium).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { prepareAssessment } = await import(pathToFileURL(join(root, "dist/io/assessment-files.js")).href);
const { Registry } = await import(pathToFileURL(join(root, "dist/io/registry.js")).href);
const { score } = await import(pathToFileURL(join(root, "dist/scoring/score.js")).href);
const { renderHtmlReport } = await import(pathToFileURL(join(root, "dist/report/html.js")).href);
const { CHROMIUM_ARGS, chromiumPath } = await import(pathToFileURL(join(root, "dist/cli/pdf.js")).href);

const args = process.argv.slice(2);
const full = args.includes("--full");
const [assessmentPath = join(root, "assessments/iom-2023"), out = join(root, "docs/report-screenshot.png")] = args.filter((a) => a !== "--full");

const prepared = prepareAssessment(assessmentPath, new Registry());
if (!prepared.assessment || !prepared.framework || !prepared.scale) {
  console.error(`${assessmentPath} is not a valid assessment; run "mopan validate ${assessmentPath}".`);
  process.exit(1);
}
const result = score(prepared.framework, prepared.scale, prepared.assessment);
const dir = mkdtempSync(join(tmpdir(), "mopan-screenshot-"));
const file = join(dir, "report.html");
writeFileSync(file, renderHtmlReport(result, prepared.framework, prepared.assessment, prepared.scale));

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(file).href);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  if (full) await page.screenshot({ path: out, fullPage: true });
  else {
    // Down to the end of the performance chart, with a margin.
    const bottom = await page.evaluate(() => {
      const figure = document.querySelector("#performance figure");
      return figure ? Math.ceil(figure.getBoundingClientRect().bottom + window.scrollY + 24) : 1600;
    });
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: bottom } });
  }
  console.log(`Wrote ${out}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
