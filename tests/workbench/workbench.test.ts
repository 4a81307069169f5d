/**
 * The workbench in headless Chromium: it opens the IOM assessment offline, rescoring after an edit
 * exactly as `mopan what-if --set` does, saves what `mopan score` scores identically, shows hostile
 * text as text, and makes no request.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BIN, mopan } from "../fuzz/support.js";
import { PAYLOADS, browserSession, fixtureJson, frameworkOf } from "../report/support.js";
import { ROOT, WORKBENCH, download, openAssessment, openWorkbench, shownKpis } from "./support.js";

const IOM = join(ROOT, "assessments/iom-2023");

interface ScoreJson {
  kpis: { id: string; score: number | null; rating: string }[];
}

const cliScores = async (path: string, ...options: string[]): Promise<Record<string, string>> => {
  const run = await mopan("score", path, "--format", "json", ...options);
  expect(run.status, run.stderr).toBe(0);
  const json = JSON.parse(run.stdout) as ScoreJson;
  return Object.fromEntries(json.kpis.map((k) => [k.id, k.score === null ? "—" : k.score.toFixed(2)]));
};

const scoresOf = (shown: Record<string, { score: string }>) => Object.fromEntries(Object.entries(shown).map(([id, k]) => [id, k.score]));

describe("mopan workbench", () => {
  it("prints where the built page is", async () => {
    const run = await mopan("workbench");
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(WORKBENCH);
    expect(BIN).toContain("dist");
  });
});

describe("the workbench in headless Chromium", () => {
  const { browser, file: scratch } = browserSession("mopan-workbench-");

  const noTrouble = async (page: Page, log: { consoleErrors: string[]; pageErrors: string[]; requests: string[] }) => {
    expect(log.pageErrors).toEqual([]);
    expect(log.consoleErrors).toEqual([]);
    expect(log.requests).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  };

  it("is one page with a CSP that allows only its own script, and opens the IOM assessment as `mopan score` scores it", async () => {
    const page = readFileSync(WORKBENCH, "utf8");
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1]?.replaceAll("&#39;", "'");
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'$/);
    // Its one script, and two inert JSON texts: the built-in frameworks and the workbook library (run only in a worker).
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script type="application/json" id="mopan-builtins">', '<script type="application/json" id="mopan-workbook-library">', "<script>"]);
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
    const { page: tab, log } = await openWorkbench(browser());
    await openAssessment(tab, IOM);
    expect(scoresOf(await shownKpis(tab))).toEqual(await cliScores(IOM));
    const provisional = (JSON.parse((await mopan("score", IOM, "--format", "json")).stdout) as { kpis: { id: string; provisional: unknown }[] }).kpis
      .filter((k) => k.provisional !== null)
      .map((k) => k.id);
    expect(provisional.length).toBeGreaterThan(0);
    const marked = await tab.locator("table.kpis tbody tr:has(.tag)").evaluateAll((rows) => rows.map((r) => r.querySelector("td.id")!.textContent!.trim()));
    expect(marked).toEqual(provisional);
    const segments = await tab.locator("svg#performance-chart [data-mi]").count();
    expect(segments).toBe(57);
    await noTrouble(tab, log);
    await tab.context().close();
  });

  it("an edited score rescored at once: the KPI score shown is what `mopan what-if --set` prints; undo and redo", async () => {
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, IOM);
    const before = await shownKpis(page);
    await page.selectOption("#score-MI1\\.1\\.E1", "4");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("MI1.1.E1"));
    const whatIf = JSON.parse((await mopan("what-if", IOM, "--set", "MI1.1.E1=4", "--format", "json")).stdout) as { kpis: { id: string; after: { score: number; rating: string } }[] };
    const kpi1 = whatIf.kpis.find((k) => k.id === "KPI1")!;
    const after = await shownKpis(page);
    expect(after["KPI1"]!.score).toBe(kpi1.after.score.toFixed(2));
    expect(after["KPI1"]!.score).not.toBe(before["KPI1"]!.score);
    expect(await page.locator("#row-MI1\\.1\\.E1.changed .changed-tag").textContent()).toBe("changed");
    expect(await page.locator("#h-changes + p").textContent()).toContain("1 KPI(s)");
    const moved = whatIf.kpis.filter((k) => k.after.score !== (before[k.id]!.score === "—" ? null : Number(before[k.id]!.score))).map((k) => k.id);
    expect(moved).toEqual(["KPI1"]);
    expect(await page.locator("table.compare tbody td.id").allTextContents()).toEqual(["KPI1", "MI1.1"]);
    await page.click("#undo");
    expect(await shownKpis(page)).toEqual(before);
    await page.keyboard.press("Control+y");
    expect((await shownKpis(page))["KPI1"]!.score).toBe(kpi1.after.score.toFixed(2));
    await noTrouble(page, log);
    await page.context().close();
  });

  it("saves JSON and the CSV tables that `mopan score` scores as the page shows, and re-opens them", async () => {
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, IOM);
    await page.selectOption("#score-MI1\\.1\\.E2", "N/A");
    await page.click('button[data-kpi="KPI3"]');
    await page.selectOption("#score-MI3\\.1\\.E1", "0");
    await page.fill("#rationale-MI3\\.1\\.E1", "Changed in the workbench test.");
    await page.locator("#rationale-MI3\\.1\\.E1").blur();
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("MI3.1.E1: rationale"));
    const shown = scoresOf(await shownKpis(page));
    expect(shown).not.toEqual(await cliScores(IOM));

    const saved = await download(page, "#save-json");
    const json = scratch("edited.json");
    writeFileSync(json, saved.text);
    expect(await cliScores(json)).toEqual(shown);
    expect(JSON.parse(saved.text).judgements.find((j: { id: string }) => j.id === "MI3.1.E1").rationale).toBe("Changed in the workbench test.");

    const folder = scratch("edited-csv");
    mkdirSync(folder);
    for (const button of ["#save-scores", "#save-evidence", "#save-metadata"]) {
      const file = await download(page, button);
      writeFileSync(join(folder, file.name), file.text);
    }
    expect(await cliScores(folder)).toEqual(shown);
    const report = await download(page, "#save-report");
    expect(report.text).toContain("<!DOCTYPE html>");
    expect(report.text).toContain("Changed in the workbench test.");

    for (const reopen of [[json], [folder]]) {
      await openAssessment(page, reopen[0]!, reopen[0] === folder ? "#open-folder" : "#open-files");
      expect(scoresOf(await shownKpis(page))).toEqual(shown);
      expect(await page.locator(".wb-summary .meta").textContent()).toContain("No changes since opened");
    }
    await noTrouble(page, log);
    await page.context().close();
  });

  it("explores margins (as `mopan sensitivity`) and runs a seeded simulation off the main thread (as `mopan simulate`), with cancel", async () => {
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, IOM);
    await page.waitForSelector("#sensitivity-pending", { state: "detached" });
    const sens = JSON.parse((await mopan("sensitivity", IOM, "--format", "json")).stdout) as { kpis: { id: string; margin: { up: { distance: number } | null } }[] };
    const up = sens.kpis.find((k) => k.id === "KPI1")!.margin.up!.distance;
    expect(await page.locator("table.sensitivity tbody tr").first().textContent()).toContain(`+${up.toFixed(2)}`);

    await page.fill("#sim-draws", "2000");
    await page.fill("#sim-seed", "7");
    await page.click("#sim-run");
    await page.waitForSelector("table.simulation");
    const sim = JSON.parse((await mopan("simulate", IOM, "--draws", "2000", "--seed", "7", "--format", "json")).stdout) as { kpis: { id: string; probabilities: Record<string, number> }[] };
    const row = await page.locator("table.simulation tbody tr").first().locator("td.num").allTextContents();
    const kpi = sim.kpis[0]!;
    const ordered = Object.entries(kpi.probabilities)
      .reverse()
      .map(([, p]) => `${(p * 100).toFixed(1)}%`);
    expect(row.slice(0, ordered.length)).toEqual(ordered);

    await page.fill("#sim-draws", "1000000");
    await page.click("#sim-run");
    await page.waitForFunction(() => Number((document.querySelector("#sim-progress") as HTMLProgressElement | null)?.value ?? 0) > 0);
    // The page answers while the worker draws.
    expect(await page.evaluate(() => document.querySelector("#sim-cancel")?.hasAttribute("disabled"))).toBe(false);
    await page.click("#sim-cancel");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent === "Simulation cancelled.");
    expect(await page.locator("#sim-run").isEnabled()).toBe(true);
    await noTrouble(page, log);
    await page.context().close();
  });

  it("opens the workbook `mopan export xlsx` writes (file picker and drop) as `mopan score` scores it, and saves an edited one that `mopan score` scores as shown", async () => {
    const book = scratch("iom.xlsx");
    const exported = await mopan("export", "xlsx", IOM, "--out", book);
    expect(exported.status, exported.stderr).toBe(0);
    const expected = await cliScores(book);
    expect(expected).toEqual(await cliScores(IOM));
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, book, "#open-files");
    expect(await page.locator("#status").textContent()).toMatch(/^Opened iom\.xlsx: \d+ judgements/);
    expect(scoresOf(await shownKpis(page))).toEqual(expected);

    await page.selectOption("#score-MI1\\.1\\.E1", "4");
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("MI1.1.E1"));
    const shown = scoresOf(await shownKpis(page));
    expect(shown).not.toEqual(expected);
    const saved = await download(page, "#save-xlsx");
    expect(saved.name).toBe("iom.xlsx");
    expect(saved.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const edited = scratch("edited.xlsx");
    writeFileSync(edited, saved.bytes);
    expect(await cliScores(edited)).toEqual(shown);
    const whatIf = JSON.parse((await mopan("what-if", book, "--set", "MI1.1.E1=4", "--format", "json")).stdout) as { kpis: { id: string; after: { score: number } }[] };
    expect(shown["KPI1"]).toBe(whatIf.kpis.find((k) => k.id === "KPI1")!.after.score.toFixed(2));

    // The saved workbook, dropped on the page, opens with the edit in it.
    const drop = await page.evaluateHandle(
      (bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "edited.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
        return data;
      },
      [...saved.bytes],
    );
    await page.dispatchEvent("main", "drop", { dataTransfer: drop });
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Opened edited.xlsx"));
    expect(scoresOf(await shownKpis(page))).toEqual(shown);
    await noTrouble(page, log);
    await page.context().close();
  });

  it("says why a file that is not a workbook cannot be opened as one", async () => {
    const bad = scratch("not-a-workbook.xlsx");
    writeFileSync(bad, "this is text, not a ZIP archive");
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, bad, "#open-files");
    expect(await page.locator("#status").textContent()).toContain("not opened");
    expect(await page.locator("ul.diagnostics").textContent()).toContain("invalid-workbook");
    await noTrouble(page, log);
    await page.context().close();
  });

  it("opens a JSON file dropped on the page", async () => {
    const { page, log } = await openWorkbench(browser());
    const text = readFileSync(join(IOM, "assessment.json"), "utf8");
    const drop = await page.evaluateHandle((json) => {
      const data = new DataTransfer();
      data.items.add(new File([json], "assessment.json", { type: "application/json" }));
      return data;
    }, text);
    await page.dispatchEvent("main", "drop", { dataTransfer: drop });
    await page.waitForFunction(() => document.querySelector("#status")?.textContent?.startsWith("Opened"));
    expect(scoresOf(await shownKpis(page))).toEqual(await cliScores(IOM));
    await noTrouble(page, log);
    await page.context().close();
  });

  it("lists validation problems and goes to the item of one chosen", async () => {
    const raw = JSON.parse(readFileSync(join(IOM, "assessment.json"), "utf8")) as { judgements: { id: string }[] };
    raw.judgements = raw.judgements.filter((j) => j.id !== "MI4.2.E1");
    const file = scratch("unjudged.json");
    writeFileSync(file, JSON.stringify(raw));
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, file, "#open-files");
    const problem = page.locator("ul.diagnostics button", { hasText: "unjudged-element" });
    await problem.click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("score-MI4.2.E1");
    await noTrouble(page, log);
    await page.context().close();
  });

  it("says that it leaves out a folder's partner survey", async () => {
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, join(ROOT, "assessments/synthetic-survey-example"));
    expect(await page.locator("ul.diagnostics").textContent()).toContain("survey-not-read");
    await noTrouble(page, log);
    await page.context().close();
  });

  it("adds a custom framework file and opens an assessment of it", async () => {
    // The CLI finds a framework by its file name (<id>.json); the workbench by the id in the file.
    const frameworks = scratch("frameworks");
    mkdirSync(frameworks);
    const framework = join(frameworks, "fixture-base.json");
    writeFileSync(framework, readFileSync(join(ROOT, "tests/fixtures/frameworks/valid.json")));
    const assessment = scratch("custom.json");
    writeFileSync(
      assessment,
      JSON.stringify({
        organisation: { name: "Custom" },
        framework: { id: "fixture-base" },
        methodology: "3.1",
        period: { from: "2023", to: "2023" },
        assessors: [],
        judgements: [
          { id: "MI1.1.E1", score: 3 },
          { id: "MI1.1.E2", score: 2 },
        ],
      }),
    );
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, assessment, "#open-files");
    expect(await page.locator("#status").textContent()).toContain("not opened");
    await page.setInputFiles("#add-framework", framework);
    await page.waitForFunction(() => /^(Added|valid)/.test(document.querySelector("#status")?.textContent ?? ""));
    expect(await page.locator("#status").textContent()).toBe('Added framework "fixture-base" from fixture-base.json.');
    await openAssessment(page, assessment, "#open-files");
    expect(scoresOf(await shownKpis(page))).toEqual(await cliScores(assessment, "--frameworks", frameworks));
    await noTrouble(page, log);
    await page.context().close();
  });

  it("shows the hostile-text corpus as text and runs none of it", async () => {
    const framework = frameworkOf("mopan-3.1");
    const file = scratch("payload.json");
    const raw = fixtureJson(framework, { payload: true });
    writeFileSync(file, JSON.stringify(raw));
    const { page, log } = await openWorkbench(browser());
    await openAssessment(page, file, "#open-files");
    await page.waitForSelector("#sensitivity-pending", { state: "detached" });
    const injected = await page.evaluate(() => ({
      scripts: document.querySelectorAll("script").length,
      images: document.querySelectorAll("img, iframe, object, embed").length,
      handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
      links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((h) => !h.startsWith("#")),
      rationale: (document.querySelector("table.editor textarea") as HTMLTextAreaElement).value,
    }));
    // Its own script and the embedded JSON texts; nothing the payloads would create.
    expect(injected.scripts).toBe(3);
    expect(injected.images).toBe(0);
    expect(injected.handlers).toEqual([]);
    expect(injected.links).toEqual([]);
    expect(injected.rationale).toBe((raw.judgements as { rationale: string }[])[0]!.rationale);
    // textContent: the evidence sits in closed <details>, which innerText leaves out.
    const body = (await page.locator("body").textContent()) ?? "";
    for (const payload of [PAYLOADS.script, PAYLOADS.attribute, PAYLOADS.single, PAYLOADS.style, PAYLOADS.title, PAYLOADS.backtick, PAYLOADS.entity, PAYLOADS.textarea, PAYLOADS.markdown]) {
      expect(body, payload).toContain(payload);
    }
    await page.selectOption("table.editor select >> nth=0", "2");
    await noTrouble(page, log);
    await page.context().close();
  });
});
