import { describe, expect, it } from "vitest";
import { coverageChartSvg, performanceChartSvg } from "../../src/report/chart.js";
import { escapeHtml, html, safeHref, trusted } from "../../src/report/escape.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { strengthsAndWeaknesses } from "../../src/report/model.js";
import { PAYLOADS, type Scored, browserSession, fixtureJson, frameworkOf, iomOrFixture, scaleOf, scoreRaw } from "./support.js";

describe("escapeHtml and the html template", () => {
  it("escapes & < > \" ' and backtick, and nothing else", () => {
    expect(escapeHtml(`a&b<c>d"e'f\`g h/é`)).toBe("a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g h/é");
    expect(escapeHtml(3.5)).toBe("3.5");
  });

  it("escapes every interpolation unless it is trusted markup", () => {
    const data = PAYLOADS.script;
    expect(html`<p title="${data}">${data}</p>`.value).toBe(`<p title="${escapeHtml(data)}">${escapeHtml(data)}</p>`);
    expect(html`<p>${trusted("<b>x</b>")}${[data, html`<i>${data}</i>`]}${null}${undefined}${false}</p>`.value).toBe(`<p><b>x</b>${escapeHtml(data)}<i>${escapeHtml(data)}</i></p>`);
  });

  it("makes links only of http(s) URLs", () => {
    expect(safeHref("https://example.org/a?b=1")).toBe("https://example.org/a?b=1");
    for (const bad of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "//example.org", "file:///etc/passwd"]) {
      expect(safeHref(bad)).toBeNull();
    }
  });
});

describe("charts and page structure (no browser)", () => {
  const subject = iomOrFixture();

  it("the performance chart has one segment per MI, in framework order, each with a tooltip", () => {
    const svg = performanceChartSvg(subject.result, subject.scale);
    const ids = [...svg.matchAll(/data-mi="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(subject.result.mis.map((m) => m.id));
    const groups = svg.match(/<g class="mi" data-mi="[^"]+" data-rating="[^"]+"><title>[^<]+<\/title>/g) ?? [];
    expect(groups).toHaveLength(subject.result.mis.length);
  });

  it("segments take the MI's rating colour; N/E and N/A the scale's flag colours", () => {
    const framework = frameworkOf("mopan-3.1");
    const scale = scaleOf("mopan-3.1");
    const { result } = scoreRaw(fixtureJson(framework), framework, scale);
    const svg = performanceChartSvg(result, scale);
    const colour = (code: string) => scale.bands.find((b) => b.code === code)?.colour ?? (code === scale.flags.noEvidence.code ? scale.flags.noEvidence.colour : scale.flags.notApplicable.colour);
    for (const mi of result.mis) {
      const segment = new RegExp(`data-mi="${mi.id.replace(".", "\\.")}" data-rating="${mi.rating}"><title>[^<]*</title><rect [^>]*fill="${colour(mi.rating)}"`);
      expect(svg, mi.id).toMatch(segment);
    }
  });

  it("the coverage chart has a stacked bar per KPI whose shares add up to the KPI's items", () => {
    const svg = coverageChartSvg(subject.result, subject.scale);
    for (const kpi of subject.result.kpis) {
      const shares = [...svg.matchAll(new RegExp(`data-kpi="${kpi.id}" data-share="(\\w+)"><title>[^<]* (\\d+) of (\\d+)`, "g"))];
      const total = shares.reduce((sum, m) => sum + Number(m[2]), 0);
      expect(total, kpi.id).toBe(kpi.coverage.total === 0 ? 0 : kpi.coverage.total);
    }
  });

  it("is one self-contained page: no script, no external reference, a CSP, print styles", () => {
    const page = renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale);
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<(img|link|iframe|object|embed|audio|video|source|base)\b/i);
    expect(page).not.toMatch(/\ssrc=|url\(|@import/i);
    for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#|https?:\/\/)/);
    expect(page).toContain(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:`);
    expect(page).toContain("@media print");
    expect(page).toContain("not official published figures");
    expect(page).not.toContain("reconstructed from public material");
    expect(page).toContain(subject.result.provenance.framework.contentHash);
    expect(page).toContain(subject.result.provenance.engine.version);
  });

  it("is the same bytes for the same input", () => {
    const a = renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale);
    const b = renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale);
    expect(a).toBe(b);
  });

  it("strengths and weaknesses: top and bottom scored MIs, never both, ties in framework order", () => {
    const { strengths, weaknesses } = strengthsAndWeaknesses(subject.result);
    const scored = subject.result.mis.filter((m) => m.score !== null);
    expect(strengths).toHaveLength(Math.min(5, Math.ceil(scored.length / 2)));
    expect(strengths.map((m) => m.score)).toEqual([...strengths.map((m) => m.score!)].sort((x, y) => y - x));
    expect(weaknesses.map((m) => m.score)).toEqual([...weaknesses.map((m) => m.score!)].sort((x, y) => x - y));
    expect(Math.max(...scored.map((m) => m.score!))).toBe(strengths[0]!.score);
    expect(Math.min(...scored.map((m) => m.score!))).toBe(weaknesses[0]!.score);
    expect(strengths.filter((s) => weaknesses.includes(s))).toEqual([]);
  });
});

describe("the HTML report in headless Chromium", () => {
  const { file, write, open } = browserSession("mopan-report-");

  it("loads without console or page errors or requests; one chart segment per MI; screenshots", async () => {
    const subject = iomOrFixture();
    const url = write("report.html", renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale));
    const { page, log } = await open(url);
    expect(log.consoleErrors, subject.name).toEqual([]);
    expect(log.pageErrors).toEqual([]);
    expect(log.requests).toEqual([]);
    const segments = await page.locator("svg#performance-chart [data-mi]").evaluateAll((els) => els.map((e) => e.getAttribute("data-mi")));
    expect(segments).toEqual(subject.result.mis.map((m) => m.id));
    const box = await page.locator("svg#performance-chart").boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(700);
    expect(box!.height).toBeGreaterThan(200);
    expect(await page.locator("svg#coverage-chart [data-share]").count()).toBeGreaterThan(0);
    expect(await page.locator("script").count()).toBe(0);
    const png = await page.screenshot({ path: file("report.png"), fullPage: false });
    expect(png.length).toBeGreaterThan(10_000);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await page.context().close();
  });

  it("reads the same with scripts off", async () => {
    const subject = iomOrFixture();
    const url = write("report-noscript.html", renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale));
    const { page, log } = await open(url, { javaScriptEnabled: false });
    expect(log.consoleErrors).toEqual([]);
    expect(await page.locator("svg#performance-chart").isVisible()).toBe(true);
    expect(await page.locator("table.kpis tbody tr").count()).toBeGreaterThanOrEqual(subject.result.kpis.length);
    await page.context().close();
  });

  const payloadReport = (): { page: string; subject: Scored } => {
    const framework = frameworkOf("mopan-3.1");
    const subject = scoreRaw(fixtureJson(framework, { payload: true }), framework, scaleOf("mopan-3.1"));
    return { page: renderHtmlReport(subject.result, subject.framework, subject.assessment, subject.scale), subject };
  };

  for (const variant of ["with its CSP", "even without the CSP"] as const) {
    it(`never runs script from assessment text (${variant}); the payloads show as text`, async () => {
      let { page: text } = payloadReport();
      if (variant === "even without the CSP") {
        const before = text.length;
        text = text.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
        expect(text.length).toBeLessThan(before);
      }
      const url = write(`payload-${variant.length}.html`, text);
      const { page, log } = await open(url);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(log.pageErrors).toEqual([]);
      expect(log.consoleErrors).toEqual([]);
      expect(log.requests).toEqual([]);
      // Nothing the payloads would create exists: no script, img, iframe, event-handler attribute or javascript: link.
      const injected = await page.evaluate(() => ({
        scripts: document.querySelectorAll("script").length,
        images: document.querySelectorAll("img, iframe, object, embed, textarea, noscript").length,
        handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
        jsLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((h) => !h.startsWith("#")),
        svgs: document.querySelectorAll("svg").length,
        styles: document.querySelectorAll("style").length,
        title: document.title,
      }));
      expect(injected.scripts).toBe(0);
      expect(injected.images).toBe(0);
      expect(injected.handlers).toEqual([]);
      expect(injected.jsLinks).toEqual([]);
      expect(injected.svgs).toBe(2);
      expect(injected.styles).toBe(1);
      expect(injected.title).toContain(PAYLOADS.script);
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, without hidden markup
      const body = await page.locator("body").innerText();
      for (const payload of [
        PAYLOADS.script,
        PAYLOADS.attribute,
        PAYLOADS.style,
        PAYLOADS.title,
        PAYLOADS.comment,
        PAYLOADS.backtick,
        PAYLOADS.entity,
        PAYLOADS.textarea,
        "javascript:window.__pwned=1",
      ]) {
        expect(body, payload).toContain(payload);
      }
      await page.context().close();
    });
  }
});
