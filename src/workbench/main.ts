/**
 * The workbench's one script. In the page it starts the app; the same script, started as a Web
 * Worker from its own text, runs the simulation and sensitivity requests (so the engine's code
 * is in the page once).
 */
import * as z from "zod";
import { App } from "./app.js";
import { BUILTINS_ID, type EmbeddedFrameworks } from "./catalog.js";
import { type WorkbookRequest, type WorkerRequest, handleRequest, handleWorkbookRequest } from "./worker.js";

// zod otherwise probes for `new Function`, which the page's Content-Security-Policy forbids.
z.config({ jitless: true });

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest | WorkbookRequest>) => void) | null;
  postMessage(message: unknown): void;
}

if (typeof document === "undefined") {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (event) => {
    const request = event.data;
    if (request.type === "load-workbook" || request.type === "write-workbook") {
      handleWorkbookRequest(request).then(
        (message) => scope.postMessage(message),
        (error: unknown) =>
          scope.postMessage({
            type: "failed",
            message: `The workbook could not be ${request.type === "load-workbook" ? "read" : "written"}: ${error instanceof Error ? error.message : String(error)}`,
          }),
      );
      return;
    }
    try {
      handleRequest(request, (message) => scope.postMessage(message));
    } catch (error) {
      scope.postMessage({ type: "failed", message: `The analysis failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
} else {
  const script = document.currentScript?.textContent ?? "";
  const embedded = JSON.parse(document.getElementById(BUILTINS_ID)?.textContent ?? "{}") as EmbeddedFrameworks;
  const app = new App(document.getElementById("app")!, embedded, script);
  (globalThis as { mopanWorkbench?: App }).mopanWorkbench = app;
  document.documentElement.dataset["ready"] = "true";
}
