#!/usr/bin/env node
import { handleSignals, processSinks } from "../io/output.js";
import { run } from "./run.js";

handleSignals();
// Every write is synchronous and checked (src/io/output.ts): at this point all output is out.
process.exitCode = await run(process.argv.slice(2), processSinks());
