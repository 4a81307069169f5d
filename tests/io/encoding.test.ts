import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mopan } from "../in-process.js";
import { decodeText, decodeWindows1252, firstInvalidUtf8 } from "../../src/io/text-encoding.js";

const TMP = mkdtempSync(join(tmpdir(), "mopan-encoding-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const TEXT = "id,score,rationale\nMI1.1.E1,3,Stratégie 2024–2028 « adoptée » — 5 €\n";
/** Encodes text as Windows-1252 (every character of TEXT is in it). */
const cp1252 = (text: string) => {
  const table = new Map([..."€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ"].map((c, i) => [c, 0x80 + i]));
  return Buffer.from([...text].map((c) => table.get(c) ?? c.charCodeAt(0)));
};
const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

function folder(name: string, scores: Uint8Array): string {
  const dir = join(TMP, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "assessment.json"), JSON.stringify({ organisation: { name: "O" }, framework: { id: "mopan-3.1" }, methodology: "3.1", period: { from: "2023", to: "2023" }, assessors: [] }));
  writeFileSync(join(dir, "scores.csv"), scores);
  return dir;
}

describe("decodeText", () => {
  it("reads UTF-8 with and without BOM, and UTF-16 LE and BE with BOM, to the same text", () => {
    for (const bytes of [
      Buffer.from(TEXT),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)]),
    ]) {
      const decoded = decodeText(bytes, "f.csv");
      expect(decoded).toMatchObject({ ok: true, text: TEXT, warnings: [] });
    }
  });

  it("reads Windows-1252 as Windows defines it (0x80-0x9F included), with a warning naming the encoding", () => {
    const decoded = decodeText(cp1252(TEXT), "f.csv");
    if (!decoded.ok) throw new Error("refused");
    expect(decoded.text).toBe(TEXT);
    expect(decoded.encoding).toBe("Windows-1252");
    expect(decoded.warnings).toHaveLength(1);
    expect(decoded.warnings[0]).toMatchObject({ code: "decoded-windows-1252", severity: "warning", line: 2, received: "Windows-1252" });
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x96, 0x9f, 0xe9]))).toBe("€–Ÿé");
  });

  it("refuses rather than guess: mixed UTF-8 and other bytes, bytes Windows-1252 leaves undefined, UTF-16 without BOM; at the line", () => {
    const mixed = decodeText(Buffer.concat([Buffer.from("id,score\nMI1.1.E1,3,café\n"), Buffer.from([0x4d, 0xe9, 0x0a])]), "f.csv");
    expect(mixed).toMatchObject({ ok: false, diagnostics: [{ code: "invalid-encoding", line: 3, column: 2 }] });
    expect(decodeText(Buffer.from([0x61, 0x0a, 0x62, 0x81]), "f.csv")).toMatchObject({ ok: false, diagnostics: [{ code: "invalid-encoding", line: 2 }] });
    const noBom = decodeText(Buffer.from("id,score\n", "utf16le"), "f.csv");
    expect(noBom).toMatchObject({ ok: false, diagnostics: [{ code: "invalid-encoding" }] });
    if (noBom.ok) throw new Error("read");
    expect(noBom.diagnostics[0]!.message).toContain("UTF-16 text without a byte-order mark");
    expect(decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]), "f.csv")).toMatchObject({ ok: false, diagnostics: [{ code: "binary-file" }] });
  });

  it("finds the first byte that is not UTF-8, overlong forms and surrogates included", () => {
    expect(firstInvalidUtf8(Buffer.from("aé€😀"))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});

describe("CSV in every encoding, through the CLI", () => {
  it("a Windows-1252 scores.csv reads correctly with a warning; no output holds U+FFFD", async () => {
    const dir = folder("cp1252", cp1252(TEXT));
    const validate = await mopan("validate", dir);
    expect(validate.stdout).toContain("warning decoded-windows-1252: The file is not UTF-8; it was read as Windows-1252");
    expect(validate.code).toBe(0);
    expect((await mopan("validate", "--strict", dir)).code).toBe(1);
    const imported = await mopan("import", "csv", dir, "--out", "-");
    expect(imported.stdout).toContain("Stratégie 2024–2028 « adoptée » — 5 €");
    for (const argv of [
      ["score", dir, "--detail"],
      ["report", dir, "--format", "md"],
      ["export", "csv", dir, "--out", join(TMP, "out")],
    ]) {
      const r = await mopan(...argv);
      expect(r.stdout + r.stderr).not.toContain("\ufffd");
    }
    expect(readFileSync(join(TMP, "out", "scores.csv"), "utf8")).toContain("Stratégie 2024–2028");
  });

  it("a Windows-1252 survey questionnaire reads with the same warning as scores.csv", async () => {
    const dir = join(TMP, "survey-cp1252");
    cpSync(new URL("../../assessments/synthetic-survey-example", import.meta.url), dir, { recursive: true });
    const questions = join(dir, "survey-questions.csv");
    writeFileSync(questions, cp1252(readFileSync(questions, "utf8").replace("national or regional plans", "plans régionaux")));
    const validate = await mopan("validate", dir);
    expect(validate.stdout).toMatch(/survey-questions\.csv.*warning decoded-windows-1252/);
    const survey = await mopan("survey", dir);
    expect(survey.stdout).toContain("plans régionaux");
    expect(survey.stdout + survey.stderr).not.toContain("\ufffd");
  });

  it("UTF-16 LE and BE with BOM ('Unicode Text') read as the UTF-8 file does", async () => {
    const utf8 = (await mopan("import", "csv", folder("utf8", Buffer.from(TEXT)), "--out", "-")).stdout;
    const le = await mopan("import", "csv", folder("le", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")])), "--out", "-");
    const be = await mopan("import", "csv", folder("be", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])), "--out", "-");
    expect(le.stderr).toBe("");
    expect(le.stdout).toBe(utf8);
    expect(be.stdout).toBe(utf8);
  });

  it("an unreadable byte sequence is reported at its line", async () => {
    const r = await mopan("validate", folder("mixed", Buffer.concat([Buffer.from("id,score,rationale\nMI1.1.E1,3,café\nMI1.1.E2,2,"), Buffer.from([0xe9, 0x0a])])));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mixed\/scores\.csv:3:12 error invalid-encoding: The file is not valid UTF-8 here \(byte 0xe9\)/);
  });

  it("export csv quotes list cells, so a ';' locale does not split them", async () => {
    const dir = join(TMP, "lists");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "assessment.json"),
      JSON.stringify({
        organisation: { name: "O" },
        framework: { id: "mopan-3.1" },
        methodology: "3.1",
        period: { from: "2023", to: "2023" },
        assessors: [],
        judgements: [{ id: "MI1.1.E1", score: 3, evidence: ["D1", "S1"] }],
        evidence: [
          { id: "D1", stream: "document", source: { title: "a" }, elements: ["MI1.1.E1"] },
          { id: "S1", stream: "survey", source: { title: "b" }, elements: ["MI1.1.E1", "MI1.1.E2"], suggestedScores: { "MI1.1.E1": 3, "MI1.1.E2": 2 } },
        ],
      }),
    );
    expect((await mopan("export", "csv", dir, "--out", join(TMP, "lists-out"))).code).toBe(0);
    expect(readFileSync(join(TMP, "lists-out", "scores.csv"), "utf8")).toContain(',3,,"D1; S1"\n');
    expect(readFileSync(join(TMP, "lists-out", "evidence.csv"), "utf8")).toContain('"MI1.1.E1; MI1.1.E2","MI1.1.E1=3; MI1.1.E2=2"\n');
  });
});
