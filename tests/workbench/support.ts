/**
 * Helpers for the workbench tests: the built page (dist/workbench/index.html, after `npm run
 * build`), opened from file:// in headless Chromium with every request routed and recorded.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { openFile, type PageLog } from "../report/support.js";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const WORKBENCH = join(ROOT, "dist/workbench/index.html");
export const WORKBENCH_URL = pathToFileURL(WORKBENCH).href;

/** Opens the workbench; resolves once its script has started. */
export async function openWorkbench(browser: Browser): Promise<{ page: Page; log: PageLog }> {
  const opened = await openFile(browser, WORKBENCH_URL);
  await opened.page.waitForSelector("html[data-ready]", { state: "attached" });
  return opened;
}

/** Opens an assessment folder (or files) through the "Open folder" / "Open file(s)" inputs. */
export async function openAssessment(page: Page, path: string | string[], input: "#open-folder" | "#open-files" = "#open-folder"): Promise<void> {
  await page.setInputFiles(input, path);
  await page.waitForFunction(() => /^(Opened|.*not opened)/.test(document.querySelector("#status")?.textContent ?? ""));
}

/** The KPI scores and rating labels the KPI table shows, by KPI id. */
export async function shownKpis(page: Page): Promise<Record<string, { score: string; rating: string }>> {
  return page
    .locator("table.kpis tbody tr:not(.area)")
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [row.querySelector("td.id")!.textContent!.trim(), { score: row.querySelector(".pill")!.textContent!.trim(), rating: row.querySelector(".rating")!.textContent!.trim() }]),
      ),
    );
}

/** The next download the page starts, as text and as bytes, with its file name. */
export async function download(page: Page, button: string): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [started] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const path = await started.path();
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(path);
  return { name: started.suggestedFilename(), text: bytes.toString("utf8"), bytes };
}
