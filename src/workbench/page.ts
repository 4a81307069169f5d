import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { pageHead } from "../report/html.js";
import { REPORT_CSS } from "../report/style.js";
import type { EmbeddedFrameworks } from "./catalog.js";
import { WORKBENCH_CSS } from "./style.js";

/**
 * The workbench's Content-Security-Policy: the report's (nothing from the network, inline CSS)
 * plus exactly one script, named by its hash, and workers made from that script's own text.
 */
const workbenchCsp = (scriptHash: string): string => `default-src 'none'; script-src '${scriptHash}'; worker-src blob:; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/** JSON for a `<script type="application/json">` element: "<" escaped so no text can close it. */
const inertJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * The whole workbench as one HTML file: its script, CSS and the built-in frameworks inline, and the
 * workbook library's script as inert JSON text (run only in the workbook worker).
 */
export function workbenchPage(script: string, embedded: EmbeddedFrameworks, builtinsId: string, workbookLibrary: string, workbookLibraryId: string): string {
  if (script.includes("</script")) throw new Error("The workbench script contains </script and cannot be inlined.");
  const hash = `sha256-${base64(sha256(utf8ToBytes(script)))}`;
  return `${pageHead("mopan workbench", workbenchCsp(hash)).value}
<style>${REPORT_CSS}${WORKBENCH_CSS}</style>
<script type="application/json" id="${builtinsId}">${inertJson(embedded)}</script>
<script type="application/json" id="${workbookLibraryId}">${inertJson(workbookLibrary)}</script>
</head>
<body>
<div id="app" class="page"><noscript><p>The workbench needs JavaScript. The HTML report (<code>mopan report</code>) works without it.</p></noscript></div>
<script>${script}</script>
</body>
</html>
`;
}
