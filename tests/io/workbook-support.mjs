// Shared by the workbook tests and scripts/make-workbook-fixtures.mjs: LibreOffice headless, and
// the edits an assessor makes to a workbook in a spreadsheet program.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";

/** Whether LibreOffice's `soffice` is on the PATH. */
export function hasLibreOffice() {
  return spawnSync("soffice", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * Converts a file with headless LibreOffice and returns the path written. `to` is a filter string
 * as `soffice --convert-to` takes it; `infilter` the import filter. A fresh user profile each time
 * keeps runs apart (and lets two run at once).
 */
export function libreOffice(file, to, outDir, { infilter } = {}) {
  mkdirSync(outDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "mopan-lo-profile-"));
  const args = ["--headless", "--norestore", `-env:UserInstallation=file://${profile}`, ...(infilter ? [`--infilter=${infilter}`] : []), "--convert-to", to, "--outdir", outDir, file];
  execFileSync("soffice", args, { stdio: "pipe", timeout: 120_000 });
  const ext = to.split(":")[0];
  return join(outDir, `${basename(file, extname(file))}.${ext}`);
}

/**
 * What an assessor does to a workbook in Excel or LibreOffice: a notes column inserted, two
 * columns swapped, a score typed as a formula, rows hidden, cells formatted.
 */
export async function editLikeAnAssessor(from, to) {
  const ExcelJS = (await import("exceljs")).default;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(from);
  const scores = workbook.getWorksheet("Scores");
  scores.unprotect();
  const header = scores.getRow(1).values;
  const col = (name) => header.indexOf(name);
  // Swap the score and evidence columns, header and all.
  const [s, e] = [col("score"), col("evidence")];
  scores.eachRow({ includeEmpty: true }, (row) => {
    const a = row.getCell(s).value;
    row.getCell(s).value = row.getCell(e).value;
    row.getCell(e).value = a;
    row.getCell(s).dataValidation = undefined;
  });
  // A notes column before everything.
  scores.spliceColumns(1, 0, ["my notes", ...Array.from({ length: scores.rowCount - 1 }, (_, i) => (i % 7 === 0 ? `note ${i}` : null))]);
  const header2 = scores.getRow(1).values;
  const scoreCol = header2.indexOf("score");
  const idCol = header2.indexOf("id");
  scores.eachRow((row, n) => {
    const id = row.getCell(idCol).value;
    // A formula that gives the score: 3 as =1+2, read by its cached value.
    if (id === "MI1.1.E1") row.getCell(scoreCol).value = { formula: "1+2" };
    if (id === "MI9.2") row.getCell(scoreCol).value = { formula: 'LEN("x")' };
    if (id === "MI1.2.E1" || id === "MI2.1.E1") row.hidden = true;
    if (n % 5 === 0) row.font = { italic: true, color: { argb: "FF336699" } };
  });
  const evidence = workbook.getWorksheet("Evidence");
  evidence.getRow(3).hidden = true;
  evidence.getColumn(3).width = 80;
  await workbook.xlsx.writeFile(to);
  return to;
}
