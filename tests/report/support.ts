/**
 * Helpers for the report tests: the real frameworks and scales from the registry, a generated
 * assessment of the whole MOPAN 3.1 framework (deterministic), the same assessment with script
 * payloads in every text field, and headless Chromium through playwright-core.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { checkAssessment } from "../../src/assessment/check.js";
import type { Assessment } from "../../src/assessment/schema.js";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/cli/pdf.js";
import type { Framework } from "../../src/framework/model.js";
import { prepareAssessment } from "../../src/io/assessment-files.js";
import { Registry } from "../../src/io/registry.js";
import type { RatingScale } from "../../src/rating/schema.js";
import type { ScoreResult } from "../../src/scoring/result.js";
import { score } from "../../src/scoring/score.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const IOM = `${ROOT}assessments/iom-2023`;

export const registry = new Registry();

export function frameworkOf(id: string): Framework {
  const loaded = registry.framework(id);
  if (!loaded.value) throw new Error(`framework ${id}: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

export function scaleOf(id: string): RatingScale {
  const scale = registry.findRatingScale(id);
  if (!scale) throw new Error(`no rating scale ${id}`);
  return scale;
}

export interface Scored {
  readonly framework: Framework;
  readonly scale: RatingScale;
  readonly assessment: Assessment;
  readonly result: ScoreResult;
}

/** Checks and scores raw assessment JSON; any error fails the test. */
export function scoreRaw(raw: unknown, framework: Framework, scale: RatingScale): Scored {
  const checked = checkAssessment(raw, { framework, scale });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (!checked.assessment || errors.length > 0) throw new Error(`invalid test assessment: ${JSON.stringify(errors, null, 1)}`);
  return { framework, scale, assessment: checked.assessment, result: score(framework, scale, checked.assessment) };
}

/** Script payloads, each of which would run or inject markup if any output were unescaped. */
export const PAYLOADS = {
  script: "<script>window.__pwned=1</script>",
  attribute: `"><img src=x onerror="window.__pwned=1">`,
  single: `'><svg onload='window.__pwned=1'>`,
  style: "</style><script>window.__pwned=1</script>",
  title: "</title><script>window.__pwned=1</script>",
  comment: "--><script>window.__pwned=1</script><!--",
  backtick: "`${window.__pwned=1}`",
  entity: "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
  pipe: "a | b || c \\| d",
  markdown: "[click](javascript:window.__pwned=1) ![x](http://example.invalid/x.png) **bold** <b>raw</b>",
  textarea: "</textarea></noscript></svg><script>window.__pwned=1</script>",
} as const;

const ALL = Object.values(PAYLOADS).join(" ");

/**
 * A whole-framework assessment: every element and results MI judged by a fixed pattern (some N/E,
 * some N/A), with rationale and evidence. With `payload`, every free-text field carries PAYLOADS.
 */
export function fixtureJson(framework: Framework, options: { payload?: boolean; organisation?: string } = {}): Record<string, unknown> {
  const p = options.payload === true;
  const judgements: Record<string, unknown>[] = [];
  const evidence: Record<string, unknown>[] = [];
  let n = 0;
  for (const pa of framework.performanceAreas) {
    for (const kpi of pa.kpis) {
      for (const mi of kpi.mis) {
        const leaves = mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id);
        const evId = p && n === 0 ? PAYLOADS.attribute : `ev-${String(n + 1).padStart(3, "0")}`;
        evidence.push({
          id: evId,
          stream: (["document", "survey", "interview"] as const)[n % 3],
          source: {
            title: p ? `Source ${PAYLOADS.title} ${PAYLOADS.script}` : `Annual report ${2020 + (n % 4)}`,
            section: p ? `Section ${PAYLOADS.style} ${PAYLOADS.textarea}` : `Chapter ${(n % 7) + 1}`,
            page: p ? PAYLOADS.single : String((n * 7) % 120),
            ...(p ? { url: "javascript:window.__pwned=1", file: PAYLOADS.comment } : { url: `https://example.org/report-${n}` }),
          },
          date: "2023-03",
          quote: p ? `Quote ${PAYLOADS.script} ${PAYLOADS.attribute} ${PAYLOADS.markdown}` : `Evidence on ${mi.id}: the organisation has arrangements in place.`,
          ...(p ? { summary: `Summary ${PAYLOADS.backtick} ${PAYLOADS.entity} ${PAYLOADS.pipe}` } : {}),
          elements: leaves.slice(0, 2),
        });
        leaves.forEach((id, i) => {
          const k = n + i;
          const results = mi.scoring === "rubric";
          const score = k % 11 === 5 ? "N/E" : k % 17 === 9 ? "N/A" : results ? 1 + (k % 4) : (k * 3) % 5;
          judgements.push({
            id,
            score,
            rationale: p ? `Rationale ${ALL}` : `Judged ${score} from the documents reviewed for ${id}.`,
            evidence: [evId],
          });
        });
        n++;
      }
    }
  }
  return {
    title: p ? `Title ${PAYLOADS.title} ${PAYLOADS.script}` : "Fixture organisation 2023 (generated test assessment)",
    organisation: { name: options.organisation ?? (p ? `Org ${PAYLOADS.script} ${PAYLOADS.attribute}` : "Fixture Organisation"), acronym: p ? PAYLOADS.single : "FO" },
    framework: { id: framework.id, version: framework.version },
    methodology: framework.methodology,
    period: { from: "2020-01", to: "2023-03" },
    assessors: [{ name: p ? `Assessor ${PAYLOADS.style}` : "Test assessor", role: p ? PAYLOADS.comment : "lead" }],
    context: { notes: p ? `Notes ${ALL}` : "Generated by tests/report/support.ts." },
    provenance: { status: "project", source: p ? `Source ${PAYLOADS.script}` : "tests/report/support.ts", basis: p ? `Basis ${PAYLOADS.attribute}` : "Generated for the report tests." },
    judgements,
    evidence,
    statedConfidence: Object.fromEntries(framework.performanceAreas.flatMap((pa) => pa.kpis.flatMap((k) => k.mis.map((m, i) => [m.id, (["high", "medium", "low"] as const)[i % 3]])))),
  };
}

/** The IOM reference assessment when it is present and valid, else the generated fixture. */
export function iomOrFixture(): Scored & { readonly name: string } {
  if (existsSync(IOM)) {
    const prepared = prepareAssessment(IOM, registry);
    if (prepared.assessment && prepared.framework && prepared.scale && !prepared.diagnostics.some((d) => d.severity === "error")) {
      return { name: "IOM 2023", framework: prepared.framework, scale: prepared.scale, assessment: prepared.assessment, result: score(prepared.framework, prepared.scale, prepared.assessment) };
    }
  }
  const framework = frameworkOf("mopan-3.1");
  return { name: "generated fixture", ...scoreRaw(fixtureJson(framework), framework, scaleOf("mopan-3.1")) };
}

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

/** What a page did while loading: console errors, page errors, and requests for anything but the file itself. */
export interface PageLog {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly requests: string[];
}

/** Opens a file:// URL in a fresh context and records errors and requests. */
export async function openFile(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<{ page: Page; log: PageLog }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error") log.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => log.pageErrors.push(String(e)));
  await context.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested !== url) {
      log.requests.push(requested);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, log };
}

/**
 * One headless Chromium and one scratch folder for a describe block, opened before its tests and
 * removed after them (unless `keepFolder`): `browser` is the browser, `file` names a path in the folder, `write` saves a page there and gives its file:// URL,
 * `open` opens a URL as `openFile` does.
 */
export function browserSession(prefix: string, options: { keepFolder?: boolean } = {}) {
  let browser: Browser | undefined;
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir && !options.keepFolder) rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string): string => join(dir, name);
  return {
    file,
    browser: (): Browser => browser!,
    write(name: string, text: string): string {
      writeFileSync(file(name), text);
      return pathToFileURL(file(name)).href;
    },
    open: (url: string, options: BrowserContextOptions = {}) => openFile(browser!, url, options),
  };
}
