// Makes the LibreOffice-written workbook fixtures of tests/fixtures/workbooks/ again, so the tests
// run where LibreOffice is absent. Needs `npm run build` and LibreOffice (`soffice`, Debian's
// libreoffice-calc-nogui). Run: node scripts/make-workbook-fixtures.mjs
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { editLikeAnAssessor, libreOffice } from "../tests/io/workbook-support.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = join(ROOT, "tests/fixtures/workbooks");
const CLI = join(ROOT, "dist/bin/mopan.js");
const tmp = mkdtempSync(join(tmpdir(), "mopan-workbook-fixtures-"));
const mopan = (...args) => execFileSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: "utf8" });

try {
  mopan("export", "xlsx", join(OUT, "rich"), "--out", "rich.xlsx");
  mopan("init", "--format", "xlsx", "--framework", "mopan-3.1", "--org", "Template Organisation", "template.xlsx");
  copyFileSync(libreOffice(join(tmp, "rich.xlsx"), "xlsx", join(tmp, "lo")), join(OUT, "rich.libreoffice.xlsx"));
  copyFileSync(libreOffice(join(tmp, "template.xlsx"), "xlsx", join(tmp, "lo")), join(OUT, "template.libreoffice.xlsx"));
  const ods = libreOffice(join(tmp, "rich.xlsx"), "ods", join(tmp, "ods"));
  copyFileSync(libreOffice(ods, "xlsx", join(tmp, "ods-back")), join(OUT, "rich.via-ods.libreoffice.xlsx"));
  await editLikeAnAssessor(join(tmp, "rich.xlsx"), join(tmp, "edited.xlsx"));
  copyFileSync(libreOffice(join(tmp, "edited.xlsx"), "xlsx", join(tmp, "edited")), join(OUT, "rich.edited.libreoffice.xlsx"));
  console.log(`Wrote the fixtures to ${OUT} with ${execFileSync("soffice", ["--version"], { encoding: "utf8" }).trim()}.`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
