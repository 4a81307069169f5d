import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it, onTestFinished } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const mopan = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "dist/bin/mopan.js"), ...args], { cwd: ROOT, encoding: "utf8" });

/** Re-saves a CSV the way a European spreadsheet does: byte-order mark, ";" between cells, CRLF, decimal comma. */
function asSpreadsheet(file: string) {
  const rows = parse(readFileSync(file, "utf8"), { bom: true }) as string[][];
  const text = stringify(
    rows.map((row, i) => (i === 0 ? row.map((h) => h.toUpperCase()) : row.map((c) => (/^\d+\.\d+$/.test(c) ? c.replace(".", ",") : c)))),
    { delimiter: ";", record_delimiter: "windows" },
  );
  writeFileSync(file, "\ufeff" + text + "\r\n;;;;\r\n");
}

describe("scoring from spreadsheets", () => {
  it("the IOM assessment scores the same from its JSON, from clean CSV, and from a spreadsheet-exported CSV", () => {
    const tmp = mkdtempSync(join(tmpdir(), "mopan-sheet-"));
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const clean = join(tmp, "clean");
    const sheet = join(tmp, "sheet");
    for (const out of [clean, sheet]) expect(mopan("export", "csv", "assessments/iom-2023", "--out", out).status).toBe(0);
    asSpreadsheet(join(sheet, "scores.csv"));
    asSpreadsheet(join(sheet, "evidence.csv"));
    expect(readFileSync(join(sheet, "scores.csv"), "utf8")).toMatch(/^\ufeffID;TITLE;SCORE;/);

    const scores = (path: string) => {
      const run = mopan("score", path, "--format", "json");
      expect(run.status, run.stderr).toBe(0);
      const { kpis, mis, elements } = JSON.parse(run.stdout);
      return { kpis, mis, elements };
    };
    const fromJson = scores("assessments/iom-2023");
    expect(fromJson.kpis).toHaveLength(12);
    expect(scores(clean)).toEqual(fromJson);
    expect(scores(sheet)).toEqual(fromJson);
  });
});
