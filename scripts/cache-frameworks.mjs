// Validates and resolves each built-in framework once, at build time, into dist/framework-cache/
// (see src/io/framework-cache.ts). A framework with any diagnostic is not cached: commands then
// validate it from its files and report its problems.
import { writeCachedFramework } from "../dist/io/framework-cache.js";
import { Registry } from "../dist/io/registry.js";

for (const id of new Registry([], { useCache: false }).frameworkIds()) {
  const registry = new Registry([], { useCache: false });
  const loaded = registry.framework(id);
  const scale = loaded.value ? registry.findRatingScale(loaded.value.policy.ratingScale) : undefined;
  if (loaded.value && scale && loaded.diagnostics.length === 0 && registry.diagnostics.length === 0) {
    writeCachedFramework(loaded.value, registry.filesRead());
  } else {
    console.warn(`framework ${id} is not cached: it does not validate (run "mopan framework validate framework/${id}.json").`);
  }
}
