import { accessSync, constants, statSync } from "node:fs";
import { errorText } from "../io/errno.js";

/** Chromium's launch flags: headless, and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The browser to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = (): string => process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";

/**
 * How long the browser may take to start, in milliseconds: MOPAN_BROWSER_TIMEOUT_MS, else 30 s.
 * Each step of printing (loading the page, printing it) gets the same time again.
 */
export const browserTimeout = (): number => {
  const given = Number(process.env["MOPAN_BROWSER_TIMEOUT_MS"]);
  return Number.isFinite(given) && given > 0 ? given : 30_000;
};

export interface PrintOptions {
  readonly paper?: "a4" | "letter";
  /** Chromium header and footer templates (HTML; classes pageNumber and totalPages are filled in). */
  readonly header?: string;
  readonly footer?: string;
}

/** The page margins of the printed report; the running header and footer sit inside the top and bottom ones. */
export const PRINT_MARGIN = { top: "15mm", bottom: "15mm", left: "14mm", right: "14mm" } as const;

/**
 * Prints an HTML page to PDF in headless Chromium, tagged and with an outline (bookmarks from the
 * headings), on A4 or US Letter with the given running header and footer; a one-line message instead when no renderer is
 * available, the browser does not start in time or fails while printing. The browser's own log is
 * never shown. On SIGINT or SIGTERM the output layer exits and Playwright's exit hook kills the
 * browser's process group, so no browser outlives the run.
 */
export async function printPdf(page: string, options: PrintOptions = {}): Promise<Uint8Array | string> {
  const executablePath = chromiumPath();
  const unusable = checkExecutable(executablePath);
  if (unusable !== undefined) return unusable;
  let chromium: typeof import("playwright-core").chromium;
  try {
    // playwright-core is a devDependency: present in a checkout, optional for an installed package
    // (the CLI bundle keeps it external).
    ({ chromium } = await import("playwright-core"));
  } catch {
    return "PDF needs the playwright-core package (npm install playwright-core); or write HTML and print it from a browser.";
  }
  const timeout = browserTimeout();
  let browser: import("playwright-core").Browser;
  try {
    // Our own signal handlers stop the run (src/io/output.ts); Playwright's would only close the
    // browser and leave this await to fail with "Target closed".
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError" || /Timeout \d+ms exceeded/.test((error as Error).message);
    return timedOut
      ? `Chromium at ${executablePath} did not start within ${timeout / 1000} s (MOPAN_BROWSER_TIMEOUT_MS sets the limit); no PDF was written.`
      : `Chromium at ${executablePath} could not be started (${firstLine((error as Error).message)}); check CHROMIUM_PATH. No PDF was written.`;
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const tab = await context.newPage();
    tab.setDefaultTimeout(timeout);
    await tab.setContent(page, { waitUntil: "load" });
    await tab.emulateMedia({ media: "print" });
    const templates =
      options.header !== undefined || options.footer !== undefined
        ? { displayHeaderFooter: true, headerTemplate: options.header ?? "<span></span>", footerTemplate: options.footer ?? "<span></span>" }
        : {};
    return await tab.pdf({ format: options.paper === "letter" ? "Letter" : "A4", printBackground: true, preferCSSPageSize: true, margin: PRINT_MARGIN, tagged: true, outline: true, ...templates });
  } catch (error) {
    return `Chromium failed while printing (${firstLine((error as Error).message)}); no PDF was written.`;
  } finally {
    await browser.close().catch(() => {});
  }
}

function checkExecutable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `CHROMIUM_PATH ${path} is not a file; it must name the Chromium program. No PDF was written.`;
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT"
      ? `PDF needs Chromium, not found at ${path}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH; or write HTML and print it from a browser.`
      : `Chromium at ${path} cannot be run (${errorText(error)}); check CHROMIUM_PATH. No PDF was written.`;
  }
}

/** The first line of an error, at most 200 characters: Playwright appends the browser's whole log. */
const firstLine = (message: string): string => {
  const line = (message.split("\n").find((l) => l.trim() !== "") ?? message).trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};
