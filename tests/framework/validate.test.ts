import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { type FrameworkEnvironment, type FrameworkSource, loadFramework } from "../../src/framework/load.js";
import { countFramework, indexFramework } from "../../src/framework/model.js";
import { readJson } from "../../src/io/json.js";
import { loadRatingScale } from "../../src/rating/load.js";
import type { RatingScale } from "../../src/rating/schema.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(ROOT, "tests/fixtures/frameworks");
const fixture = (name: string) => join(FIXTURES, name);
const broken = (name: string) => join(FIXTURES, "broken", `${name}.json`);

function read(file: string): unknown {
  const read = readJson(file);
  if (!read.ok) throw new Error(`fixture ${file} does not parse: ${read.diagnostics[0]?.message}`);
  return read.value;
}
const source = (file: string): FrameworkSource => ({ raw: read(file), file });

function scale(file: string): RatingScale {
  const loaded = loadRatingScale(read(file), file);
  if (!loaded.value) throw new Error(`rating scale ${file} is invalid`);
  return loaded.value;
}
const SCALES = new Map([["mopan-3.1", scale(join(ROOT, "framework/rating-scales/mopan-3.1.json"))]]);

/** A small in-memory environment: the hand-made base framework, the cycle pair and the real MOPAN 3.1 scale. */
function environment(frameworks: Record<string, FrameworkSource> = {}): FrameworkEnvironment {
  const known: Record<string, FrameworkSource> = {
    "fixture-base": source(fixture("valid.json")),
    "fixture-cycle-a": source(broken("overlay-cycle-a")),
    "fixture-cycle-b": source(broken("overlay-cycle-b")),
    ...frameworks,
  };
  return { findFramework: (id) => known[id], findRatingScale: (id) => SCALES.get(id) };
}

const load = (file: string, env = environment()) => loadFramework(source(file), env);

/** What a test compares: code, pointer and file of every diagnostic, in a stable order. */
const where = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => ({ code: d.code, pointer: d.pointer, file: d.file })).sort((a, b) => `${a.file}${a.pointer}${a.code}`.localeCompare(`${b.file}${b.pointer}${b.code}`));

type Expected = readonly [code: string, pointer: string, file?: string];

const MI = (k: number, m: number) => `/performanceAreas/0/kpis/${k}/mis/${m}`;

/** One broken framework file per kind of problem, and exactly the diagnostics it must produce. */
const BROKEN: Record<string, readonly Expected[]> = {
  "missing-property": [["missing-property", "/performanceAreas/0/kpis/1/title"]],
  "unknown-property": [["unknown-property", `${MI(0, 0)}/weight`]],
  "invalid-type": [["invalid-type", `${MI(0, 0)}/elements/0/title`]],
  "invalid-value": [["invalid-value", `${MI(0, 1)}/scoring`]],
  "duplicate-id": [["duplicate-id", `${MI(0, 1)}/elements/2/id`]],
  "malformed-id": [["malformed-id", `${MI(0, 1)}/elements/1/id`]],
  "id-parent-mismatch": [["id-parent-mismatch", `${MI(1, 0)}/elements/1/id`]],
  "numbering-gap": [["numbering-gap", `${MI(0, 0)}/elements/2/id`]],
  // E1, E3, E2: one swap is one problem, not a gap as well.
  "numbering-order": [["numbering-order", `${MI(0, 0)}/elements/2/id`]],
  "mi-without-elements": [["mi-without-elements", `${MI(0, 1)}/elements`]],
  "kpi-without-mis": [["kpi-without-mis", "/performanceAreas/0/kpis/1"]],
  "rubric-incomplete": [
    ["rubric-incomplete", `${MI(1, 1)}/rubric`],
    ["rubric-incomplete", `${MI(1, 1)}/rubric`],
  ],
  "rubric-unknown-level": [["rubric-unknown-level", `${MI(1, 1)}/rubric/5`]],
  "provenance-basis-missing": [["provenance-basis-missing", `${MI(0, 1)}/elements/0/provenance`]],
  "unknown-rating-scale": [["unknown-rating-scale", "/policy/ratingScale"]],
  "policy-scale-mismatch": [
    ["policy-scale-mismatch", "/policy/rounding/decimals"],
    ["policy-scale-mismatch", "/policy/flags/N~1E/score"],
  ],
  "methodology-mismatch": [["policy-scale-mismatch", "/methodology"]],
  "unknown-weight-id": [
    ["unknown-weight-id", "/policy/aggregation/mi/weights/MI1.1.E9"],
    ["unknown-weight-id", "/policy/aggregation/kpi/weights/KPI1"],
  ],
  "overlay-unknown-id": [["overlay-unknown-id", "/changes/0/id"]],
  "overlay-duplicate-id": [["overlay-duplicate-id", "/changes/1/item/id"]],
  "overlay-wrong-parent": [["overlay-wrong-parent", "/changes/0/parent"]],
  "overlay-kind-mismatch": [["overlay-kind-mismatch", "/changes/0/item"]],
  "unknown-base-framework": [["unknown-base-framework", "/extends"]],
  // The cycle is found where it closes: in the file that extends back to the one being loaded.
  "overlay-cycle-a": [["overlay-cycle", "/extends", broken("overlay-cycle-b")]],
  "overlay-cycle-b": [["overlay-cycle", "/extends", broken("overlay-cycle-a")]],
};

describe("broken framework files", () => {
  for (const [name, expected] of Object.entries(BROKEN)) {
    it(`${name}.json reports ${[...new Set(expected.map(([code]) => code))].join(", ")}`, () => {
      const file = broken(name);
      const result = load(file);
      expect(result.value).toBeUndefined();
      expect(where(result.diagnostics)).toEqual(where(expected.map(([code, pointer, f]) => ({ code, pointer, file: f ?? file, severity: "error", message: "" }))));
      for (const d of result.diagnostics) {
        expect(d.severity).toBe("error");
        expect(d.message.length).toBeGreaterThan(10);
      }
    });
  }

  it("invalid-json.json: a syntax error with line and column, through readJson", () => {
    const file = broken("invalid-json");
    const read = readJson(file);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    // Line 4 lacks its comma, so the parser stops at the next property, line 5 column 3.
    expect(read.diagnostics).toEqual([expect.objectContaining({ code: "invalid-json", severity: "error", file, line: 5, column: 3 })]);
    expect(read.diagnostics[0]?.pointer).toBeUndefined();
  });

  it("details: expected and received values name what was wrong", () => {
    const find = (name: string, code: string) => load(broken(name)).diagnostics.find((d) => d.code === code);
    expect(find("numbering-gap", "numbering-gap")).toMatchObject({ expected: "MI1.1.E3", received: "MI1.1.E4" });
    expect(find("malformed-id", "malformed-id")).toMatchObject({ expected: "MI<kpi>.<mi>.E<n>", received: "MI1.2.e2" });
    expect(find("duplicate-id", "duplicate-id")).toMatchObject({ received: "MI1.2.E2" });
    expect(find("invalid-type", "invalid-type")).toMatchObject({ expected: "string", received: "number" });
    expect(find("invalid-value", "invalid-value")?.message).toContain('"points"');
    expect(find("rubric-unknown-level", "rubric-unknown-level")).toMatchObject({ received: "5" });
    expect(find("unknown-rating-scale", "unknown-rating-scale")).toMatchObject({ received: "mopan-9.9" });
    expect(find("overlay-wrong-parent", "overlay-wrong-parent")?.message).toContain("results MI");
    const mismatch = load(broken("policy-scale-mismatch")).diagnostics;
    expect(mismatch.find((d) => d.pointer === "/policy/rounding/decimals")).toMatchObject({ expected: "2", received: "3" });
    expect(mismatch.find((d) => d.pointer === "/policy/flags/N~1E/score")).toMatchObject({ received: "7" });
    const rubric = load(broken("rubric-incomplete")).diagnostics.map((d) => d.message);
    expect(rubric.some((m) => m.includes("level 1"))).toBe(true);
    expect(rubric.some((m) => m.includes("level 3"))).toBe(true);
  });

  it("a file with several different problems reports all of them, not only the first", () => {
    const file = broken("several-problems");
    const result = load(file);
    expect(result.value).toBeUndefined();
    expect(where(result.diagnostics)).toEqual(
      where(
        (
          [
            ["missing-property", "/version"],
            ["unknown-property", "/colour"],
            ["policy-scale-mismatch", "/policy/rounding/decimals"],
            ["duplicate-id", `${MI(0, 0)}/elements/1/id`],
            ["numbering-gap", `${MI(0, 0)}/elements/2/id`],
            ["mi-without-elements", `${MI(0, 1)}/elements`],
            ["rubric-incomplete", `${MI(1, 1)}/rubric`],
          ] as const
        ).map(([code, pointer]) => ({ code, pointer, file, severity: "error" as const, message: "" })),
      ),
    );
  });

  it("an overlay with several bad changes reports each, and diagnostics in its base point into the base file", () => {
    const base = broken("numbering-gap");
    const overlay = {
      id: "fixture-several",
      version: "1.0.0",
      title: "Several bad changes",
      extends: "fixture-broken-base",
      provenance: { status: "reconstructed-low", source: "test" },
      changes: [
        { op: "retire", id: "MI7.7", reason: "No such MI." },
        { op: "add", parent: "KPI1", item: { id: "MI1.1.E9", title: "An element added to a KPI" } },
        { op: "replace", item: { id: "MI1.1.E1", title: "An MI where an element was", scoring: "rubric", rubric: {} } },
        { op: "frobnicate", id: "MI1.1" },
      ],
    };
    const result = loadFramework({ raw: overlay, file: "memory/overlay.json" }, environment({ "fixture-broken-base": source(base) }));
    expect(where(result.diagnostics)).toEqual(
      where([
        { code: "overlay-unknown-id", pointer: "/changes/0/id", file: "memory/overlay.json", severity: "error", message: "" },
        { code: "overlay-wrong-parent", pointer: "/changes/1/parent", file: "memory/overlay.json", severity: "error", message: "" },
        { code: "overlay-kind-mismatch", pointer: "/changes/2/item", file: "memory/overlay.json", severity: "error", message: "" },
        { code: "invalid-value", pointer: "/changes/3/op", file: "memory/overlay.json", severity: "error", message: "" },
        { code: "numbering-gap", pointer: `${MI(0, 0)}/elements/2/id`, file: base, severity: "error", message: "" },
      ]),
    );
  });

  it("an overlay that extends itself is a cycle", () => {
    const overlay = {
      id: "fixture-self",
      version: "1.0.0",
      title: "Extends itself",
      extends: "fixture-self",
      provenance: { status: "reconstructed-low", source: "test" },
      changes: [],
    };
    const result = loadFramework({ raw: overlay }, environment());
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "overlay-cycle", pointer: "/extends", received: "fixture-self" })]);
    expect(result.diagnostics[0]?.file).toBeUndefined();
  });

  it("a document that is not an object is an invalid type at the root", () => {
    const result = loadFramework({ raw: [1, 2], file: "list.json" }, environment());
    expect(where(result.diagnostics)).toEqual([{ code: "invalid-type", pointer: "", file: "list.json" }]);
  });
});

describe("broken rating scales (through loadRatingScale)", () => {
  const check = (name: string) => {
    const file = fixture(`rating-scales/${name}.json`);
    const loaded = loadRatingScale(read(file), file);
    expect(loaded.value).toBeUndefined();
    return { file, diagnostics: loaded.diagnostics };
  };

  it("bands-overlap: a band starting inside the one below", () => {
    const { file, diagnostics } = check("bands-overlap");
    expect(where(diagnostics)).toEqual([{ code: "bands-overlap", pointer: "/bands/0/min", file }]);
    expect(diagnostics[0]?.message).toContain('"fair" (to 3.2)');
  });

  it("bands-gap: scores between two bands fall in none", () => {
    const { file, diagnostics } = check("bands-gap");
    expect(where(diagnostics)).toEqual([{ code: "bands-gap", pointer: "/bands/0/min", file }]);
    expect(diagnostics[0]?.expected).toBe("2.91");
  });

  it("bands-coverage: the bands do not reach the scale's min and max", () => {
    const { file, diagnostics } = check("bands-coverage");
    expect(where(diagnostics)).toEqual(
      where([
        { code: "bands-coverage", pointer: "/bands/2/min", file, severity: "error", message: "" },
        { code: "bands-coverage", pointer: "/bands/0/max", file, severity: "error", message: "" },
      ]),
    );
    expect(diagnostics.map((d) => [d.expected, d.received]).sort()).toEqual([
      ["0", "0.5"],
      ["4", "3.9"],
    ]);
  });

  it("the valid fixture scale and the shipped scales load", () => {
    const file = fixture("rating-scales/valid.json");
    expect(loadRatingScale(read(file), file)).toEqual({ value: expect.objectContaining({ id: "fixture-valid" }), diagnostics: [] });
    for (const id of ["mopan-3.0", "mopan-3.1"]) {
      const shipped = join(ROOT, `framework/rating-scales/${id}.json`);
      expect(loadRatingScale(read(shipped), shipped).diagnostics).toEqual([]);
    }
  });
});

describe("the hand-made valid framework", () => {
  const result = load(fixture("valid.json"));
  const framework = result.value!;

  it("loads without diagnostics", () => {
    expect(result.diagnostics).toEqual([]);
    expect(framework).toBeDefined();
    expect(framework.id).toBe("fixture-base");
    expect(framework.changes).toEqual([]);
    expect(framework.base).toBeUndefined();
    expect(framework.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(countFramework(framework)).toEqual({ performanceAreas: 1, kpis: 2, mis: 4, elementScoredMis: 3, resultsMis: 1, elements: 7 });
  });

  it("inherits provenance from the nearest ancestor that states one", () => {
    const { performanceAreas, kpis, mis, elements } = indexFramework(framework);
    const root = { status: "reconstructed-medium", source: "tests/fixtures/frameworks/valid.json" };
    const kpi1 = { status: "reconstructed-high", source: "kpi1 source" };
    const mi21 = { status: "project", source: "a note", basis: "The source sentence this MI rests on." };
    expect(framework.provenance).toEqual(root);
    expect(performanceAreas.get("PA1")?.provenance).toEqual(root);
    expect(kpis.get("KPI1")?.provenance).toEqual(kpi1);
    expect(mis.get("MI1.1")?.provenance).toEqual(kpi1);
    expect(elements.get("MI1.1.E1")?.provenance).toEqual(kpi1);
    expect(elements.get("MI1.1.E2")?.provenance).toEqual({ status: "verified", source: "element source" });
    expect(kpis.get("KPI2")?.provenance).toEqual(root);
    expect(mis.get("MI2.1")?.provenance).toEqual(mi21);
    expect(elements.get("MI2.1.E1")?.provenance).toEqual(mi21);
    expect(mis.get("MI2.2")?.provenance).toEqual(root);
  });

  it("carries numbers, parents, scoring and rubric", () => {
    const { mis, elements } = indexFramework(framework);
    expect(elements.get("MI1.1.E3")).toMatchObject({ number: "1.1.3", mi: "MI1.1", tags: ["finance"] });
    expect(mis.get("MI2.2")).toMatchObject({ number: "2.2", kpi: "KPI2", scoring: "rubric", elements: [] });
    expect(Object.keys(mis.get("MI2.2")?.rubric ?? {}).sort()).toEqual(["1", "2", "3", "4"]);
    expect(mis.get("MI1.1")?.rubric).toBeUndefined();
  });

  it("loads the same without a file name, with diagnostics that carry none", () => {
    const raw = structuredClone(read(fixture("valid.json"))) as { version?: string };
    expect(loadFramework({ raw }, environment()).value?.contentHash).toBe(framework.contentHash);
    delete raw.version;
    const diagnostics = loadFramework({ raw }, environment()).diagnostics;
    expect(diagnostics).toEqual([expect.objectContaining({ code: "missing-property", pointer: "/version" })]);
    expect("file" in diagnostics[0]!).toBe(false);
  });
});

describe("the hand-made overlay", () => {
  const result = load(fixture("overlay-valid.json"));
  const overlay = result.value!;

  it("loads without diagnostics, on its base", () => {
    expect(result.diagnostics).toEqual([]);
    expect(overlay.id).toBe("fixture-overlay");
    expect(overlay.base).toEqual({ id: "fixture-base", version: "1.0.0" });
    expect(overlay.methodology).toBe("3.1");
    expect(overlay.policy.ratingScale).toBe("mopan-3.1");
    expect(overlay.provenance).toEqual({ status: "reconstructed-low", source: "tests/fixtures/frameworks/overlay-valid.json" });
  });

  it("lists every change it applied, in order", () => {
    expect(overlay.changes.map((c) => ({ op: c.op, id: c.id, parent: c.parent, title: c.title }))).toEqual([
      { op: "add", id: "MI1.2.E3", parent: "MI1.2", title: "Structure suits crises" },
      { op: "add", id: "MI2.3", parent: "KPI2", title: "Protection" },
      { op: "replace", id: "MI1.1.E1", parent: "MI1.1", title: "Plan is current and crisis-aware" },
      { op: "amend", id: "MI2.1", parent: "KPI2", title: "Gender equality in crises" },
      { op: "retire", id: "MI1.1.E2", parent: "MI1.1", title: "Plan names results" },
    ]);
    expect(overlay.changes[4]?.reason).toBe("Not assessed in crisis contexts.");
    expect(overlay.changes[0]?.provenance?.status).toBe("project");
  });

  it("applies add, replace, amend and retire to the tree", () => {
    const { kpis, mis, elements } = indexFramework(overlay);
    expect(countFramework(overlay)).toEqual({ performanceAreas: 1, kpis: 2, mis: 5, elementScoredMis: 4, resultsMis: 1, elements: 8 });
    expect(mis.get("MI1.2")?.elements.map((e) => e.id)).toEqual(["MI1.2.E1", "MI1.2.E2", "MI1.2.E3"]);
    expect(kpis.get("KPI2")?.mis.map((m) => m.id)).toEqual(["MI2.1", "MI2.2", "MI2.3"]);
    expect(mis.get("MI2.3")?.elements.map((e) => e.id)).toEqual(["MI2.3.E1"]);
    expect(elements.get("MI1.1.E1")).toMatchObject({ title: "Plan is current and crisis-aware", provenance: { status: "reconstructed-low", source: "replacement" } });
    expect(mis.get("MI2.1")).toMatchObject({ title: "Gender equality in crises", provenance: { status: "reconstructed-low", source: "amendment" } });
    expect(mis.get("MI2.1")?.elements.map((e) => e.id)).toEqual(["MI2.1.E1", "MI2.1.E2"]);
    expect(elements.has("MI1.1.E2")).toBe(false);
    expect(mis.get("MI1.1")?.elements.map((e) => e.id)).toEqual(["MI1.1.E1", "MI1.1.E3"]);
    expect(elements.get("MI1.2.E3")?.provenance.status).toBe("project");
  });

  it("an amended MI's new provenance does not reach the elements it left alone", () => {
    const { elements } = indexFramework(overlay);
    expect(elements.get("MI2.1.E1")?.provenance).toEqual({ status: "project", source: "a note", basis: "The source sentence this MI rests on." });
  });

  it("leaves the base untouched", () => {
    const base = load(fixture("valid.json")).value!;
    expect(indexFramework(base).elements.has("MI1.1.E2")).toBe(true);
    expect(indexFramework(base).mis.get("MI2.1")?.title).toBe("Gender equality");
    expect(overlay.contentHash).not.toBe(base.contentHash);
  });

  it("does not report the numbering gaps that retire leaves, at any level", () => {
    const retire = (...ids: string[]) => ({
      id: "fixture-retire",
      version: "1.0.0",
      title: "Retires",
      extends: "fixture-base",
      provenance: { status: "reconstructed-low", source: "test" },
      changes: ids.map((id) => ({ op: "retire", id, reason: "Gone." })),
    });
    for (const ids of [["MI1.1.E1"], ["MI1.1.E2"], ["MI1.1"], ["KPI1"], ["MI1.1.E1", "MI1.1.E2"]]) {
      const loaded = loadFramework({ raw: retire(...ids), file: "retire.json" }, environment());
      expect(loaded.diagnostics, ids.join(", ")).toEqual([]);
      expect(loaded.value?.changes.map((c) => c.id)).toEqual(ids);
    }
    // The same gap without the retire is reported (numbering-gap.json skips MI1.1.E3).
    expect(load(broken("numbering-gap")).diagnostics.map((d) => d.code)).toEqual(["numbering-gap"]);
  });

  it("a retired id cannot be amended afterwards", () => {
    const overlay = {
      id: "fixture-retire-amend",
      version: "1.0.0",
      title: "Retire, then amend",
      extends: "fixture-base",
      provenance: { status: "reconstructed-low", source: "test" },
      changes: [
        { op: "retire", id: "MI1.2", reason: "Gone." },
        { op: "amend", id: "MI1.2.E1", title: "Too late", provenance: { status: "verified", source: "x" } },
      ],
    };
    const result = loadFramework({ raw: overlay, file: "o.json" }, environment());
    expect(where(result.diagnostics)).toEqual([{ code: "overlay-unknown-id", pointer: "/changes/1/id", file: "o.json" }]);
  });
});
