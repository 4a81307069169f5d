// Builds the browser workbench (src/workbench/, compiled to dist/workbench/ by tsc) into one HTML
// file, dist/workbench/index.html: the engine's pure core bundled for the browser with esbuild,
// inlined with its CSS and the built-in frameworks, rating scales and uncertainty model, and the workbook
// library as inert text for the workbook worker.
//
// Some modules the workbench imports also hold file-reading functions it never calls (CSV and JSON
// readers beside their text parsers). Their node: imports resolve to a stub here; the build fails
// if anything of the stub is left in the bundle, so no Node built-in is ever used in the page.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "dist/workbench/index.html");
const STUB = "mopan-workbench: no Node built-in in the browser";

const nodeStub = {
  name: "node-builtins-stub",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, () => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(STUB)}); };
export const readFileSync = fail, statSync = fail, existsSync = fail, readdirSync = fail, mkdirSync = fail, renameSync = fail,
  writeFileSync = fail, closeSync = fail, fsyncSync = fail, linkSync = fail, openSync = fail, rmSync = fail, writeSync = fail,
  basename = fail, dirname = fail, extname = fail, join = fail, relative = fail, resolve = fail, isAbsolute = fail, sep = "/",
  fileURLToPath = fail, createHash = fail;`,
      loader: "js",
    }));
  },
};

// The workbook library (exceljs's browser build without its polyfills, which the browsers targeted do
// not need) is not bundled: the page carries it as inert text, and the workbook worker runs it ahead of
// the page's script, where it defines the global ExcelJS that "exceljs" resolves to here.
const WORKBOOK_LIBRARY = "node_modules/exceljs/dist/exceljs.bare.min.js";
const workbookLibraryGlobal = {
  name: "exceljs-global",
  setup(b) {
    b.onResolve({ filter: /^exceljs$/ }, (args) => ({ path: args.path, namespace: "exceljs-global" }));
    b.onLoad({ filter: /.*/, namespace: "exceljs-global" }, () => ({
      contents: `const ExcelJS = globalThis.ExcelJS;
if (ExcelJS === undefined) throw new Error("The workbook library runs only in the workbench's workbook worker.");
export default ExcelJS;`,
      loader: "js",
    }));
  },
};

const bundled = await build({
  entryPoints: [join(ROOT, "dist/workbench/main.js")],
  bundle: true,
  write: false,
  format: "iife",
  platform: "browser",
  target: ["chrome110", "firefox110", "safari16"],
  minify: true,
  legalComments: "none",
  // The CSV libraries' own browser builds (they bring the Buffer they use).
  alias: { "csv-parse/sync": "csv-parse/browser/esm/sync", "csv-stringify/sync": "csv-stringify/browser/esm/sync" },
  plugins: [nodeStub, workbookLibraryGlobal],
  logLevel: "warning",
});
const script = bundled.outputFiles[0].text;
if (script.includes(STUB)) throw new Error("The workbench bundle uses a Node built-in; it would fail in a browser.");

const text = (path) => readFileSync(join(ROOT, path), "utf8");
const jsonFiles = (dir) =>
  Object.fromEntries(
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => [f.slice(0, -5), text(join(dir, f))]),
  );
const embedded = {
  frameworks: jsonFiles("framework"),
  ratingScales: jsonFiles("framework/rating-scales"),
  uncertainty: text("framework/uncertainty/default.json"),
};
const { workbenchPage } = await import(new URL("../dist/workbench/page.js", import.meta.url).href);
const { BUILTINS_ID, WORKBOOK_LIBRARY_ID } = await import(new URL("../dist/workbench/catalog.js", import.meta.url).href);
writeFileSync(OUT, workbenchPage(script.trimEnd(), embedded, BUILTINS_ID, text(WORKBOOK_LIBRARY), WORKBOOK_LIBRARY_ID));
