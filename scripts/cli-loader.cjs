#!/usr/bin/env node
// The `mopan` command. It runs the bundled CLI (cli-bundle.js beside it) through V8's code cache
// (cli-bundle.cache, made by `npm run build`), so a start does not parse and compile the bundle
// afresh. V8 refuses a cache made by another Node version or for other bytes; the bundle is then
// compiled as usual. Written to dist/bin/mopan.js by scripts/bundle-cli.mjs.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE = join(__dirname, "cli-bundle.js");
const CACHE = join(__dirname, "cli-bundle.cache");

/** The bundle as a script, with the cache when there is one (none when making it). */
function compile(useCache) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {}
  }
  // The bundle is one function expression (scripts/bundle-cli.mjs): (exports, require, module, __filename, __dirname) => ...
  return new Script(readFileSync(BUNDLE, "utf8"), { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
}

/** Runs the CLI of a compiled bundle in this process (it exits the process when done). */
function start(script) {
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, require, bundle, BUNDLE, __dirname);
}

if (require.main === module) start(compile(true));
else module.exports = { compile, start, CACHE };
