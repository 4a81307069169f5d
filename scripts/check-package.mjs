// The package surface as users get it: `npm pack`, then Are the Types Wrong? and publint on the
// tarball. The package is ESM only (Node 20+), so attw's CommonJS resolutions are not errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "mopan-pack-"));
const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
};
try {
  run("npm", ["pack", "--silent", "--pack-destination", dir]);
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith(".tgz")),
  );
  run("npx", ["--no-install", "attw", tarball, "--profile", "esm-only"]);
  run("npx", ["--no-install", "publint", "run", tarball, "--strict"]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
