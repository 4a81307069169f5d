// Bundles the compiled CLI (dist/cli/main.js) into dist/bin/: one module graph resolved at
// build time instead of ~150 files resolved at every start. Commands stay lazily loaded chunks.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: without a clean folder, every rebuild would leave the old chunks
// behind, and `npm pack` would ship them.
rmSync("dist/bin", { recursive: true, force: true });

await build({
  entryPoints: { mopan: "dist/cli/main.js" },
  outdir: "dist/bin",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Optional at run time: loaded only by `report --format pdf`, and absent in production installs.
  // exceljs: a dependency, loaded only when a workbook is read or written (left to node_modules).
  external: ["playwright-core", "exceljs"],
  chunkNames: "[name]-[hash]",
  logLevel: "warning",
});
