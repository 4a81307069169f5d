/**
 * The printed report, checked as a reader would: each subject is printed to PDF in headless
 * Chromium on A4 and US Letter (the same printPdf the CLI uses), its pages are read back with
 * poppler (pdftotext, pdftoppm, pdftohtml), and its layout is measured through the page itself
 * in print media.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { templateJudgements } from "../../src/cli/commands/init.js";
import { reportOptionsWithSurvey } from "../../src/cli/commands/report.js";
import { PRINT_MARGIN, printPdf } from "../../src/cli/pdf.js";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { score } from "../../src/scoring/score.js";
import { printTemplates, renderHtmlReport } from "../../src/report/html.js";
import { ROOT, type Scored, browserSession, fixtureJson, frameworkOf, iomOrFixture, registry, scaleOf, scoreRaw } from "./support.js";

const MM = 96 / 25.4;
const mm = (v: string) => Number.parseFloat(v);
/** Paper in mm, and the printable area in CSS pixels. */
const PAPERS = {
  a4: { width: 210, height: 297, label: "A4" },
  letter: { width: 215.9, height: 279.4, label: "US Letter" },
} as const;
const printable = (paper: keyof typeof PAPERS) => ({
  width: (PAPERS[paper].width - mm(PRINT_MARGIN.left) - mm(PRINT_MARGIN.right)) * MM,
  height: (PAPERS[paper].height - mm(PRINT_MARGIN.top) - mm(PRINT_MARGIN.bottom)) * MM,
});
/** 8 pt in CSS pixels. */
const MIN_FONT_PX = (8 * 96) / 72;

const LONG_URL = `https://example.org/documents/${"annual_report_final_version_with_annexes_".repeat(10)}2023.pdf`;
const LONG_FILE = `${"evaluation_of_the_country_programme_".repeat(8)}final.docx`;
const LINE_BREAKS = "First line of the rationale.\nSecond line, same paragraph.\n\nA second paragraph <b>not bold</b> & escaped.";

/** A whole-framework assessment with a long URL, a long file name and line breaks in its free text. */
function longStrings(): Scored {
  const framework = frameworkOf("mopan-3.1");
  const raw = fixtureJson(framework, { organisation: `Organisation_${"with_a_very_long_unbroken_name_".repeat(4)}` }) as {
    judgements: { rationale: string }[];
    evidence: { quote: string; source: { url?: string; file?: string; title: string } }[];
  };
  raw.judgements[0]!.rationale = `See ${LONG_URL} for the plan.`;
  raw.judgements[1]!.rationale = LINE_BREAKS;
  raw.judgements[2]!.rationale = `Stored as ${LONG_FILE}.`;
  raw.evidence[0]!.quote = `Quote from ${LONG_URL}\nwith a second line.`;
  raw.evidence[0]!.source.url = LONG_URL;
  raw.evidence[0]!.source.file = LONG_FILE;
  raw.evidence[1]!.source.title = LONG_FILE;
  return scoreRaw(raw, framework, scaleOf("mopan-3.1"));
}

/** A new organisation's template, half filled: every other MI judged, the rest still N/E without rationale. */
function halfFilled(): Scored {
  const framework = frameworkOf("mopan-3.1-crisis");
  const mis = framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((k) => k.mis));
  const judged = new Set(mis.filter((_, i) => i % 2 === 0).flatMap((mi) => (mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id))));
  const judgements = templateJudgements(framework).map((j, i) => (judged.has(j.id) ? { id: j.id, score: 1 + (i % 4), rationale: `Judged from the documents reviewed for ${j.id}.` } : j));
  const raw = {
    organisation: { name: "New Organisation" },
    framework: { id: framework.id, version: framework.version },
    methodology: framework.methodology,
    period: { from: "2024", to: "2024" },
    assessors: [],
    judgements,
  };
  return scoreRaw(raw, framework, scaleOf("mopan-3.1"));
}

/** The synthetic example with a partner survey, whose report has a survey section. */
function withSurvey(): Scored & { readonly options: Parameters<typeof renderHtmlReport>[4] } {
  const prepared = prepareAssessment(`${ROOT}assessments/synthetic-survey-example`, registry);
  if (!prepared.assessment || !prepared.framework || !prepared.scale || !prepared.survey) throw new Error("the synthetic survey example does not load");
  const { assessment, framework, scale } = prepared;
  return { assessment, framework, scale, result: score(framework, scale, assessment), options: reportOptionsWithSurvey(prepared, {}) };
}

/** The report's HTML for a subject (with its survey, if it has one). */
const htmlOf = (subject: Scored & { options?: Parameters<typeof renderHtmlReport>[4] }, full = false) =>
  renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale, { ...subject.options, full });

interface Printed {
  readonly pdf: string;
  readonly pages: string[];
}

describe("the printed report (A4 and US Letter)", () => {
  const { browser, file: scratch } = browserSession("mopan-print-", { keepFolder: Boolean(process.env["KEEP_PRINT"]) });

  // The long-strings subject's organisation name takes three lines, so its summary runs over page 1.
  const subjects: { name: string; make: () => Scored; summaryOnPageOne: boolean }[] = [
    { name: "IOM", make: iomOrFixture, summaryOnPageOne: true },
    { name: "survey example", make: withSurvey, summaryOnPageOne: true },
    { name: "half-filled template", make: halfFilled, summaryOnPageOne: true },
    { name: "long strings and line breaks", make: longStrings, summaryOnPageOne: false },
  ];

  async function print(subject: Scored, paper: keyof typeof PAPERS, name: string, full = false): Promise<Printed> {
    const page = htmlOf(subject, full);
    const pdf = await printPdf(page, { paper, ...printTemplates(subject.result, subject.assessment) });
    if (typeof pdf === "string") throw new Error(pdf);
    const file = scratch(`${name}-${paper}${full ? "-full" : ""}.pdf`);
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
    return { pdf: file, pages: text.split("\f").slice(0, -1) };
  }

  const measured = new Map<string, Awaited<ReturnType<typeof measureOnce>>>();
  /** Measures the HTML page in print media at the printable width of the paper (once per subject and paper). */
  async function measure(subject: Scored, paper: keyof typeof PAPERS, name: string) {
    const key = `${name}-${paper}`;
    if (!measured.has(key)) measured.set(key, await measureOnce(subject, paper));
    return measured.get(key)!;
  }

  async function measureOnce(subject: Scored, paper: keyof typeof PAPERS) {
    const area = printable(paper);
    const context = await browser().newContext({ viewport: { width: Math.floor(area.width), height: 1000 }, javaScriptEnabled: true });
    const page = await context.newPage();
    await page.setContent(htmlOf(subject));
    await page.emulateMedia({ media: "print" });
    const found = await page.evaluate(
      ({ width, minFont }) => {
        const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
        const label = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className}` : ""}`;
        const tooWide: string[] = [];
        for (const el of document.body.querySelectorAll("*")) {
          if (!visible(el)) continue;
          const r = el.getBoundingClientRect();
          if (r.right > width + 0.5 || r.left < -0.5) tooWide.push(`${label(el)} ${r.left.toFixed(1)}..${r.right.toFixed(1)}`);
        }
        const small: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const el = node.parentElement!;
          if (!node.textContent!.trim() || !visible(el) || el.closest("title, desc")) continue;
          let size = Number.parseFloat(getComputedStyle(el).fontSize);
          // SVG text is scaled with its drawing: its size on paper is the font size times the scale.
          if (el instanceof SVGElement) size *= (el as unknown as SVGGraphicsElement).getScreenCTM()?.a ?? 1;
          if (size < minFont - 0.01) small.push(`${label(el)} ${size.toFixed(2)}px "${node.textContent!.trim().slice(0, 30)}"`);
        }
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without hidden markup
        const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5")].map((h) => (h as HTMLElement).innerText.replace(/\s+/g, " ").trim());
        return {
          tooWide,
          small,
          scrollWidth: document.documentElement.scrollWidth,
          // The KPI table starts a page under its heading: both must fit on it.
          kpiTableHeight: document.querySelector("table.kpis")!.getBoundingClientRect().bottom - document.querySelector("#kpis h2")!.getBoundingClientRect().top,
          hidden: [...document.querySelectorAll(".screen-only")].filter(visible).length,
          // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without hidden markup
          hoverHint: document.body.innerText.includes("Hover"),
          headings,
        };
      },
      { width: area.width, minFont: MIN_FONT_PX },
    );
    await context.close();
    return found;
  }

  for (const subject of subjects) {
    for (const paper of ["a4", "letter"] as const) {
      it(`${subject.name}, ${PAPERS[paper].label}: nothing wider than the printable area, no text below 8 pt, KPI table fits a page, no screen-only hint`, async () => {
        const s = subject.make();
        const found = await measure(s, paper, subject.name);
        expect(found.tooWide).toEqual([]);
        expect(found.scrollWidth).toBeLessThanOrEqual(Math.ceil(printable(paper).width));
        expect(found.small).toEqual([]);
        expect(found.kpiTableHeight).toBeLessThan(printable(paper).height);
        expect(found.hidden).toBe(0);
        expect(found.hoverHint).toBe(false);
      });

      it(`${subject.name}, ${PAPERS[paper].label}: the PDF has the paper's size, a summary on page 1, the KPI table on one page, no heading last on a page, no margin overflow, no shrunken text`, async () => {
        const s = subject.make();
        const printed = await print(s, paper, subject.name.replace(/\W+/g, "-"));
        const info = execFileSync("pdfinfo", [printed.pdf], { encoding: "utf8" });
        const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
        // Chromium rounds the paper to whole hundredths of an inch (A4: 8.27 x 11.7 in).
        expect(Math.abs(Number(w) - (PAPERS[paper].width / 25.4) * 72)).toBeLessThan(1.5);
        expect(Math.abs(Number(h) - (PAPERS[paper].height / 25.4) * 72)).toBeLessThan(1.5);
        const pages = printed.pages;

        // Running header and page numbers on every page.
        pages.forEach((page, i) => {
          expect(page, `page ${i + 1}`).toContain(s.result.provenance.framework.id);
          expect(page.replace(/\s+/g, " "), `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
        });

        // Page 1 stands alone: the chart, the KPI ratings, confidence, strengths and weaknesses.
        const first = pages[0]!.replace(/\s+/g, " ");
        const summary = [
          "Performance",
          "KPI ratings",
          "MI evidence confidence",
          "reconstructed",
          ...(subject.summaryOnPageOne ? ["Strengths and weaknesses", "Highest scored MIs", "Lowest scored MIs"] : []),
        ];
        for (const part of summary) expect(first, part).toContain(part);
        for (const kpi of s.result.kpis) expect(first, kpi.id).toMatch(new RegExp(`\\b${kpi.id}\\b`));

        // The KPI table on one page: the page with its heading has a row for every KPI.
        const tablePage = pages.find((p) => /^\s*KPI scores\s*$/m.test(p));
        expect(tablePage).toBeDefined();
        const rows = tablePage!
          .split("\n")
          .filter((l) => /^\s*KPI\d+\s/.test(l))
          .map((l) => l.trim().split(/\s+/)[0]);
        expect(rows).toEqual(s.result.kpis.map((k) => k.id));

        // No heading as the last line of a page (the running footer aside).
        const headings = (await measure(s, paper, subject.name)).headings;
        const norm = (t: string) => t.replace(/\s+/g, " ").trim();
        pages.forEach((page, i) => {
          const lines = page
            .split("\n")
            .map(norm)
            .filter((l) => l !== "" && !/Page \d+ of \d+/.test(l));
          const last = lines.at(-1)!;
          const heading = headings.find((hd) => last.length >= 6 && norm(hd).startsWith(last));
          expect(heading, `page ${i + 1} ends with the heading "${last}"`).toBeUndefined();
        });

        // Rendered pages: nothing printed in the right margin (text cut off or widened pages would be).
        const prefix = scratch(`${subject.name.replace(/\W+/g, "-")}-${paper}`);
        execFileSync("pdftoppm", ["-r", "36", "-gray", printed.pdf, prefix]);
        for (let i = 1; i <= pages.length; i++) {
          const file = `${prefix}-${String(i).padStart(String(pages.length).length, "0")}.pgm`;
          const { width, height, pixels } = readPgm(file);
          const margin = Math.floor(((mm(PRINT_MARGIN.right) - 3) / 25.4) * 36);
          let ink = 0;
          for (let y = 0; y < height; y++) for (let x = width - margin; x < width; x++) if (pixels[y * width + x]! < 235) ink++;
          expect(ink, `page ${i}: dark pixels in the right margin`).toBe(0);
          rmSync(file);
        }

        // Text boxes in the PDF are at least 8 pt tall (ascent plus descent is more than 1.1 em in
        // the fonts used): Chromium shrinking a too-wide page to fit would make them smaller.
        const bbox = execFileSync("pdftotext", ["-bbox", printed.pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
        const heights = [...bbox.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)].map((m) => Number(m[2]) - Number(m[1]));
        expect(heights.length).toBeGreaterThan(100);
        expect(Math.min(...heights)).toBeGreaterThanOrEqual(8 * 1.1);
      });
    }
  }

  it("the PDF has bookmarks for the sections, PAs, KPIs and MIs", async () => {
    const s = iomOrFixture();
    const printed = await print(s, "a4", "outline");
    const xml = execFileSync("pdftohtml", ["-xml", "-i", "-stdout", "-q", printed.pdf], { encoding: "utf8", maxBuffer: 64 << 20 });
    const items = [...xml.matchAll(/<item page="\d+">([^<]*)<\/item>/g)].map((m) => m[1]!);
    expect(items).toContain("KPI scores");
    expect(items).toContain("Evidence");
    for (const pa of s.result.performanceAreas)
      expect(
        items.some((t) => t.startsWith(`${pa.id} `)),
        pa.id,
      ).toBe(true);
    for (const kpi of s.result.kpis)
      expect(
        items.some((t) => t.startsWith(`${kpi.id} `)),
        kpi.id,
      ).toBe(true);
    for (const mi of s.result.mis)
      expect(
        items.some((t) => t.startsWith(`${mi.id} `)),
        mi.id,
      ).toBe(true);
  });

  it("a half-filled template prints no page of empty rows; --full keeps the exhaustive listing", async () => {
    const s = halfFilled();
    const short = await print(s, "a4", "template");
    const full = await print(s, "a4", "template", true);
    const all = short.pages.join("\n");
    expect(all).not.toContain("No rationale recorded");
    expect(all).not.toMatch(/\bjudgement\b/);
    // The template's blank scores are not judged yet: their runs collapse as such, never as N/E.
    expect(all).toMatch(/\d+ elements not judged: E1, E2/);
    expect(full.pages.join("\n")).toContain("No rationale recorded");
    // Each page of the short form has something judged on it or is a summary page.
    expect(short.pages.length).toBeLessThan(full.pages.length);
    for (const [i, page] of short.pages.entries()) {
      const emptyRows = page.split("\n").filter((l) => (/\bN\/E\b/.test(l) && /no evidence\s*$/.test(l)) || /\bnot judged\s*$/.test(l)).length;
      expect(emptyRows, `page ${i + 1}`).toBe(0);
    }
  });

  it("long strings wrap inside the page and rationales keep their line breaks and paragraphs, escaped", async () => {
    const s = longStrings();
    const printed = await print(s, "a4", "long-lines");
    const text = printed.pages.join("\n");
    expect(text).toMatch(/First line of the rationale\.\s*\n\s*.*Second line, same paragraph\./);
    expect(text).toContain("A second paragraph <b>not bold</b> & escaped.");
    const context = await browser().newContext({ viewport: { width: 700, height: 900 } });
    const page = await context.newPage();
    await page.setContent(renderHtmlReport(s.result, s.framework, s.assessment, s.scale));
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, with its line breaks
    const paragraphs = await page.locator("p.rationale").evaluateAll((ps) => ps.map((p) => (p as HTMLElement).innerText));
    expect(paragraphs).toContain("First line of the rationale.\nSecond line, same paragraph.");
    expect(paragraphs).toContain("A second paragraph <b>not bold</b> & escaped.");
    expect(await page.locator("p.rationale b").count()).toBe(0);
    // On screen too, the long strings never widen the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
    await context.close();
  });
});

/** Reads a binary PGM (P5) image as written by pdftoppm -gray. */
function readPgm(file: string): { width: number; height: number; pixels: Uint8Array } {
  const data = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error(`${file}: not a binary PGM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}
