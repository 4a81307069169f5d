import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Framework } from "../../src/framework/model.js";
import { readCachedFramework, readCachedRatingScale, writeCachedFramework } from "../../src/io/framework-cache.js";
import { Registry } from "../../src/io/registry.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("the build-time framework cache", () => {
  it("holds exactly what validating the shipped files gives (npm run build wrote it)", () => {
    for (const id of ["mopan-3.1", "mopan-3.1-crisis"]) {
      const fresh = new Registry([], { useCache: false }).framework(id);
      expect(fresh.diagnostics).toEqual([]);
      expect(readCachedFramework(id)).toEqual(JSON.parse(JSON.stringify(fresh.value)));
      expect(new Registry().framework(id).value).toEqual(JSON.parse(JSON.stringify(fresh.value)));
    }
  });

  it("holds every shipped rating scale as validating its file gives it", () => {
    const ids = new Registry([], { useCache: false }).ratingScaleIds();
    expect(ids).toEqual(["mopan-3.0", "mopan-3.1"]);
    for (const id of ids) {
      const registry = new Registry([], { useCache: false });
      const fresh = registry.findRatingScale(id);
      expect(registry.diagnostics).toEqual([]);
      expect(readCachedRatingScale(id)).toEqual(JSON.parse(JSON.stringify(fresh)));
      expect(new Registry().findRatingScale(id)).toEqual(JSON.parse(JSON.stringify(fresh)));
    }
  });

  it("is ignored once a file it was built from changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "mopan-cache-"));
    const source = join(dir, "source.json");
    writeFileSync(source, '{"version": 1}');
    const framework = { id: "zz-cache-test", version: "0.0.1" } as unknown as Framework;
    try {
      writeCachedFramework(framework, [source]);
      expect(readCachedFramework("zz-cache-test")).toEqual(framework);
      writeFileSync(source, '{"version": 2}');
      expect(readCachedFramework("zz-cache-test")).toBeUndefined();
      rmSync(source);
      expect(readCachedFramework("zz-cache-test")).toBeUndefined();
    } finally {
      rmSync(join(ROOT, "dist/framework-cache/zz-cache-test.json"), { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
