// Fuzz cases for the mopan CLI: fast-check arbitraries that describe hostile and broken input as
// small "recipes", and the code that turns a recipe into files in a temporary folder, runs the
// command (in-process through run(argv, io), or as a child process of the bundled bin) and checks
// what every run must satisfy whatever its input:
//   - the exit code is 0, 1 or 2: no exception escapes run(), no "internal error", no stack trace;
//   - no file outside the command's declared outputs is created, changed or deleted (inputs are
//     never modified, no temporary file is left behind), a failed run leaves its outputs as they
//     were, and an existing output is overwritten only with --force;
//   - Object.prototype and friends are unchanged (no prototype pollution);
//   - CSV output has no cell a spreadsheet would evaluate, HTML output has no tag or attribute the
//     report templates do not write themselves (no injected script, handler or link), Markdown
//     output has no raw HTML, JSON output parses.
// Recipes stay small (a 5 MB string is a length, not the string) so 10,000 of them can be
// generated up front from one seed, and any one can be replayed by its index.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as csvParse } from "csv-parse/sync";
import { stringify as csvStringify } from "csv-stringify/sync";
import fc from "fast-check";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "dist/bin/mopan.js");
export const CASE_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Payloads that would run, load or inject something if any output put them in unescaped. */
export const INJECTION = [
  "<script>window.__pwned=1</script>",
  `"><img src=x onerror="window.__pwned=1">`,
  `'><svg onload='window.__pwned=1'>`,
  "</style><script>window.__pwned=1</script>",
  "</title><script>window.__pwned=1</script>",
  "--><script>window.__pwned=1</script><!--",
  "<![CDATA[<script>window.__pwned=1</script>]]>",
  "javascript:window.__pwned=1",
  '<a href="javascript:window.__pwned=1">x</a>',
  "<svg><script>window.__pwned=1</script></svg>",
  "<svg/onload=window.__pwned=1>",
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<div style="background:url(javascript:window.__pwned=1);width:expression(window.__pwned=1)">',
  "</textarea></noscript></svg><script>window.__pwned=1</script>",
  "<body onload=window.__pwned=1>",
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '<base href="http://evil.example/">',
  "<link rel=stylesheet href=http://evil.example/x.css>",
  "`${window.__pwned=1}`",
  "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
  "&#60;script&#62;window.__pwned=1&#60;/script&#62;",
  "\uff1cscript\uff1ewindow.__pwned=1\uff1c/script\uff1e",
  "\u202egnp.exe\u202c <scr\u200bipt>",
  "[click](javascript:window.__pwned=1) ![x](http://evil.example/x.png) <b>raw</b> | pipe |",
  "{{constructor.constructor('window.__pwned=1')()}}",
];

/** Cells a spreadsheet would evaluate, and near misses. */
export const FORMULAS = [
  "=1+1",
  '=HYPERLINK("http://evil.example","x")',
  "=cmd|' /C calc'!A0",
  "+SUM(1,2)",
  "-1+2",
  "@SUM(A1)",
  "\t=1",
  "\r=1",
  "'=x",
  "''=x",
  "'",
  "-1",
  "+2.5",
  "-0",
  "=",
  "@",
  "+",
  "-",
];

const UNICODE = ["\u200b", "\u202e", "\ufeff", "\ud800", "\udc00", "\u0000", "\u0007", "e\u0301", "\ud83d\ude00", "\u2028\u2029", "\uffff", "İ", "ß"];

export const ODD_IDS = [
  "MI99.1.E1",
  "KPI1",
  "MI1.1",
  "PA1",
  "MI1.1.E99",
  "",
  " ",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "../../etc/passwd",
  "MI1.1.E1 ",
  "mi1.1.e1",
  "MI1.1.E1;MI1.1.E2",
  "MI1.1.E1=3",
  "x".repeat(65),
  "MI2.2.E1",
  "MI9.1",
];

const NUMBER_TEXTS = [
  "1e308",
  "-1e308",
  "1e400",
  "-1e400",
  "-0",
  "0",
  "9007199254740993",
  "-9007199254740993",
  "5e-324",
  "0.1",
  "2.5",
  "3.0",
  "4",
  "5",
  "-1",
  "1.0000000000000002",
  "123456789012345678901234567890",
  "1E2",
  "2e0",
  "3",
  "1",
];

const INVALID_TOKENS = ["NaN", "Infinity", "-Infinity", "undefined", "'x'", "01", ".5", "+1", "0x10", "tru", "nul", "1e", '"unterminated'];

const SPECIAL_STRINGS = ["NaN", "Infinity", "-Infinity", "N/E", "n/a", "N/A ", "", " ", "0x10", "1_000", "\uff13", "null", "true", "3", "-0"];

/** Policy parts at the edges of doubles: weights 1e-324 beside 1e308, scales with a tiny step. */
const POLICY_OBJECTS = [
  '{"MI1.1.E1":5e-324,"MI1.1.E2":1.7976931348623157e308,"MI1.2.E1":1.0000000000000002}',
  '{"MI1.1":4.9e-324,"MI1.2":1e300,"KPI1":1e-300}',
  '{"min":0,"max":4,"step":1e-300}',
  '{"min":0,"max":4,"step":0.0001}',
  '{"min":0,"max":4,"step":0.0005}',
  '{"min":-1e308,"max":1e308,"step":1e300}',
  '{"min":0,"max":9007199254740993,"step":1}',
  '{"min":1,"max":4,"step":0.3333333333333333}',
];

const PROTO_OBJECTS = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"prototype":{"polluted":1}}',
  '{"__proto__":3}',
  '{"__proto__":null}',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":1},"__proto__":{"polluted":2}}',
];

export const URLS = [
  "file:///etc/passwd",
  "../../../../etc/passwd",
  "/etc/shadow",
  "\\\\server\\share\\x",
  "http://127.0.0.1:1/x",
  "https://example.invalid/a?b=1",
  "javascript:window.__pwned=1",
  " JavaScript:window.__pwned=1",
  "data:text/html,<script>window.__pwned=1</script>",
  "//evil.example/x",
  "vbscript:x",
  "https://ex ample.org/",
  "http://[::1",
  'https://example.org/"><script>window.__pwned=1</script>',
];

/** A JSON value as a tree that can also hold duplicate keys, `__proto__` keys and verbatim text. */
const V = (v) => ({ t: "v", v });
const R = (s) => ({ t: "r", s });
/** A string of `n` characters, made only when written. */
const BIG = (n, ch = "x") => ({ t: "big", n, ch });

export function toAst(value) {
  if (Array.isArray(value)) return { t: "a", i: value.map(toAst) };
  if (value !== null && typeof value === "object") return { t: "o", e: Object.entries(value).map(([k, v]) => [k, toAst(v)]) };
  return V(value);
}

export function serialise(ast, indent = 2) {
  const parts = [];
  const written = new Set();
  const pad = (depth) => (indent === 0 ? "" : "\n" + " ".repeat(indent * depth));
  const write = (node, depth) => {
    switch (node.t) {
      case "v":
        parts.push(JSON.stringify(node.v));
        return;
      case "r":
        parts.push(node.s);
        return;
      case "big":
        // In full once per document: a list grown to 120,000 copies of an entry holding 5 MB
        // would otherwise be 600 GB.
        parts.push(`"${node.ch.repeat(written.has(node) ? Math.min(node.n, 1000) : node.n)}"`);
        written.add(node);
        return;
      case "a":
        if (node.i.length === 0) return void parts.push("[]");
        parts.push("[");
        node.i.forEach((child, k) => {
          if (k > 0) parts.push(",");
          parts.push(pad(depth + 1));
          write(child, depth + 1);
        });
        parts.push(pad(depth), "]");
        return;
      case "o":
        if (node.e.length === 0) return void parts.push("{}");
        parts.push("{");
        node.e.forEach(([key, child], k) => {
          if (k > 0) parts.push(",");
          parts.push(pad(depth + 1), JSON.stringify(key), indent === 0 ? ":" : ": ");
          write(child, depth + 1);
        });
        parts.push(pad(depth), "}");
        return;
    }
  };
  write(ast, 0);
  return parts.join("");
}

/** Hostile values as recipes: [kind, parameter]. */
const hostileValueArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NUMBER_TEXTS).map((s) => ["raw", s]) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_TOKENS).map((s) => ["raw", s]) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS).map((s) => ["str", s]) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTION).map((s) => ["str", s]) },
  { weight: 2, arbitrary: fc.constantFrom(...FORMULAS).map((s) => ["str", s]) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE).map((s) => ["str", s]) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_IDS).map((s) => ["str", s]) },
  { weight: 2, arbitrary: fc.constantFrom(...URLS).map((s) => ["str", s]) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_OBJECTS).map((s) => ["raw", s]) },
  { weight: 1, arbitrary: fc.constantFrom(...POLICY_OBJECTS).map((s) => ["raw", s]) },
  { weight: 3, arbitrary: fc.constantFrom("null", "true", "false", "[]", "{}", '[""]', "[null]", '{"":""}').map((s) => ["raw", s]) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((s) => ["str", s]) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }).map((s) => ["str", s]) },
  { weight: 1, arbitrary: fc.double().map((d) => ["num", d]) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 10 }).map((d) => ["num", d]) },
  { weight: 2, arbitrary: fc.constantFrom(10, 63, 64, 65, 100, 1000).map((d) => ["deep", d]) },
  { weight: 2, arbitrary: fc.constantFrom(64, 65, 2_000, 100_001).map((n) => ["long", n]) },
  // Rare and expensive: megabytes and very deep nesting.
  { weight: 1, arbitrary: fc.constantFrom(["long", 1_000_000], ["long", 5_000_000], ["deep", 200_000], ["deepObject", 50_000], ["deepOpen", 100_000]) },
);

function hostileAst([kind, p]) {
  switch (kind) {
    case "raw":
      return R(p);
    case "str":
      return V(p);
    case "num":
      return Number.isFinite(p) ? R(Object.is(p, -0) ? "-0" : String(p)) : R(String(p));
    case "deep":
      return R("[".repeat(p) + "]".repeat(p));
    case "deepObject":
      return R('{"a":'.repeat(p) + "1" + "}".repeat(p));
    case "deepOpen":
      return R("[".repeat(p));
    case "long":
      return BIG(p, p > 100_000 ? "x" : "é");
    default:
      throw new Error(`unknown hostile value ${kind}`);
  }
}

/** Keys to add to objects. */
const keyArb = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", "unknownField", "id", "score", "x".repeat(300), "\u0000", "$schema", "🙂");

// ---------------------------------------------------------------------------------------------
// Mutations of a JSON tree

/** Named places worth hitting often; `*` takes an index (or key) from the recipe. */
const ASSESSMENT_TARGETS = [
  "judgements/*/score",
  "judgements/*/score",
  "judgements/*/score",
  "judgements/*/id",
  "judgements/*/rationale",
  "judgements/*/evidence",
  "judgements/*/evidence/*",
  "judgements/*",
  "judgements",
  "evidence/*/id",
  "evidence/*/stream",
  "evidence/*/source/title",
  "evidence/*/source/url",
  "evidence/*/source/file",
  "evidence/*/source/page",
  "evidence/*/source/interviews",
  "evidence/*/date",
  "evidence/*/quote",
  "evidence/*/summary",
  "evidence/*/elements",
  "evidence/*/elements/*",
  "evidence/*/suggestedScores",
  "evidence/*/suggestedScores/*",
  "evidence",
  "organisation/name",
  "organisation/acronym",
  "organisation",
  "title",
  "framework/id",
  "framework/version",
  "framework",
  "methodology",
  "period/from",
  "period/to",
  "assessors",
  "assessors/*/name",
  "context/notes",
  "provenance",
  "provenance/status",
  "statedConfidence",
  "statedConfidence/*",
  "published",
  "published/kpis",
  "published/kpis/*",
  "published/kpis/*/score",
  "published/kpis/*/rating",
  "published/mis/*/score",
  "$schema",
];
const FRAMEWORK_TARGETS = [
  "id",
  "version",
  "title",
  "methodology",
  "extends",
  "policy",
  "policy/elementScale",
  "policy/resultsScale",
  "policy/aggregation/mi/weights",
  "policy/aggregation/kpi/weights",
  "policy/elementScale/min",
  "policy/elementScale/max",
  "policy/elementScale/step",
  "policy/resultsScale/max",
  "policy/resultsScale/step",
  "policy/flags/N~1E",
  "policy/flags/N~1E/score",
  "policy/aggregation/mi/weights",
  "policy/aggregation/kpi/weights",
  "policy/rounding/decimals",
  "policy/rounding/mode",
  "policy/ratingScale",
  "policy/triangulation/conflictSpread",
  "policy/confidence/rules",
  "policy/confidence/rules/*/minScoredShare",
  "performanceAreas",
  "performanceAreas/*/id",
  "performanceAreas/*/kpis",
  "performanceAreas/*/kpis/*/id",
  "performanceAreas/*/kpis/*/mis/*/id",
  "performanceAreas/*/kpis/*/mis/*/scoring",
  "performanceAreas/*/kpis/*/mis/*/elements",
  "performanceAreas/*/kpis/*/mis/*/elements/*/id",
  "performanceAreas/*/kpis/*/mis/*/elements/*/title",
  "performanceAreas/*/kpis/*/mis/*/rubric",
  "performanceAreas/*/kpis/*/mis/*/rubric/*",
  "performanceAreas/*/kpis/*/title",
  "provenance",
  "changes",
  "changes/*/op",
  "changes/*/parent",
  "changes/*/id",
  "changes/*/item",
  "changes/*/item/id",
  "bands/*/min",
  "bands/*/max",
  "bands/*/colour",
  "bands/*/code",
  "decimals",
  "levels/high",
  "levels/low/-1",
  "levels/medium/0",
  "unit",
  "kpis/*",
  "mis/*",
  "from",
  "to",
  "changed",
];

/** Free-text fields: hostile text there keeps the assessment valid, so it reaches every renderer. */
const TEXT_TARGETS = [
  "judgements/*/rationale",
  "judgements/*/rationale",
  "evidence/*/quote",
  "evidence/*/summary",
  "evidence/*/source/title",
  "evidence/*/source/url",
  "evidence/*/source/file",
  "evidence/*/source/section",
  "evidence/*/source/page",
  "evidence/*/source/surveyQuestion",
  "organisation/name",
  "organisation/acronym",
  "organisation/url",
  "title",
  "assessors/*/name",
  "assessors/*/role",
  "context/notes",
  "published/source",
  "published/note",
];
const TEXT_TARGETS_FRAMEWORK = [
  "title",
  "description",
  "performanceAreas/*/title",
  "performanceAreas/*/kpis/*/title",
  "performanceAreas/*/kpis/*/mis/*/title",
  "performanceAreas/*/kpis/*/mis/*/elements/*/title",
  "performanceAreas/*/kpis/*/mis/*/description",
  "provenance/source",
  "provenance/basis",
  "performanceAreas/*/kpis/*/mis/*/rubric/*",
  "bands/*/label",
  "flags/noEvidence/label",
  "changes/*/reason",
  "changes/*/title",
];
const textValueArb = fc
  .oneof(
    { weight: 5, arbitrary: fc.constantFrom(...INJECTION) },
    { weight: 2, arbitrary: fc.constantFrom(...FORMULAS) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 2, arbitrary: fc.constantFrom(...URLS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...INJECTION, ...UNICODE, ...FORMULAS, " "), { maxLength: 8 }).map((a) => a.join("")) },
  )
  .map((s) => ["str", s]);

const picksArb = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 8 });

const jsonMutationArb = (targets, textTargets) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ op: fc.constant("setAt"), target: fc.constantFrom(...textTargets), picks: picksArb, value: textValueArb }) },
    { weight: 8, arbitrary: fc.record({ op: fc.constant("setAt"), target: fc.constantFrom(...targets), picks: picksArb, value: hostileValueArb }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("set"), picks: picksArb, value: hostileValueArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("remove"), picks: picksArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("removeAt"), target: fc.constantFrom(...targets), picks: picksArb }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("addKey"), picks: picksArb, key: keyArb, value: hostileValueArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("duplicateKey"), picks: picksArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("multiply"),
        target: fc.constantFrom("judgements", "evidence", "evidence/*/elements", "judgements/*/evidence", "assessors", "performanceAreas/*/kpis/*/mis/*/elements"),
        picks: picksArb,
        times: fc.constantFrom(2, 3, 50, 1_000, 20_000, 120_000),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("swapIds"), picks: picksArb }) },
    // Valid and large: many evidence entries with distinct ids.
    { weight: 1, arbitrary: fc.record({ op: fc.constant("growEvidence"), times: fc.constantFrom(100, 2_000, 15_000) }) },
  );

/** Follows a path of picks down the tree; returns the chain of [parent, index] pairs. */
function navigate(root, picks) {
  const chain = [];
  let node = root;
  for (const pick of picks) {
    const size = node.t === "o" ? node.e.length : node.t === "a" ? node.i.length : 0;
    if (size === 0) break;
    const index = pick % size;
    chain.push([node, index]);
    node = node.t === "o" ? node.e[index][1] : node.i[index];
  }
  return { chain, node };
}

/** Follows a named target ("judgements/*\/score"); `*` picks an index or key. Creates the last key if missing. */
function locate(root, target, picks) {
  const segments = target.split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  let node = root;
  let parent;
  let index;
  let p = 0;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    const last = s === segments.length - 1;
    if (node.t === "a") {
      if (node.i.length === 0) return undefined;
      index = seg === "*" ? (picks[p++ % picks.length] ?? 0) % node.i.length : Number(seg) % node.i.length;
      parent = node;
      node = node.i[index];
    } else if (node.t === "o") {
      let k = seg === "*" ? (node.e.length === 0 ? -1 : (picks[p++ % picks.length] ?? 0) % node.e.length) : node.e.findIndex(([key]) => key === seg);
      if (k < 0) {
        if (!last || seg === "*") return undefined;
        node.e.push([seg, V(null)]);
        k = node.e.length - 1;
      }
      parent = node;
      index = k;
      node = node.e[k][1];
    } else return undefined;
  }
  return parent === undefined ? undefined : { parent, index, node };
}

const replaceChild = (parent, index, value) => {
  if (parent.t === "o") parent.e[index] = [parent.e[index][0], value];
  else parent.i[index] = value;
};
const removeChild = (parent, index) => (parent.t === "o" ? parent.e.splice(index, 1) : parent.i.splice(index, 1));

export function applyJsonMutation(root, m) {
  switch (m.op) {
    case "setAt": {
      const at = locate(root, m.target, m.picks);
      if (at) replaceChild(at.parent, at.index, hostileAst(m.value));
      return;
    }
    case "set": {
      const { chain } = navigate(root, m.picks);
      const last = chain.at(-1);
      if (last) replaceChild(last[0], last[1], hostileAst(m.value));
      return;
    }
    case "remove": {
      const last = navigate(root, m.picks).chain.at(-1);
      if (last) removeChild(last[0], last[1]);
      return;
    }
    case "removeAt": {
      const at = locate(root, m.target, m.picks);
      if (at) removeChild(at.parent, at.index);
      return;
    }
    case "addKey": {
      const { chain, node } = navigate(root, m.picks.slice(0, -1));
      const target = node.t === "o" || node.t === "a" ? node : (chain.at(-1)?.[0] ?? root);
      if (target.t === "o") target.e.push([m.key, hostileAst(m.value)]);
      else if (target.t === "a") target.i.push(hostileAst(m.value));
      return;
    }
    case "duplicateKey": {
      const { chain } = navigate(root, m.picks);
      const owner = [...chain].reverse().find(([parent]) => parent.t === "o");
      if (owner) {
        const [parent, index] = owner;
        const [key, value] = parent.e[index];
        parent.e.splice(index + 1, 0, [key, value.t === "v" && typeof value.v === "number" ? V(value.v + 1) : value]);
      }
      return;
    }
    case "multiply": {
      const at = locate(root, m.target, m.picks);
      const list = at?.node;
      if (list?.t === "a" && list.i.length > 0) {
        const copy = list.i.slice();
        while (list.i.length < m.times) list.i.push(copy[list.i.length % copy.length]);
      }
      return;
    }
    case "growEvidence": {
      const list = root.t === "o" ? root.e.find(([key]) => key === "evidence")?.[1] : undefined;
      if (list?.t === "a" && list.i.length > 0) {
        const copy = list.i.slice();
        for (let k = 0; k < m.times; k++) {
          const entry = copy[k % copy.length];
          if (entry.t !== "o") continue;
          // Copies, not shared nodes: a later mutation of one entry must not grow all 15,000.
          list.i.push({ t: "o", e: entry.e.map(([key, value]) => [key, key === "id" && value.t === "v" ? V(`${value.v}~${k}`) : structuredClone(value)]) });
        }
      }
      return;
    }
    case "swapIds": {
      // Two judgements or evidence entries exchange ids, or an id is duplicated.
      const at = locate(root, "judgements/*/id", m.picks);
      const other = locate(root, "judgements/*/id", m.picks.slice(1).concat([7]));
      if (at && other) replaceChild(at.parent, at.index, other.node);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Text-level damage

const textMutationArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("truncate"), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("insert"),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: fc.constantFrom('"', "'", ",", ";", "\t", "\n", "\r", "{", "}", "[", "]", ":", "\\", "\\u12", "\u0000", "\ufeff", "/*", "//", "\u2028", "\ud800"),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("bytes"), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("bom", "bom2", "utf16", "crlf", "cr", "trailingGarbage", "leadingWhitespace", "latin1") }) },
);

/** Applies text damage; returns bytes. */
export function damage(text, mutations) {
  let bytes = Buffer.from(text, "utf8");
  for (const m of mutations) {
    const at = (f) => Math.min(bytes.length, Math.floor(f * bytes.length));
    switch (m.op) {
      case "truncate":
        bytes = bytes.subarray(0, at(m.at));
        break;
      case "insert":
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.text, "utf8"), bytes.subarray(at(m.at))]);
        break;
      case "bytes":
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.bytes), bytes.subarray(at(m.at))]);
        break;
      case "bom":
        bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
        break;
      case "bom2":
        bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), bytes]);
        break;
      case "utf16":
        bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString("utf8"), "utf16le")]);
        break;
      case "latin1":
        bytes = Buffer.from(bytes.toString("utf8"), "latin1");
        break;
      case "crlf":
        bytes = Buffer.from(bytes.toString("utf8").replace(/\n/g, "\r\n"), "utf8");
        break;
      case "cr":
        bytes = Buffer.from(bytes.toString("utf8").replace(/\r?\n/g, "\r"), "utf8");
        break;
      case "trailingGarbage":
        bytes = Buffer.concat([bytes, Buffer.from(" }garbage", "utf8")]);
        break;
      case "leadingWhitespace":
        bytes = Buffer.concat([Buffer.from(" \n\t\r ", "utf8"), bytes]);
        break;
    }
  }
  return bytes;
}

/** What a file slot holds when it is not the normal (mutated) content. */
const fileKindArb = fc.oneof(
  { weight: 40, arbitrary: fc.constant("normal") },
  { weight: 1, arbitrary: fc.constantFrom("empty", "whitespace", "binary", "binaryNoNul", "dir", "missing", "utf16", "deepArray", "deepObject", "bigFile", "symlinkLoop", "null", "array", "string") },
);

// ---------------------------------------------------------------------------------------------
// CSV tables

const SCORE_HEADER = ["id", "title", "score", "rationale", "evidence"];
const EVIDENCE_HEADER = ["id", "stream", "title", "url", "file", "section", "page", "survey_question", "interviews", "date", "quote", "summary", "elements", "suggested_scores"];

const cellTextArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FORMULAS) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTION) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS, "1e308", "9007199254740993", "2,5", "3;4", "-0", "4.0", " 3 ", "N/E", "n/e") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("MI1.1.E1=3; __proto__=4", "__proto__=1", "constructor=2", "prototype=3", "toString=1", "=3", "a=b=c", ";;;", "MI1.1.E1=3;MI1.1.E1=2", "MI1.1.E1=NaN", "MI1.1.E1=1e308"),
  },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) },
  { weight: 2, arbitrary: fc.constantFrom('"', 'a"b', '"unbalanced', "line\nbreak", "\r", "\r\n", "a,b", "a;b", "a\tb", "\u0000", "\ufeff", "\ud800") },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(65, 100_001, 1_000_000, 5_000_000).map((n) => ({ big: n })) },
);

const csvMutationArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("cell"), row: fc.nat(), col: fc.nat(), text: cellTextArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("addColumn"),
      name: fc.constantFrom("__proto__", "constructor", "prototype", "unknown", "#comment", "", "Score", "ID", "title", "Suggested Scores", "=cmd", "toString"),
      text: cellTextArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteColumn"), col: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("duplicateColumn"), col: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dropHeader") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("headerOnly") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("multiplyRows"), times: fc.constantFrom(2, 100, 5_000, 120_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("wideRow"), row: fc.nat(), width: fc.constantFrom(20, 2_000, 20_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("shortRow"), row: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("blankRows") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("growUnique"), times: fc.constantFrom(100, 5_000, 30_000) }) },
);

const cellText = (t) => (typeof t === "object" ? "y".repeat(t.big) : t);

function applyCsvMutation(rows, m) {
  const body = rows.length > 1 ? rows.length - 1 : 0;
  switch (m.op) {
    case "cell": {
      if (rows.length === 0) return rows;
      const r = body === 0 ? 0 : 1 + (m.row % body);
      const row = rows[r];
      row[m.col % Math.max(1, row.length)] = cellText(m.text);
      return rows;
    }
    case "addColumn":
      // The hostile text in the first data row; a huge text in every row would only test the disk.
      return rows.map((row, i) => [...row, i === 0 ? m.name : i === 1 || typeof m.text === "string" ? cellText(m.text) : "x"]);
    case "deleteColumn": {
      const c = m.col % Math.max(1, rows[0]?.length ?? 1);
      return rows.map((row) => row.filter((_, i) => i !== c));
    }
    case "duplicateColumn": {
      const c = m.col % Math.max(1, rows[0]?.length ?? 1);
      return rows.map((row) => [...row, row[c] ?? ""]);
    }
    case "dropHeader":
      return rows.slice(1);
    case "headerOnly":
      return rows.slice(0, 1);
    case "multiplyRows": {
      if (body === 0) return rows;
      // Copies keep at most the header's width: a wide or huge row is made once, not 120,000 times.
      const width = rows[0].length;
      const plain = rows.map((row) => (row.length > width || row.some((c) => c.length > 1000) ? row.slice(0, width).map((c) => c.slice(0, 1000)) : row));
      const out = rows.slice();
      for (let k = body; k < m.times; k++) out.push(plain[1 + (k % body)].slice());
      return out;
    }
    case "wideRow": {
      if (body === 0) return rows;
      const r = 1 + (m.row % body);
      rows[r] = [...rows[r], ...Array.from({ length: m.width }, (_, i) => (i % 7 === 0 ? "x" : ""))];
      return rows;
    }
    case "shortRow": {
      if (body === 0) return rows;
      const r = 1 + (m.row % body);
      rows[r] = rows[r].slice(0, 1);
      return rows;
    }
    case "blankRows":
      return [rows[0] ?? [], [], [""], ...rows.slice(1), [], [",,,"]];
    case "growUnique": {
      // Many rows with distinct ids (valid for evidence.csv; duplicate judgements in scores.csv).
      if (body === 0) return rows;
      const out = rows.slice();
      for (let k = 0; k < m.times; k++) {
        const row = rows[1 + (k % body)].slice(0, rows[0].length).map((c) => c.slice(0, 1000));
        if (rows[0][0] === "id" && row.length > 0) row[0] = `${row[0]}~${k}`;
        out.push(row);
      }
      return out;
    }
  }
  return rows;
}

const text = (v) => (v === undefined || v === null ? "" : String(v));

export function judgementRows(judgements) {
  return [SCORE_HEADER, ...judgements.map((j) => [text(j.id), "", text(j.score), text(j.rationale), (j.evidence ?? []).join("; ")])];
}

export function evidenceRows(evidence) {
  return [
    EVIDENCE_HEADER,
    ...evidence.map((e) => [
      text(e.id),
      text(e.stream),
      text(e.source?.title),
      text(e.source?.url),
      text(e.source?.file),
      text(e.source?.section),
      text(e.source?.page),
      text(e.source?.surveyQuestion),
      text(e.source?.interviews),
      text(e.date),
      text(e.quote),
      text(e.summary),
      (e.elements ?? []).join("; "),
      Object.entries(e.suggestedScores ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join("; "),
    ]),
  ];
}

const csvText = (rows, delimiter) => csvStringify(rows, { delimiter, quoted_match: /[\r\n]/ });

// ---------------------------------------------------------------------------------------------
// Base data: frameworks and valid assessments every recipe starts from

const FIXTURES = join(ROOT, "tests/fixtures/frameworks");

/** A crosswalk between the two fixture frameworks. */
export const FIXTURE_CROSSWALK = {
  from: "fixture-base",
  to: "fixture-overlay",
  kpis: { KPI1: "KPI1", KPI2: "KPI2" },
  mis: { "MI1.1": "MI1.1", "MI1.2": "MI1.2", "MI2.1": "MI2.1", "MI2.2": "MI2.2" },
  changed: { "MI1.2": "adds an element" },
};

let cachedBases;

/**
 * The valid starting points: the IOM reference assessment (built-in crisis framework), and small
 * assessments of the fixture framework and its overlay (read from a `--frameworks` folder).
 * `Registry` comes from the build under test (to resolve the overlay's elements).
 */
export function bases(Registry) {
  if (cachedBases) return cachedBases;
  const staging = mkdtempSync(join(tmpdir(), "mopan-fuzz-bases-"));
  try {
    writeFrameworkDir(join(staging, "fw"));
    const registry = new Registry([join(staging, "fw")]);
    const fixture = (id) => {
      const loaded = registry.framework(id);
      if (!loaded.value) throw new Error(`fuzz base framework ${id} is invalid: ${JSON.stringify(loaded.diagnostics)}`);
      return loaded.value;
    };
    const read = (path) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
    cachedBases = {
      assessments: {
        iom: read("assessments/iom-2023/assessment.json"),
        small: assessmentFor(fixture("fixture-base"), "Small fixture"),
        overlay: assessmentFor(fixture("fixture-overlay"), "Overlay fixture"),
      },
      frameworks: {
        "fixture-base": read("tests/fixtures/frameworks/valid.json"),
        "fixture-overlay": read("tests/fixtures/frameworks/overlay-valid.json"),
        "mopan-3.1": read("framework/mopan-3.1.json"),
        "mopan-3.1-crisis": read("framework/mopan-3.1-crisis.json"),
        scale: read("framework/rating-scales/mopan-3.1.json"),
        uncertainty: read("framework/uncertainty/default.json"),
        crosswalk: FIXTURE_CROSSWALK,
      },
      // The IOM assessment as a workbook, written by the built CLI; cases damage its bytes.
      workbook: workbookOf(join(ROOT, "assessments/iom-2023"), join(staging, "iom.xlsx")),
      leaves: {
        iom: leavesOf(registry.framework("mopan-3.1-crisis").value),
        small: leavesOf(fixture("fixture-base")),
        overlay: leavesOf(fixture("fixture-overlay")),
      },
    };
    return cachedBases;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function workbookOf(assessment, file) {
  const run = spawnSync(process.execPath, [BIN, "export", "xlsx", assessment, "--out", file], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`fuzz base workbook could not be written: ${run.stderr}`);
  return readFileSync(file);
}

/** Byte damage for a binary file (a workbook): truncation and inserted bytes; text-only damage does not apply. */
function damageBytes(bytes, mutations) {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = (f) => Math.min(out.length, Math.floor(f * out.length));
    if (m.op === "truncate") out = out.subarray(0, at(m.at));
    else if (m.op === "insert") out = Buffer.concat([out.subarray(0, at(m.at)), Buffer.from(m.text, "utf8"), out.subarray(at(m.at))]);
    else if (m.op === "bytes") {
      // Overwritten in place, so the archive keeps its shape and the damage reaches the unpacked XML.
      out = Buffer.from(out);
      Buffer.from(m.bytes).copy(out, Math.min(at(m.at), Math.max(0, out.length - m.bytes.length)));
    }
  }
  return out;
}

function leavesOf(framework) {
  const out = [];
  for (const pa of framework.performanceAreas)
    for (const kpi of pa.kpis)
      for (const mi of kpi.mis) {
        if (mi.scoring === "rubric") out.push({ id: mi.id, rubric: true, mi: mi.id, kpi: kpi.id });
        else for (const e of mi.elements) out.push({ id: e.id, rubric: false, mi: mi.id, kpi: kpi.id });
      }
  return out;
}

function assessmentFor(framework, name) {
  const leaves = leavesOf(framework);
  const judgements = leaves.map((leaf, i) => {
    const j = { id: leaf.id, score: leaf.rubric ? 1 + (i % 4) : (i * 3) % 5, rationale: `Rationale ${i} for ${leaf.id}.`, evidence: [`ev-${(i % 3) + 1}`] };
    if (i === 1) j.score = "N/E";
    if (i === 3) j.score = "N/A";
    if (i === 2) delete j.score;
    return j;
  });
  const pick = (k) => leaves[k % leaves.length].id;
  const evidence = [
    {
      id: "ev-1",
      stream: "document",
      source: { title: "Annual report", url: "https://example.org/report", page: "12", section: "2.1" },
      date: "2023-01",
      quote: "A quote.",
      summary: "A summary.",
      elements: [pick(0), pick(2)],
      suggestedScores: { [pick(2)]: 3 },
    },
    { id: "ev-2", stream: "survey", source: { title: "Partner survey", surveyQuestion: "Q4" }, date: "2023-02-01", elements: [pick(2), pick(4)], suggestedScores: { [pick(2)]: 2 } },
    { id: "ev-3", stream: "interview", source: { title: "Interviews", interviews: 4, file: "notes/interviews.docx" }, elements: [pick(5)] },
  ];
  const mis = [...new Set(leaves.map((l) => l.mi))];
  const kpis = [...new Set(leaves.map((l) => l.kpi))];
  return {
    title: `${name} (fuzz base)`,
    organisation: { name, acronym: "FX" },
    framework: { id: framework.id, version: framework.version },
    methodology: framework.methodology,
    period: { from: "2020-01", to: "2023-03" },
    assessors: [{ name: "Fuzz assessor", role: "lead" }],
    context: { notes: "Generated by scripts/fuzz/cases.mjs." },
    judgements,
    evidence,
    statedConfidence: Object.fromEntries(mis.map((id, i) => [id, ["high", "medium", "low"][i % 3]])),
    published: { source: "fuzz fixture", kpis: { [kpis[0]]: { score: 2.5 } }, mis: { [mis[0]]: { score: null } } },
  };
}

/** The frameworks folder given with --frameworks: both fixtures, the valid scale, a crosswalk. */
function writeFrameworkDir(dir, replace = {}) {
  mkdirSync(join(dir, "rating-scales"), { recursive: true });
  mkdirSync(join(dir, "crosswalks"), { recursive: true });
  const put = (name, fallback) => {
    const file = join(dir, name);
    if (replace[name] !== undefined) writeSlot(file, replace[name]);
    else writeFileSync(file, fallback);
  };
  put("fixture-base.json", readFileSync(join(FIXTURES, "valid.json")));
  put("fixture-overlay.json", readFileSync(join(FIXTURES, "overlay-valid.json")));
  put("rating-scales/fixture-scale.json", readFileSync(join(FIXTURES, "rating-scales/valid.json")));
  put("crosswalks/fixture-base--fixture-overlay.json", JSON.stringify(FIXTURE_CROSSWALK, null, 2));
}

// ---------------------------------------------------------------------------------------------
// Recipes

const assessmentSlotArb = fc.record({
  base: fc.constantFrom("iom", "small", "small", "overlay"),
  storage: fc.constantFrom("json", "json", "csv"),
  delimiter: fc.constantFrom(",", ",", ";", "\t"),
  json: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(jsonMutationArb(ASSESSMENT_TARGETS, TEXT_TARGETS), { minLength: 1, maxLength: 3 }) }),
  scores: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(csvMutationArb, { minLength: 1, maxLength: 3 }) }),
  evidence: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(csvMutationArb, { minLength: 1, maxLength: 2 }) }),
  kinds: fc.record({ json: fileKindArb, scores: fileKindArb, evidence: fileKindArb }),
  target: fc.oneof(
    { weight: 14, arbitrary: fc.constant("folder") },
    { weight: 1, arbitrary: fc.constantFrom("assessment.json", "scores.csv", "other.json", "missing", "text") },
    { weight: 2, arbitrary: fc.constant("workbook") },
  ),
});

/** Damage one time in `odds`: most cases keep the text parseable so the mutations reach deep code. */
const sometimes = (arb, odds) => fc.oneof({ weight: odds - 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: arb });
/** A value one time in `odds`, else null. */
const rarely = (arb, odds) => fc.oneof({ weight: odds - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const assessmentArb = assessmentSlotArb.chain((slot) =>
  fc
    .record({ jsonText: sometimes(fc.array(textMutationArb, { minLength: 1, maxLength: 2 }), 6), csvText: sometimes(fc.array(textMutationArb, { minLength: 1, maxLength: 2 }), 5) })
    .map((extra) => ({ ...slot, ...extra })),
);

const frameworkFileArb = fc.record({
  base: fc.constantFrom("fixture-base", "fixture-base", "fixture-overlay", "mopan-3.1", "mopan-3.1-crisis", "scale", "uncertainty", "crosswalk"),
  json: fc.array(jsonMutationArb(FRAMEWORK_TARGETS, TEXT_TARGETS_FRAMEWORK), { maxLength: 3 }),
  text: sometimes(fc.array(textMutationArb, { minLength: 1, maxLength: 2 }), 6),
  kind: fileKindArb,
});

/** Hazards for the --frameworks folder the fixtures live in. */
const frameworksDirArb = fc.record({
  mutate: rarely(
    fc.record({ file: fc.constantFrom("fixture-base.json", "fixture-overlay.json", "rating-scales/fixture-scale.json", "crosswalks/fixture-base--fixture-overlay.json"), content: frameworkFileArb }),
    6,
  ),
  hazard: fc.oneof({ weight: 25, arbitrary: fc.constant("none") }, { weight: 1, arbitrary: fc.constantFrom("cycle", "selfCycle", "isFile", "missing", "scalesIsFile") }),
});

const formatFor = (cmd) =>
  ({
    validate: ["text", "json", "github"],
    score: ["text", "json", "csv", "md"],
    framework: ["text", "json"],
    compare: ["text", "json", "csv", "md", "html"],
    sensitivity: ["text", "json"],
    simulate: ["text", "json"],
    "what-if": ["text", "json"],
  })[cmd];

const outputHazardArb = fc.constantFrom("none", "none", "none", "exists", "exists", "isDir", "parentIsFile");

const setArb = fc
  .tuple(
    fc.oneof(
      fc.nat().map((n) => ({ leaf: n })),
      fc.constantFrom(...ODD_IDS).map((id) => ({ id })),
    ),
    fc.constantFrom("3", "0", "4", "1", "N/E", "N/A", "n/e", "2.5", "5", "-1", "1e308", "NaN", "Infinity", "-0", "9007199254740993", "abc", " 2 ", "=1+1", "0x3", "4.0"),
  )
  .map(([target, value]) => ({ ...target, value }));

const GARBAGE = [
  [],
  ["--help"],
  ["--version"],
  ["nope"],
  ["score"],
  ["score", "--format", "pdf", "@A"],
  ["score", "@A", "@A"],
  ["score", "--bogus", "@A"],
  ["validate"],
  ["validate", "--format", "xml", "@A"],
  ["framework"],
  ["framework", "nope"],
  ["framework", "show"],
  ["framework", "validate"],
  ["report", "@A", "--format", "pdf"],
  ["report", "@A", "--out", ""],
  ["report", "@A", "--format", "md", "--out", "@OUT/x.svg"],
  ["simulate", "@A", "--draws", "0"],
  ["simulate", "@A", "--draws", "1e3"],
  ["simulate", "@A", "--draws", "99999999999"],
  ["simulate", "@A", "--seed", "-1"],
  ["simulate", "@A", "--draws", "50", "--seed", "abc"],
  ["what-if", "@A"],
  ["what-if", "@A", "--set", "=3"],
  ["what-if", "@A", "--set", "MI1.1.E1="],
  ["what-if", "@A", "--set", "noequals"],
  ["compare", "@A"],
  ["compare", "@A", "--published", "@A"],
  ["compare", "@A", "@A", "--published"],
  ["export"],
  ["export", "json", "@A"],
  ["export", "csv"],
  ["import", "csv"],
  ["import", "xml", "@A"],
  ["init"],
  ["init", "@OUT/n"],
  ["init", "@OUT/n", "--framework", "mopan-3.1"],
  ["init", "@OUT/n", "--framework", "mopan-3.1", "--org", "  "],
  ["sensitivity", "@A", "--format", "csv"],
  ["score", "-h"],
  ["report", "--help"],
  ["score", "--format"],
  ["--", "score", "@A"],
  ["score", "@A", "--frameworks"],
];

const commandArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      cmd: fc.constant("validate"),
      a: assessmentArb,
      fw: frameworksDirArb,
      format: fc.constantFrom(...formatFor("validate")),
      strict: fc.boolean(),
      two: fc.boolean(),
      b: assessmentArb,
      fwTarget: fc.boolean(),
      file: frameworkFileArb,
    }),
  },
  { weight: 16, arbitrary: fc.record({ cmd: fc.constant("score"), a: assessmentArb, fw: frameworksDirArb, format: fc.constantFrom(...formatFor("score")), detail: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ cmd: fc.constant("framework validate"), file: frameworkFileArb, format: fc.constantFrom("text", "json", "github"), fw: frameworksDirArb }) },
  { weight: 6, arbitrary: fc.record({ cmd: fc.constant("framework show"), file: frameworkFileArb, format: fc.constantFrom("text", "json"), fw: frameworksDirArb }) },
  {
    weight: 12,
    arbitrary: fc.record({
      cmd: fc.constant("report"),
      a: assessmentArb,
      fw: frameworksDirArb,
      format: fc.constantFrom("html", "html", "md"),
      out: fc.constantFrom(true, true, true, false),
      output: outputHazardArb,
      force: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      cmd: fc.constant("compare"),
      a: assessmentArb,
      b: assessmentArb,
      fw: frameworksDirArb,
      format: fc.constantFrom(...formatFor("compare")),
      published: fc.boolean(),
      crosswalk: rarely(frameworkFileArb, 4),
    }),
  },
  { weight: 6, arbitrary: fc.record({ cmd: fc.constant("sensitivity"), a: assessmentArb, fw: frameworksDirArb, format: fc.constantFrom(...formatFor("sensitivity")) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      cmd: fc.constant("simulate"),
      a: assessmentArb,
      fw: frameworksDirArb,
      format: fc.constantFrom(...formatFor("simulate")),
      seed: fc.integer({ min: 1, max: 1000 }),
      uncertainty: rarely(frameworkFileArb, 4),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      cmd: fc.constant("what-if"),
      a: assessmentArb,
      fw: frameworksDirArb,
      format: fc.constantFrom(...formatFor("what-if")),
      sets: fc.array(setArb, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({ cmd: fc.constant("export"), a: assessmentArb, fw: frameworksDirArb, out: fc.constantFrom("none", "new", "new", "same"), output: outputHazardArb, force: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      cmd: fc.constant("import"),
      a: assessmentArb,
      fw: frameworksDirArb,
      out: fc.constantFrom("default", "file", "file", "stdout"),
      output: outputHazardArb,
      force: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      cmd: fc.constant("init"),
      fw: frameworksDirArb,
      framework: fc.constantFrom("mopan-3.1", "mopan-3.1-crisis", "fixture-base", "fixture-overlay", "nope", "__proto__", "../framework/mopan-3.1", "", "x".repeat(300)),
      org: fc.oneof(fc.constantFrom(...INJECTION, ...FORMULAS, "IOM", "x".repeat(5000)), fc.string({ maxLength: 20 })),
      acronym: fc.option(fc.constantFrom(...FORMULAS, ...INJECTION)),
      methodology: fc.option(fc.constantFrom("3.1", "3.0", "3.0*", "9", "__proto__", "")),
      output: fc.constantFrom("none", "none", "exists", "isFile", "parentIsFile", "scoresIsDir"),
      force: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ cmd: fc.constant("garbage"), argv: fc.constantFrom(...GARBAGE), a: assessmentArb }) },
);

/** The recipe arbitrary: a command, its inputs and their damage. */
export const recipeArb = commandArb;

// ---------------------------------------------------------------------------------------------
// Materialising a recipe

function writeSlot(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { recursive: true, force: true });
  if (content === null) return;
  if (content === "@dir") mkdirSync(path, { recursive: true });
  else writeFileSync(path, content);
}

/** Bytes (or "@dir", or null for no file) for a file slot of a non-normal kind. */
function specialContent(kind) {
  switch (kind) {
    case "empty":
      return "";
    case "whitespace":
      return " \n\t\r\n ";
    case "binary":
      return Buffer.from([0x7b, 0x00, 0x01, 0xff, 0xfe, 0x22, 0x00, 0x7d, 0x89, 0x50, 0x4e, 0x47]);
    case "binaryNoNul":
      return Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe, 0xfd]);
    case "dir":
      return "@dir";
    case "missing":
      return null;
    case "utf16":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"organisation": {"name": "x"}}', "utf16le")]);
    case "deepArray":
      return "[".repeat(100_000) + "]".repeat(100_000);
    case "deepObject":
      return '{"a":'.repeat(100_000) + "0" + "}".repeat(100_000);
    case "bigFile":
      return Buffer.alloc(33 * 1024 * 1024, 0x20);
    case "null":
      return "null";
    case "array":
      return "[]";
    case "string":
      return '"an assessment"';
  }
  throw new Error(`unknown file kind ${kind}`);
}

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

function jsonBytes(value, mutations, textMutations) {
  const ast = toAst(clone(value));
  // Lists are grown last: copies share nodes, so a later change to one would repeat in all of them.
  const growing = (m) => m.op === "multiply" || m.op === "growEvidence";
  for (const m of [...mutations.filter((m) => !growing(m)), ...mutations.filter(growing)]) applyJsonMutation(ast, m);
  return damage(serialise(ast), textMutations);
}

/** Writes an assessment slot into `dir`; returns the path to give the command. */
function writeAssessment(dir, slot, B) {
  mkdirSync(dir, { recursive: true });
  const data = clone(B.assessments[slot.base]);
  const put = (name, kind, normal) => {
    const file = join(dir, name);
    // A link that points at itself: stat fails with ELOOP.
    if (kind === "symlinkLoop") symlinkSync(name, file);
    else if (kind === "normal") writeFileSync(file, normal());
    else writeSlot(file, specialContent(kind));
  };
  if (slot.storage === "csv") {
    const judgements = data.judgements;
    const evidence = data.evidence;
    delete data.judgements;
    delete data.evidence;
    let scoreRows = judgementRows(judgements);
    for (const m of slot.scores) scoreRows = applyCsvMutation(scoreRows, m);
    let evidenceRowsList = evidenceRows(evidence);
    for (const m of slot.evidence) evidenceRowsList = applyCsvMutation(evidenceRowsList, m);
    put("scores.csv", slot.kinds.scores, () => damage(csvText(scoreRows, slot.delimiter), slot.csvText));
    put("evidence.csv", slot.kinds.evidence, () => damage(csvText(evidenceRowsList, slot.delimiter), []));
  }
  put("assessment.json", slot.kinds.json, () => jsonBytes(data, slot.json, slot.jsonText));
  switch (slot.target) {
    case "assessment.json":
      return join(dir, "assessment.json");
    case "scores.csv":
      return join(dir, "scores.csv");
    case "other.json":
      if (slot.kinds.json === "normal") copyFileSync(join(dir, "assessment.json"), join(dir, "other.json"));
      else put("other.json", slot.kinds.json, () => "");
      return join(dir, "other.json");
    case "missing":
      return join(dir, "does-not-exist");
    case "workbook": {
      const file = join(dir, "assessment-book.xlsx");
      if (slot.kinds.json === "normal" || slot.kinds.json === "symlinkLoop") writeFileSync(file, damageBytes(B.workbook, slot.csvText));
      else put("assessment-book.xlsx", slot.kinds.json, () => "");
      return file;
    }
    case "text":
      writeFileSync(join(dir, "notes.txt"), "not an assessment\n");
      return join(dir, "notes.txt");
    default:
      return dir;
  }
}

function frameworkBytes(spec, B) {
  return jsonBytes(B.frameworks[spec.base], spec.json, spec.text);
}

function writeFrameworkFile(path, spec, B) {
  if (spec.kind === "normal") writeSlot(path, frameworkBytes(spec, B));
  else if (spec.kind === "symlinkLoop") {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    symlinkSync(path, path);
  } else writeSlot(path, specialContent(spec.kind));
}

function writeFrameworks(dir, spec, B) {
  if (spec.hazard === "isFile") {
    writeFileSync(dir, "not a folder\n");
    return;
  }
  if (spec.hazard === "missing") return;
  writeFrameworkDir(dir);
  if (spec.mutate) writeFrameworkFile(join(dir, spec.mutate.file), spec.mutate.content, B);
  if (spec.hazard === "cycle") {
    const overlay = B.frameworks["fixture-overlay"];
    writeFileSync(join(dir, "cycle-a.json"), JSON.stringify({ ...overlay, id: "one", extends: "cycle-b" }));
    writeFileSync(join(dir, "cycle-b.json"), JSON.stringify({ ...overlay, id: "two", extends: "cycle-a" }));
  }
  if (spec.hazard === "selfCycle") {
    const overlay = B.frameworks["fixture-overlay"];
    writeFileSync(join(dir, "fixture-overlay.json"), JSON.stringify({ ...overlay, extends: "fixture-overlay" }));
  }
  if (spec.hazard === "scalesIsFile") {
    rmSync(join(dir, "rating-scales"), { recursive: true, force: true });
    writeFileSync(join(dir, "rating-scales"), "x");
  }
}

/** Prepares an output path by its hazard; returns nothing. */
function prepareOutput(path, hazard, existing = "previous content\n") {
  if (hazard === "exists") writeSlot(path, existing);
  else if (hazard === "isDir") mkdirSync(path, { recursive: true });
  else if (hazard === "parentIsFile") writeSlot(dirname(path), "a file where a folder should be\n");
}

/**
 * Writes a recipe's files under `dir` and returns the command line, the paths the command may
 * create or change, and what its exit code must be when that is certain.
 */
export function materialise(recipe, dir, B) {
  mkdirSync(dir, { recursive: true });
  const fw = join(dir, "fw");
  const out = join(dir, "out");
  mkdirSync(out, { recursive: true });
  if (recipe.fw) writeFrameworks(fw, recipe.fw, B);
  const withFw = (args, slot) => (!["export", "import"].includes(recipe.cmd) && ((slot && slot.base !== "iom") || recipe.fw?.hazard === "cycle") ? [...args, "--frameworks", fw] : args);
  const A = recipe.a ? writeAssessment(join(dir, "a"), recipe.a, B) : undefined;
  if (A && recipe.fw?.hazard === "cycle") {
    // The assessment names the first framework of the cycle.
    const file = join(dir, "a", "assessment.json");
    try {
      const data = JSON.parse(readFileSync(file, "utf8"));
      data.framework = { id: "cycle-a" };
      writeFileSync(file, JSON.stringify(data));
    } catch {
      // Broken on purpose already.
    }
  }
  const outputs = [];
  let argv;
  let expectExit;
  const format = recipe.format === undefined ? [] : ["--format", recipe.format];
  switch (recipe.cmd) {
    case "validate": {
      const targets = [A];
      if (recipe.two) targets.push(writeAssessment(join(dir, "b"), recipe.b, B));
      if (recipe.fwTarget) {
        const file = join(dir, "target-framework.json");
        writeFrameworkFile(file, recipe.file, B);
        targets.push(file);
      }
      argv = withFw(["validate", ...targets, ...format, ...(recipe.strict ? ["--strict"] : [])], recipe.a);
      break;
    }
    case "score":
      argv = withFw(["score", A, ...format, ...(recipe.detail ? ["--detail"] : [])], recipe.a);
      break;
    case "framework validate":
    case "framework show": {
      const file = join(dir, "fwt", `${recipe.file.base}.json`);
      writeFrameworkFile(file, recipe.file, B);
      argv = ["framework", recipe.cmd.split(" ")[1], file, ...format];
      if (recipe.file.kind !== "normal" && recipe.file.kind !== "symlinkLoop") expectExit = 1;
      break;
    }
    case "report": {
      const target = join(out, "sub", recipe.format === "md" ? "report.md" : "report.html");
      argv = withFw(["report", A, "--format", recipe.format], recipe.a);
      if (recipe.out) {
        argv.push("--out", target);
        prepareOutput(target, recipe.output, recipe.format === "md" ? "# previous\n" : "<p>previous</p>\n");
        outputs.push({ path: target, kind: recipe.format });
        if (recipe.format === "md") outputs.push({ path: target.replace(/\.md$/, ".svg"), kind: "svg" });
      }
      if (recipe.force) argv.push("--force");
      break;
    }
    case "compare": {
      const Bpath = writeAssessment(join(dir, "b"), recipe.b, B);
      argv = recipe.published ? ["compare", A, "--published", ...format] : ["compare", A, Bpath, ...format];
      if (recipe.crosswalk && !recipe.published) {
        const file = join(dir, "aux", "crosswalk.json");
        writeFrameworkFile(file, { ...recipe.crosswalk, base: "crosswalk" }, B);
        argv.push("--crosswalk", file);
      }
      argv = withFw(argv, recipe.a.base !== "iom" ? recipe.a : recipe.b);
      break;
    }
    case "sensitivity":
      argv = withFw(["sensitivity", A, ...format], recipe.a);
      break;
    case "simulate":
      argv = withFw(["simulate", A, "--draws", "50", "--seed", String(recipe.seed), ...format], recipe.a);
      if (recipe.uncertainty) {
        const file = join(dir, "aux", "uncertainty.json");
        writeFrameworkFile(file, { ...recipe.uncertainty, base: "uncertainty" }, B);
        argv.push("--uncertainty", file);
      }
      break;
    case "what-if": {
      const leaves = B.leaves[recipe.a.base];
      const sets = recipe.sets.flatMap((s) => ["--set", `${s.id ?? leaves[s.leaf % leaves.length].id}=${s.value}`]);
      argv = withFw(["what-if", A, ...sets, ...format], recipe.a);
      break;
    }
    case "export": {
      const target = recipe.out === "new" ? join(out, "exported") : join(dir, "a");
      argv = withFw(["export", "csv", A], recipe.a);
      if (recipe.out === "new") argv.push("--out", target);
      if (recipe.out === "same") argv.push("--out", target);
      // Without --out the files go beside the source JSON: the assessment folder itself.
      const names = ["scores.csv", "evidence.csv", "assessment.json"];
      if (recipe.out === "new") {
        if (recipe.output === "parentIsFile") prepareOutput(join(target, "x"), "parentIsFile");
        else for (const [i, name] of names.entries()) if (i === 0 || recipe.output !== "none") prepareOutput(join(target, name), i === 0 ? recipe.output : "none");
      }
      const base = recipe.out === "new" ? target : A !== undefined && /\.(json|csv)$/i.test(A) ? dirname(A) : join(dir, "a");
      for (const name of names) outputs.push({ path: join(base, name), kind: name.endsWith(".csv") ? "csv" : "json" });
      if (recipe.force) argv.push("--force");
      break;
    }
    case "import": {
      const target = join(out, "imp", "combined.json");
      argv = withFw(["import", "csv", A], recipe.a);
      if (recipe.out === "file") {
        argv.push("--out", target);
        prepareOutput(target, recipe.output, "{}\n");
        outputs.push({ path: target, kind: "json" });
      } else if (recipe.out === "stdout") argv.push("--out", "-");
      else {
        const folder = A !== undefined && /\.(json|csv|txt)$/i.test(A) ? dirname(A) : (A ?? join(dir, "a"));
        outputs.push({ path: join(folder, "assessment.combined.json"), kind: "json" });
      }
      if (recipe.force) argv.push("--force");
      break;
    }
    case "init": {
      const target = join(out, "init", "new-assessment");
      if (recipe.output === "exists") writeSlot(join(target, "scores.csv"), "id,score\n");
      if (recipe.output === "isFile") writeSlot(target, "a file\n");
      if (recipe.output === "parentIsFile") writeSlot(dirname(target), "a file\n");
      if (recipe.output === "scoresIsDir") mkdirSync(join(target, "scores.csv"), { recursive: true });
      argv = ["init", target, "--framework", recipe.framework, "--org", recipe.org];
      if (recipe.acronym !== null) argv.push("--acronym", recipe.acronym);
      if (recipe.methodology !== null) argv.push("--methodology", recipe.methodology);
      if (recipe.framework.startsWith("fixture")) argv.push("--frameworks", fw);
      if (recipe.force) argv.push("--force");
      // assessment.schema.json: the schema copy init writes when no installed mopan-engine is above the folder.
      for (const name of ["assessment.json", "scores.csv", "evidence.csv", "assessment.schema.json"]) outputs.push({ path: join(target, name), kind: name.endsWith(".csv") ? "csv" : "json" });
      break;
    }
    case "garbage":
      argv = recipe.argv.map((a) => a.replace("@A", A ?? join(dir, "a")).replace("@OUT", out));
      for (const name of ["assessment.json", "scores.csv", "evidence.csv", "assessment.schema.json"]) outputs.push({ path: join(out, "n", name), kind: "any" });
      break;
    default:
      throw new Error(`unknown command ${recipe.cmd}`);
  }
  // Reading commands must refuse an assessment that is not there or not JSON at all.
  const unreadable = ["empty", "whitespace", "binary", "binaryNoNul", "dir", "missing", "utf16", "deepArray", "deepObject", "bigFile", "null", "array", "string"];
  if (recipe.a && ["score", "report", "sensitivity", "simulate", "what-if", "compare"].includes(recipe.cmd) && recipe.a.target === "folder" && unreadable.includes(recipe.a.kinds.json)) {
    expectExit = argv.includes("--format") && !formatFor(recipe.cmd)?.includes(recipe.format) ? undefined : 1;
  }
  if (recipe.a && recipe.a.target === "missing" && ["score", "sensitivity"].includes(recipe.cmd)) expectExit = 1;
  if (recipe.sanity) expectExit = 0;
  return { argv, outputs, expectExit };
}

// ---------------------------------------------------------------------------------------------
// Snapshots and invariants

/** Every path under `dir` with a content hash (files), "dir", or the link target. */
export function snapshot(dir) {
  const out = new Map();
  const walk = (path) => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return;
    }
    if (stat.isSymbolicLink()) out.set(path, `link:${readlinkSync(path)}`);
    else if (stat.isDirectory()) {
      out.set(path, "dir");
      for (const name of readdirSync(path)) walk(join(path, name));
    } else out.set(path, `file:${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
  };
  walk(dir);
  return out;
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
export const prototypeSnapshot = () => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(","));

const STACK_LINE = /^\s+at (?:.+ \()?(?:file:|node:|\/|[A-Za-z]:\\|<anonymous>|async ).*$/m;

/** HTML tags and attributes the report templates write; anything else in output came from data. */
const HTML_TAGS = new Set(
  "!doctype a article aside b blockquote body br code dd desc details div dl dt figcaption figure footer g h1 h2 h3 h4 h5 head header html li line meta nav ol p rect section span strong style summary svg table tbody td text th thead title tr ul i em small path circle polyline tspan caption colgroup col".split(
    " ",
  ),
);
const HTML_ATTRIBUTES = new Set(
  "aria-labelledby letter-spacing fill-opacity class id href style lang charset http-equiv content name rel colspan rowspan open aria-label aria-hidden role viewbox xmlns width height x y x1 x2 y1 y2 fill stroke stroke-width text-anchor dominant-baseline font-size font-weight data-mi data-rating data-kpi data-share rx ry transform opacity font-family preserveaspectratio focusable d cx cy r points stroke-dasharray title".split(
    " ",
  ),
);

/** Problems with an HTML document: tags, attributes or links the templates never write. */
export function htmlProblems(text) {
  const problems = [];
  for (const m of text.matchAll(/<\s*([!/]?)([a-zA-Z][\w:-]*|!doctype)([^>]*)>/gi)) {
    const name = m[2].toLowerCase();
    if (m[1] === "!" && name !== "doctype") continue;
    if (!HTML_TAGS.has(name) && !(m[1] === "!" && name === "doctype")) problems.push(`unexpected tag <${m[1]}${name}>`);
    if (m[1] === "/") continue;
    for (const a of m[3].matchAll(/([^\s=/"']+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const attr = a[1].toLowerCase();
      if (!HTML_ATTRIBUTES.has(attr)) problems.push(`unexpected attribute ${attr} on <${name}>`);
      if (!a[2].startsWith('"')) problems.push(`unquoted attribute ${attr} on <${name}>`);
      if (attr === "href" && !/^"(#|https?:\/\/)/.test(a[2])) problems.push(`href ${a[2].slice(0, 60)}`);
    }
  }
  if (/<script/i.test(text)) problems.push("a <script");
  return problems;
}

/** A `<` that opens a tag, comment or declaration in Markdown, not escaped by a backslash (`\<`). */
export function rawHtmlInMarkdown(text) {
  for (const m of text.matchAll(/(\\*)<[a-zA-Z!/?]/g)) if (m[1].length % 2 === 0) return text.slice(Math.max(0, m.index - 30), m.index + 40);
  return undefined;
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Cells of CSV text a spreadsheet would evaluate as formulas. */
export function csvProblems(text) {
  let rows;
  try {
    rows = csvParse(text, { relax_column_count: true, bom: true });
  } catch (error) {
    return [`output is not CSV: ${error.message}`];
  }
  const problems = [];
  for (const row of rows) for (const cell of row) if (/^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell)) problems.push(`formula cell ${JSON.stringify(cell.slice(0, 40))}`);
  return problems;
}

/** Checks the output of one run against everything it must satisfy. */
export function checkRun({ argv, outputs, expectExit }, run, before, after, protoBefore, protoAfter) {
  const problems = [];
  const { code, stdout, stderr } = run;
  if (![0, 1, 2].includes(code)) problems.push(`exit code ${String(code)}`);
  if (run.threw) problems.push(`run() threw: ${run.threw}`);
  if (run.signal) problems.push(`killed by ${run.signal}`);
  if (expectExit !== undefined && code !== expectExit && (code !== 2 || expectExit === 0)) problems.push(`exit ${code}, expected ${expectExit}`);
  for (const [name, s] of [
    ["stdout", stdout],
    ["stderr", stderr],
  ]) {
    if (/internal error/i.test(s)) problems.push(`${name} reports an internal error: ${s.slice(s.search(/internal error/i) - 40, s.search(/internal error/i) + 200)}`);
    const stack = STACK_LINE.exec(s);
    if (stack) problems.push(`${name} shows a stack trace: ${stack[0].slice(0, 200)}`);
  }
  if (protoBefore.join("|") !== protoAfter.join("|")) problems.push("a built-in prototype gained or lost properties");
  if ({}.polluted !== undefined || [].polluted !== undefined) problems.push("Object.prototype was polluted");

  const outputPaths = new Set(outputs.map((o) => o.path));
  const isOutputOrAncestor = (path) => outputPaths.has(path) || [...outputPaths].some((o) => o.startsWith(path + "/"));
  for (const [path, hash] of before) {
    const now = after.get(path);
    if (now === hash) continue;
    if (outputPaths.has(path)) {
      if (code !== 0) problems.push(`failed run (exit ${code}) changed its output ${path}`);
      else if (!argv.includes("--force") && hash !== "dir") problems.push(`overwrote ${path} without --force`);
      continue;
    }
    problems.push(`${now === undefined ? "deleted" : "changed"} ${path}, which is not an output`);
  }
  for (const [path, hash] of after) {
    if (before.has(path)) continue;
    if (/\.tmp(-\d+)?$|\.tmp-/.test(path)) problems.push(`left a temporary file ${path}`);
    else if (!isOutputOrAncestor(path)) problems.push(`created ${hash === "dir" ? "folder" : "file"} ${path}, which is not an output`);
    else if (outputPaths.has(path) && code !== 0) problems.push(`failed run (exit ${code}) created ${path}`);
  }

  if (code === 0 && !argv.includes("--help") && !argv.includes("-h")) {
    for (const o of outputs) {
      const hash = after.get(o.path);
      if (hash === undefined || !hash.startsWith("file:")) continue;
      const content = readFileSync(o.path, "utf8");
      if (o.kind === "html") {
        if (!content.endsWith("</html>\n")) problems.push(`${o.path} is not a complete HTML page`);
        problems.push(...htmlProblems(content).map((p) => `${o.path}: ${p}`));
      }
      if (o.kind === "md" && rawHtmlInMarkdown(content)) problems.push(`${o.path}: raw HTML in Markdown: ${rawHtmlInMarkdown(content)}`);
      if (o.kind === "csv") problems.push(...csvProblems(content).map((p) => `${o.path}: ${p}`));
      if (o.kind === "json") {
        try {
          JSON.parse(content);
        } catch {
          problems.push(`${o.path} is not JSON`);
        }
      }
    }
    const fmt = argv[argv.indexOf("--format") + 1];
    const cmd = argv[0];
    const writesStdout = !argv.includes("--out") || argv.includes("-");
    if (argv.includes("--format") && fmt === "json" && ["score", "compare", "sensitivity", "simulate", "what-if"].includes(cmd)) {
      try {
        JSON.parse(stdout);
      } catch {
        problems.push("--format json output does not parse");
      }
    }
    if (argv.includes("--format") && fmt === "csv" && ["score", "compare"].includes(cmd)) problems.push(...csvProblems(stdout).map((p) => `stdout: ${p}`));
    if ((cmd === "report" && writesStdout && (fmt === "html" || !argv.includes("--format"))) || (cmd === "compare" && fmt === "html")) {
      problems.push(...htmlProblems(stdout).map((p) => `stdout: ${p}`));
    }
    if (cmd === "report" && fmt === "md" && writesStdout && rawHtmlInMarkdown(stdout)) problems.push(`stdout: raw HTML in Markdown: ${rawHtmlInMarkdown(stdout)}`);
  }
  return problems;
}

/** Runs one recipe in-process with `run` from dist/cli/run.js; returns its problems (empty: passed). */
export async function runInProcess(recipe, dir, B, run, onPlan = () => {}) {
  const plan = materialise(recipe, dir, B);
  onPlan(plan.argv);
  const before = snapshot(dir);
  const protoBefore = prototypeSnapshot();
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false };
  let code;
  let threw;
  try {
    code = await run(plan.argv, io);
  } catch (error) {
    threw = String(error?.stack ?? error).slice(0, 500);
  }
  const after = snapshot(dir);
  const problems = checkRun({ recipe, ...plan }, { code, stdout, stderr, threw }, before, after, protoBefore, prototypeSnapshot());
  return { problems, code, argv: plan.argv, stderr: stderr.slice(0, 400) };
}

/** Runs one recipe as a child process of the bundled bin. */
export function runAsChild(recipe, dir, B, onPlan = () => {}) {
  const plan = materialise(recipe, dir, B);
  onPlan(plan.argv);
  // A command line cannot carry NUL characters.
  const argv = plan.argv.map((a) => a.replaceAll("\u0000", ""));
  const before = snapshot(dir);
  const env = { ...process.env };
  delete env.MOPAN_DEBUG;
  const child = spawnSync(process.execPath, [BIN, ...argv], { cwd: dir, env, encoding: "utf8", timeout: CASE_TIMEOUT_MS, maxBuffer: 512 * 1024 * 1024 });
  const after = snapshot(dir);
  const run = {
    code: child.status,
    stdout: child.stdout ?? "",
    stderr: child.stderr ?? "",
    signal: child.signal ?? undefined,
    threw: child.error ? String(child.error) : undefined,
  };
  const problems = checkRun({ recipe, ...plan, argv }, run, before, after, [], []);
  return { problems, code: child.status, argv, stderr: run.stderr.slice(0, 400) };
}

/** A short description of a command line for reports: long arguments shortened. */
export const describeArgv = (argv) =>
  argv
    .map((a) => (a.length > 80 ? `${a.slice(0, 40)}…(${a.length} chars)` : a))
    .map((a) => JSON.stringify(a))
    .join(" ");

/** An undamaged assessment slot: the base as it is. */
export const cleanAssessment = (base, storage = "json", target = "folder") => ({
  base,
  storage,
  delimiter: ",",
  json: [],
  jsonText: [],
  scores: [],
  evidence: [],
  csvText: [],
  kinds: { json: "normal", scores: "normal", evidence: "normal" },
  target,
});

/** Recipes that must succeed (exit 0): the bases are valid, so mutations start from valid input. */
export function sanityRecipes() {
  const fw = { mutate: null, hazard: "none" };
  const out = [];
  for (const base of ["iom", "small", "overlay"]) {
    for (const storage of ["json", "csv"]) {
      out.push({ cmd: "score", a: cleanAssessment(base, storage), fw, format: "json", detail: true });
      out.push({ cmd: "report", a: cleanAssessment(base, storage), fw, format: "html", out: true, output: "none", force: false });
    }
    out.push({ cmd: "validate", a: cleanAssessment(base), fw, format: "text", strict: false, two: false, b: cleanAssessment(base), fwTarget: false, file: undefined });
    out.push({ cmd: "compare", a: cleanAssessment(base), b: cleanAssessment(base), fw, format: "csv", published: false, crosswalk: null });
    out.push({ cmd: "sensitivity", a: cleanAssessment(base), fw, format: "json" });
    out.push({ cmd: "simulate", a: cleanAssessment(base), fw, format: "json", seed: 1, uncertainty: null });
    out.push({ cmd: "export", a: cleanAssessment(base), fw, out: "new", output: "none", force: false });
    out.push({ cmd: "import", a: cleanAssessment(base, "csv"), fw, out: "file", output: "none", force: false });
  }
  out.push({ cmd: "score", a: cleanAssessment("iom", "json", "workbook"), fw, format: "json", detail: true });
  out.push({ cmd: "validate", a: cleanAssessment("iom", "json", "workbook"), fw, format: "github", strict: true, two: false, b: cleanAssessment("iom"), fwTarget: false, file: undefined });
  out.push({ cmd: "compare", a: cleanAssessment("small"), b: cleanAssessment("overlay"), fw, format: "html", published: false, crosswalk: null });
  out.push({ cmd: "compare", a: cleanAssessment("small"), b: cleanAssessment("small"), fw, format: "md", published: true, crosswalk: null });
  out.push({ cmd: "what-if", a: cleanAssessment("small"), fw, format: "json", sets: [{ leaf: 0, value: "2" }] });
  out.push({ cmd: "init", fw, framework: "mopan-3.1", org: "Org", acronym: null, methodology: null, output: "none", force: false });
  for (const base of ["fixture-base", "mopan-3.1", "mopan-3.1-crisis"]) {
    out.push({ cmd: "framework show", file: { base, json: [], text: [], kind: "normal" }, format: "text", fw });
  }
  return out.map((recipe) => ({ ...recipe, sanity: true }));
}
