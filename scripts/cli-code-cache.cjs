// Makes dist/bin/cli-bundle.cache: runs the bundled CLI once on the IOM reference assessment (what
// the cold-start benchmark times), then saves V8's code for every function that run compiled.
// Run by scripts/bundle-cli.mjs as a child process whose output is discarded.
"use strict";
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { compile, start, CACHE } = require(join(__dirname, "..", "dist", "bin", "mopan.js"));

const script = compile(false);
process.on("exit", () => writeFileSync(CACHE, script.createCachedData()));
process.argv = [process.argv[0], join(__dirname, "..", "dist", "bin", "mopan.js"), "score", join(__dirname, "..", "assessments", "iom-2023")];
start(script);
