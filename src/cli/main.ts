import { handleSignals, processSinks } from "../io/output.js";
import { run } from "./run.js";

handleSignals();
// Every write is synchronous and checked (src/io/output.ts): when run() returns, all output is out,
// so the process may end at once. Exiting also stops a browser that is still shutting down
// (Playwright kills its process group on exit).
void run(process.argv.slice(2), processSinks()).then((code) => process.exit(code));
