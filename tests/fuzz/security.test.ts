/**
 * Nothing in a data file is executed: no eval or expression parser over file data; `__proto__`,
 * `constructor` and `prototype` keys or headers cannot alter objects; CSV output neutralises
 * formulas in every CSV writer; HTML output escapes every piece of data, so a corpus of injection
 * payloads in every text field renders in headless Chromium without running anything; the report
 * makes no request; paths and URLs in evidence are never opened or followed.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORMULAS, INJECTION, URLS, htmlProblems } from "../../scripts/fuzz/cases.mjs";
import { launch } from "../report/support.js";
import { BIN, ROOT, mopan, readJsonFile, writeTree, scratch } from "./support.js";

const { fresh } = scratch("security");

type Json = Record<string, unknown>;
const IOM = readJsonFile(join(ROOT, "assessments/iom-2023/assessment.json")) as Json & { judgements: Json[]; evidence: Json[] };
const FIXTURE = readJsonFile(join(ROOT, "tests/fixtures/frameworks/valid.json")) as Json;
const SCALE = readJsonFile(join(ROOT, "framework/rating-scales/mopan-3.1.json")) as Json;

describe("no code is run from data", () => {
  it("src has no eval, new Function, vm or expression evaluator", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts")) files.push(path);
      }
    };
    walk(join(ROOT, "src"));
    expect(files.length).toBeGreaterThan(50);
    const forbidden: [RegExp, string][] = [
      [/\beval\s*\(/, "eval("],
      [/\bnew\s+Function\s*\(/, "new Function("],
      [/(?<![\w.])Function\s*\(/, "Function("],
      [/["']node:vm["']|["']vm["']|\bvm\.(runIn|Script|compile)/, "the vm module"],
      [/\bset(Timeout|Interval)\s*\(\s*["'`]/, "a timer given a string"],
      [/from\s+["']mathjs["']|require\(["']mathjs["']\)|\b(math\.)?(evaluate|compile)\s*\(/, "a mathjs expression parser"],
      [/\bimport\s*\(\s*(?!["'`])/, "an import() of a computed module name"],
      [/\brequire\s*\(\s*(?!["'`])/, "a require() of a computed module name"],
      [/child_process|\bexecSync\b|\bspawn\s*\(/, "a child process"],
    ];
    for (const file of files) {
      const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      for (const [pattern, what] of forbidden) expect(pattern.test(source), `${relative(ROOT, file)} uses ${what}`).toBe(false);
    }
  });
});

describe("__proto__, constructor and prototype cannot alter objects", () => {
  const protoNames = () => [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join());
  let before: string[];
  beforeAll(() => {
    before = protoNames();
  });
  const unpolluted = () => {
    expect(({} as Json)["polluted"]).toBeUndefined();
    expect(([] as unknown as Json)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(protoNames()).toEqual(before);
  };
  const proto = '{"polluted": 1}';
  /** The IOM assessment with `"key": value` written (as text, so __proto__ stays a key) into the object at `path`. */
  const inject = (path: string[], key: string, value: string) => {
    const marker = "@@INJECT@@";
    const copy = structuredClone(IOM) as Json;
    let target = copy;
    for (const segment of path) target = (target[segment] ??= {}) as Json;
    target[marker] = 0;
    return JSON.stringify(copy).replace(`"${marker}":0`, `${JSON.stringify(key)}:${value}`);
  };

  const cases: [string, string][] = [];
  for (const key of ["__proto__", "constructor", "prototype"]) {
    cases.push(
      [`${key} at the top`, inject([], key, proto)],
      [`${key} in statedConfidence`, inject(["statedConfidence"], key, proto)],
      [`${key} in statedConfidence (a level)`, inject(["statedConfidence"], key, '"high"')],
      [`${key} in published.kpis`, inject(["published", "kpis"], key, '{"score": 2, "polluted": 1}')],
      [`${key} in published.mis`, inject(["published", "mis"], key, `{"score": 2, "rating": "satisfactory"}`)],
      [`${key} in published`, inject(["published"], key, proto)],
      [`${key} in suggestedScores`, inject(["evidence", "0", "suggestedScores"], key, proto)],
      [`${key} in suggestedScores (a number)`, inject(["evidence", "0", "suggestedScores"], key, "3")],
      [`${key} in organisation`, inject(["organisation"], key, proto)],
    );
  }
  /** The key is named by a diagnostic: in its pointer or as the value received. */
  const named = (stdout: string, key: string) =>
    (JSON.parse(stdout) as { diagnostics: { pointer?: string; received?: string }[] }).diagnostics.some((d) => d.pointer?.split("/").includes(key) || d.received === key);

  // published needs a source to be otherwise valid; the injected key must still be what fails.
  for (const [name, text] of cases) {
    it(`${name}: refused by name, and no object is altered`, async () => {
      const key = name.split(" ")[0]!;
      const dir = writeTree(fresh("proto"), { "assessment.json": text.replace('"published":{', '"published":{"source":"x",') });
      const validated = await mopan("validate", dir, "--format", "json");
      expect(validated.status).toBe(1);
      expect(named(validated.stdout, key), validated.stdout).toBe(true);
      unpolluted();
      for (const argv of [
        ["score", dir, "--format", "json"],
        ["report", dir],
        ["compare", dir, dir],
        ["sensitivity", dir],
      ]) {
        expect((await mopan(...argv)).status, `${argv[0]} ${name}`).toBe(1);
        unpolluted();
      }
      // export and import check only the shape of the tables: they refuse, or keep the key as it is.
      for (const argv of [
        ["export", "csv", dir, "--out", join(dir, "out")],
        ["import", "csv", dir, "--out", "-"],
      ]) {
        const run = await mopan(...argv);
        if (run.status === 0) {
          const written = argv[0] === "import" ? run.stdout : ["assessment.json", "scores.csv", "evidence.csv"].map((f) => readFileSync(join(dir, "out", f), "utf8")).join("\n");
          expect(written, `${argv[0]} ${name}`).toContain(key);
        } else expect(run.status, `${argv[0]} ${name}: ${run.stderr}`).toBe(1);
        unpolluted();
      }
    });
  }

  it("as CSV headers and in suggested_scores cells: refused, no object altered", async () => {
    const meta = { organisation: { name: "X" }, framework: { id: "mopan-3.1" }, methodology: "3.1", period: { from: "2023", to: "2023" }, assessors: [] };
    for (const [scores, evidence] of [
      ["id,score,__proto__\nMI1.1.E1,3,x\n", "id,stream,title,elements\n"],
      ["id,score,constructor,prototype\nMI1.1.E1,3,x,y\n", "id,stream,title,elements\n"],
      ["id,score\nMI1.1.E1,3\n", "id,stream,title,elements,suggested_scores,__proto__\nd1,document,T,MI1.1.E1,MI1.1.E1=3,x\n"],
      ["id,score\nMI1.1.E1,3\n", "id,stream,title,elements,suggested_scores\nd1,document,T,MI1.1.E1,__proto__=3; constructor=2; prototype=1\n"],
    ]) {
      const dir = writeTree(fresh("proto-csv"), { "assessment.json": JSON.stringify(meta), "scores.csv": scores!, "evidence.csv": evidence! });
      for (const argv of [
        ["validate", dir],
        ["score", dir],
      ]) {
        const run = await mopan(...argv);
        expect(run.status, `${argv[0]}: ${scores} ${evidence}`).toBe(1);
        expect(run.stdout + run.stderr).toMatch(/proto|constructor|prototype/);
        unpolluted();
      }
      // import assembles without validating: it refuses the table, or keeps every id as written.
      const imported = await mopan("import", "csv", dir, "--out", "-");
      if (imported.status === 0) for (const key of ["__proto__", "constructor", "prototype"]) if (evidence!.includes(`${key}=`)) expect(imported.stdout).toContain(`"${key}"`);
      unpolluted();
    }
  });

  it("in frameworks, crosswalks, uncertainty models and what-if settings", async () => {
    const framework = JSON.stringify(FIXTURE).replace('"mi":{"method":"mean"}', `"mi":{"method":"mean","weights":{"__proto__":${proto}}}`);
    const fw = writeTree(fresh("proto-fw"), { "fixture-base.json": framework });
    expect((await mopan("framework", "validate", join(fw, "fixture-base.json"))).stdout).toContain("forbidden-key");
    const crosswalk = readFileSync(join(ROOT, "framework/crosswalks/mopan-3.1--mopan-3.1-crisis.json"), "utf8").replace('"kpis": {', `"kpis": {"__proto__": ${proto},`);
    const uncertainty = readFileSync(join(ROOT, "framework/uncertainty/default.json"), "utf8").replace('"levels": {', `"levels": {"__proto__": ${proto},`);
    const files = writeTree(fresh("proto-files"), { "crosswalk.json": crosswalk, "uncertainty.json": uncertainty });
    const iom = join(ROOT, "assessments/iom-2023");
    for (const argv of [
      ["compare", iom, iom, "--crosswalk", join(files, "crosswalk.json")],
      ["validate", join(files, "crosswalk.json")],
      ["simulate", iom, "--draws", "50", "--uncertainty", join(files, "uncertainty.json")],
      ["what-if", iom, "--set", "__proto__=3"],
      ["what-if", iom, "--set", "constructor=3", "--set", "prototype=N/E"],
    ]) {
      const run = await mopan(...argv);
      expect([0, 1], argv.join(" ")).toContain(run.status);
      unpolluted();
    }
    expect((await mopan("validate", join(files, "crosswalk.json"))).stdout).toContain("forbidden-key");
    expect((await mopan("what-if", iom, "--set", "__proto__=3")).status).toBe(1);
  });
});

/** Cells a spreadsheet would evaluate: a formula character first, and not a plain number. */
const formulaCells = (csv: string): string[] =>
  (parseCsv(csv, { relax_column_count: true, bom: true }) as string[][]).flat().filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(c));

/** The fixture framework with every title, description and descriptor set to one of `texts`, as framework "evil-fw". */
function hostileFramework(texts: readonly string[], methodology = "3.1", ratingScale = "mopan-3.1"): Json {
  let k = 0;
  const next = () => texts[k++ % texts.length]!;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "title" || key === "description" || key === "source" || key === "basis") out[key] = next();
      else if (key === "rubric") out[key] = Object.fromEntries(Object.keys(value as Json).map((level) => [level, next()]));
      else out[key] = walk(value);
    }
    return out;
  };
  const fw = walk(FIXTURE) as Json;
  return { ...fw, id: "evil-fw", methodology, policy: { ...(fw["policy"] as Json), ratingScale } };
}

/** An assessment of `framework` with every free-text field set to one of `texts`. */
function hostileAssessment(texts: readonly string[], framework: Json, urls: readonly string[] = URLS): Json {
  let k = 0;
  const next = () => texts[k++ % texts.length]!;
  const leaves: string[] = [];
  for (const pa of framework["performanceAreas"] as Json[])
    for (const kpi of pa["kpis"] as Json[])
      for (const mi of kpi["mis"] as Json[]) {
        if (mi["scoring"] === "rubric") leaves.push(mi["id"] as string);
        else for (const e of mi["elements"] as Json[]) leaves.push(e["id"] as string);
      }
  const evidence = urls.map((url, i) => ({
    id: `e${i} ${next()}`.replaceAll(";", ",").slice(0, 60).trim(),
    stream: ["document", "survey", "interview", "other"][i % 4],
    source: { title: next(), url, file: urls[(i + 3) % urls.length], section: next(), page: next(), surveyQuestion: next() },
    date: "2023-03",
    quote: next(),
    summary: next(),
    elements: [leaves[i % leaves.length]],
    suggestedScores: { [leaves[(i + 1) % leaves.length]!]: leaves[(i + 1) % leaves.length]!.includes(".E") ? 2 : 3 },
  }));
  return {
    title: next(),
    organisation: { name: next(), acronym: next(), url: next() },
    framework: { id: framework["id"], version: framework["version"] },
    methodology: framework["methodology"],
    period: { from: "2020", to: "2023" },
    assessors: [{ name: next(), role: next(), organisation: next() }],
    context: { institutionalLeads: [next(), next()], notes: next() },
    provenance: { status: "project", source: next(), basis: next() },
    judgements: leaves.map((id, i) => ({ id, score: id.includes(".E") ? i % 5 : 1 + (i % 4), rationale: next(), evidence: [evidence[i % evidence.length]!.id] })),
    evidence,
    published: { source: next(), note: next() },
  };
}

describe("CSV output neutralises formulas, in every CSV writer", () => {
  const texts = [...FORMULAS, '=HYPERLINK("http://evil.example","click")', "@SUM(A1:A9)", "\t=1+1", "\r=1+1"];
  const fw = writeTree(fresh("formula-fw"), { "evil-fw.json": JSON.stringify(hostileFramework(texts)) });
  const a = writeTree(fresh("formula-a"), { "assessment.json": JSON.stringify(hostileAssessment(texts, hostileFramework(texts))) });
  const b = writeTree(fresh("formula-b"), { "assessment.json": JSON.stringify({ ...hostileAssessment([...texts].reverse(), hostileFramework(texts)), organisation: { name: "=B", acronym: "+B" } }) });

  it("the hostile framework and assessments are valid (so every writer sees the formulas)", async () => {
    expect((await mopan("validate", a, b, "--frameworks", fw)).status).toBe(0);
  });

  it("score --format csv, compare --format csv, export csv and init write no cell a spreadsheet would evaluate", async () => {
    const outputs: [string, string][] = [];
    const scored = await mopan("score", a, "--format", "csv", "--detail", "--frameworks", fw);
    expect(scored.status).toBe(0);
    outputs.push(["score --format csv", scored.stdout]);
    const compared = await mopan("compare", a, b, "--format", "csv", "--frameworks", fw);
    expect(compared.status).toBe(0);
    outputs.push(["compare --format csv", compared.stdout]);
    const out = fresh("formula-export");
    expect((await mopan("export", "csv", a, "--out", out)).status).toBe(0);
    for (const file of ["scores.csv", "evidence.csv"]) outputs.push([`export csv ${file}`, readFileSync(join(out, file), "utf8")]);
    const init = join(fresh("formula-init"), "new");
    expect((await mopan("init", init, "--framework", "evil-fw", "--frameworks", fw, "--org", "=1+1")).status).toBe(0);
    for (const file of ["scores.csv", "evidence.csv"]) outputs.push([`init ${file}`, readFileSync(join(init, file), "utf8")]);
    for (const [what, csv] of outputs) {
      expect(csv.length, what).toBeGreaterThan(0);
      expect(formulaCells(csv), what).toEqual([]);
    }
    // The formulas are there, neutralised: the export reads back to the very same text.
    expect(readFileSync(join(out, "scores.csv"), "utf8")).toContain("'=HYPERLINK");
    const back = await mopan("import", "csv", out, "--out", "-");
    expect((JSON.parse(back.stdout) as { judgements: Json[] }).judgements.map((j) => j["rationale"])).toEqual(
      (readJsonFile(join(a, "assessment.json")) as { judgements: Json[] }).judgements.map((j) => j["rationale"]),
    );
  });
});

describe("HTML output escapes every piece of data", () => {
  const PAYLOADS = [
    ...INJECTION,
    "<img src=x onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '"; alert(1); "',
    "</script><script>alert(1)</script>",
    "<style>@import 'http://evil.example/x.css'; body{background:url(http://evil.example/bg)}</style>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "<ſcript>alert(1)</ſcript>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<title><img src=x onerror=alert(1)></title>",
    "xss:expression(alert(1))",
    "\u2028\u2029<script>alert(1)</script>",
  ];
  let server: Server;
  let requests: string[] = [];
  let port = 0;
  let browser: Browser | undefined;
  let dir: string;
  let fw: string;
  const scaleWithPayloads = () => ({
    ...SCALE,
    id: "evil-scale",
    title: PAYLOADS[0],
    methodologies: ['9.9"><script>window.__pwned=1</script>'],
    bands: (SCALE["bands"] as Json[]).map((b, i) => ({ ...b, label: PAYLOADS[i + 1] })),
    flags: {
      noEvidence: { ...(SCALE["flags"] as { noEvidence: Json }).noEvidence, label: PAYLOADS[5] },
      notApplicable: { ...(SCALE["flags"] as { notApplicable: Json }).notApplicable, label: PAYLOADS[6] },
    },
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end("nothing here");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    fw = fresh("html-fw");
    const methodology = '9.9"><script>window.__pwned=1</script>';
    const framework = hostileFramework(PAYLOADS, methodology, "evil-scale");
    writeTree(fw, { "evil-fw.json": JSON.stringify(framework), "rating-scales/evil-scale.json": JSON.stringify(scaleWithPayloads()) });
    dir = fresh("html");
    const urls = [...URLS, `http://127.0.0.1:${port}/evidence-link`, `https://127.0.0.1:${port}/secure`];
    writeTree(dir, {
      "a/assessment.json": JSON.stringify(hostileAssessment(PAYLOADS, framework, urls)),
      "b/assessment.json": JSON.stringify(hostileAssessment([...PAYLOADS].reverse(), framework, urls)),
    });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("the hostile framework, scale and assessments are valid: every payload reaches the renderers", async () => {
    const run = await mopan("validate", join(dir, "a"), join(dir, "b"), "--frameworks", fw);
    expect(run.stdout).toMatch(/0 error/);
    expect(run.status).toBe(0);
  });

  const renders = async (): Promise<[string, string][]> => {
    const report = await mopan("report", join(dir, "a"), "--frameworks", fw);
    const compare = await mopan("compare", join(dir, "a"), join(dir, "b"), "--format", "html", "--frameworks", fw);
    expect(report.status).toBe(0);
    expect(compare.status).toBe(0);
    return [
      ["report", report.stdout],
      ["compare", compare.stdout],
    ];
  };

  it("no tag, attribute, link or style from data in the markup", async () => {
    for (const [what, page] of await renders()) {
      // Only the tags and attributes the templates write; every attribute quoted; links only # and http(s).
      expect(htmlProblems(page), what).toEqual([]);
      for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href, what).toMatch(/^(#[A-Za-z0-9._-]*|https?:\/\/[^"\s<>]*)$/);
      for (const [, style] of page.matchAll(/style="([^"]*)"/g)) expect(style, what).toMatch(/^[a-z-]+:#[0-9a-fA-F]{6}(;[a-z-]+:#[0-9a-fA-F]{6})*;?$/);
      const css = page.slice(page.indexOf("<style>"), page.indexOf("</style>"));
      expect(css, what).not.toMatch(/url\(|expression\(|@import|evil|pwned/i);
      // The payloads are shown as text: their escaped form is in the page.
      expect(page).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
    }
  });

  for (const csp of ["with", "without"] as const) {
    it(`renders in headless Chromium ${csp} its Content-Security-Policy without running anything or requesting anything`, async () => {
      requests = [];
      for (const [what, page] of await renders()) {
        // Without the CSP, only the escaping stands between the payloads and the page.
        const html = csp === "with" ? page : page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
        expect(html.includes("Content-Security-Policy")).toBe(csp === "with");
        const file = join(dir, `${what}-${csp}.html`);
        writeFileSync(file, html);
        const url = pathToFileURL(file).href;
        const ctx = await browser!.newContext({ javaScriptEnabled: true });
        const tab = await ctx.newPage();
        const events: string[] = [];
        tab.on("dialog", (d) => {
          events.push(`dialog ${d.message()}`);
          void d.dismiss();
        });
        tab.on("console", (m) => m.type() === "error" && events.push(`console ${m.text()}`));
        tab.on("pageerror", (e) => events.push(`pageerror ${String(e)}`));
        tab.on("request", (r) => r.url() !== url && events.push(`request ${r.url()}`));
        await tab.goto(url, { waitUntil: "load" });
        await tab.waitForTimeout(300);
        const state = await tab.evaluate(() => {
          const w = window as unknown as Record<string, unknown>;
          const all = [...document.querySelectorAll("*")];
          return {
            pwned: w["__pwned"],
            scripts: document.scripts.length,
            dangerous: document.querySelectorAll("img,iframe,object,embed,base,link,form,input,video,audio,source,math,animate,meta[http-equiv=refresh]").length,
            handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
            hrefs: [...document.querySelectorAll("[href]")].map((el) => el.getAttribute("href") ?? ""),
            title: document.title,
            h1: document.querySelector("h1")?.textContent ?? "",
          };
        });
        expect(state.pwned, what).toBeUndefined();
        expect(state.scripts, what).toBe(0);
        expect(state.dangerous, what).toBe(0);
        expect(state.handlers, what).toEqual([]);
        for (const href of state.hrefs) expect(href, what).toMatch(/^(#|https?:\/\/)/);
        expect(events, what).toEqual([]);
        if (what === "report") {
          // Data shows as the text it is: the organisation name in the heading and the title.
          const org = (readJsonFile(join(dir, "a/assessment.json")) as { organisation: { name: string } }).organisation.name;
          expect(state.h1).toContain(org);
          expect(state.title).toContain(org);
        }
        await ctx.close();
      }
      expect(requests).toEqual([]);
    }, 120_000);
  }

  it("links only http(s) URLs; javascript:, data:, file: and paths stay text", async () => {
    const page = (await renders())[0]![1];
    const links = [...page!.matchAll(/<a href="(https?:[^"]*)"/g)].map((m) => m[1]);
    expect(links).toContain(`http://127.0.0.1:${port}/evidence-link`);
    for (const bad of ["javascript:", "data:text", "file:///etc/passwd", "vbscript:"]) expect(page).not.toMatch(new RegExp(`href="[^"]*${bad}`, "i"));
    expect(page).toContain("<code>file:///etc/passwd</code>");
  });
});

describe("paths and URLs in evidence are never opened or followed", () => {
  it("a named pipe and a local HTTP server named in evidence are never touched by any command", async () => {
    const dir = fresh("never-opened");
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const data = structuredClone(IOM);
      data.evidence = data.evidence.map((e, i) => ({
        ...e,
        source: { ...(e["source"] as Json), file: i % 2 === 0 ? fifo : `../../../${relative("/", fifo)}`, url: i % 3 === 0 ? `file://${fifo}` : `http://127.0.0.1:${port}/evidence/${i}` },
      }));
      const a = writeTree(join(dir, "a"), { "assessment.json": JSON.stringify(data) });
      const out = join(dir, "out");
      const commands = [
        ["validate", a],
        ["score", a, "--format", "json"],
        ["report", a, "--out", join(out, "r.html")],
        ["report", a, "--format", "md", "--out", join(out, "r.md")],
        ["compare", a, a, "--format", "html"],
        ["sensitivity", a],
        ["simulate", a, "--draws", "50"],
        ["export", "csv", a, "--out", join(out, "csv")],
        ["import", "csv", join(out, "csv"), "--out", "-"],
      ];
      for (const argv of commands) {
        // A child process: opening the pipe for reading would block it until the timeout.
        const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
          let err = "";
          child.stderr.on("data", (d: Buffer) => void (err += d.toString()));
          const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
          child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ status: code, stderr: err });
          });
        });
        expect(status, `${argv.join(" ")}: ${stderr}`).toBe(0);
      }
      expect(hits).toEqual([]);
      const report = readFileSync(join(out, "r.html"), "utf8");
      expect(report).toContain(`<a href="http://127.0.0.1:${port}/evidence/1"`);
      expect(report).not.toContain(`href="file://`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);
});
