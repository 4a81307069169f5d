/**
 * The workbench with the keyboard alone, at 200 % zoom, and in colours that pass WCAG AA; every
 * rating colour comes with its text label.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserSession } from "../report/support.js";
import { ROOT, WORKBENCH_URL, openAssessment, shownKpis } from "./support.js";

const IOM = join(ROOT, "assessments/iom-2023");

describe("the workbench's accessibility", () => {
  const { open } = browserSession("mopan-accessibility-");

  it("is used with the keyboard: a KPI chosen, a score changed with the arrow keys, undone with Ctrl+Z; focus stays put", async () => {
    const { page } = await open(WORKBENCH_URL);
    await openAssessment(page, IOM);
    await page.focus('button[data-kpi="KPI2"]');
    await page.keyboard.press("Enter");
    expect(await page.locator("#h-edit").textContent()).toContain("Edit KPI2");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("h-edit");
    const before = await shownKpis(page);
    const select = page.locator("table.editor select").first();
    const id = (await select.getAttribute("id"))!;
    await select.focus();
    const start = await select.inputValue();
    await page.keyboard.press(start === "0" ? "ArrowDown" : "ArrowUp");
    await page.waitForFunction(() => /score changed/.test(document.querySelector("#status")?.textContent ?? ""));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
    expect(await page.locator(`#${id.replaceAll(".", "\\.")}`).inputValue()).not.toBe(start);
    await page.locator("#h-edit").focus();
    await page.keyboard.press("Control+z");
    expect(await shownKpis(page)).toEqual(before);
    await page.context().close();
  });

  it("reads at 200 % zoom without scrolling sideways", async () => {
    const { page } = await open(WORKBENCH_URL, { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
    await openAssessment(page, IOM);
    await page.locator("#h-edit").scrollIntoViewIfNeeded();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    for (const control of ["#undo", "#save-json", "table.editor select >> nth=0", "table.editor textarea >> nth=0"]) {
      const box = (await page.locator(control).boundingBox())!;
      expect(box.x, control).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, control).toBeLessThanOrEqual(innerWidth);
    }
    await page.context().close();
  });

  it("has text in colours with WCAG AA contrast, and every rating colour with its label", async () => {
    const { page } = await open(WORKBENCH_URL);
    await openAssessment(page, IOM);
    await page.waitForSelector("#sensitivity-pending", { state: "detached" });
    // Sections off screen are not rendered until seen; render them all for the check.
    await page.addStyleTag({ content: "#workbench > .part { content-visibility: visible !important; }" });
    const failures = await page.evaluate(() => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const background = (el: Element | null): number[] => {
        for (; el; el = el.parentElement) {
          const c = rgb(getComputedStyle(el).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3]! > 0.5)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const out: string[] = [];
      for (const el of document.querySelectorAll("#app *")) {
        if (el.closest("svg, .visually-hidden, noscript, script, style, datalist, option")) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "");
        if (!own) continue;
        const style = getComputedStyle(el);
        const fg = rgb(style.color).slice(0, 3);
        const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a);
        const ratio = (l1! + 0.05) / (l2! + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName}.${el.className} "${el.textContent!.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
      }
      return out;
    });
    expect(failures).toEqual([]);
    const chips = await page.locator(".rating").allTextContents();
    expect(chips.length).toBeGreaterThan(20);
    for (const chip of chips) expect(chip.trim()).not.toBe("");
    await page.context().close();
  });
});
