// Validates and resolves each built-in framework and rating scale once, at build time, into
// dist/framework-cache/ (see src/io/framework-cache.ts). One with any diagnostic is not cached:
// commands then validate it from its files and report its problems.
import { join } from "node:path";
import { writeCachedFramework, writeCachedRatingScale } from "../dist/io/framework-cache.js";
import { BUILTIN_FRAMEWORK_DIR, Registry } from "../dist/io/registry.js";

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

for (const id of new Registry([], { useCache: false }).ratingScaleIds()) {
  const registry = new Registry([], { useCache: false });
  const scale = registry.findRatingScale(id);
  if (scale && registry.diagnostics.length === 0) writeCachedRatingScale(scale, join(BUILTIN_FRAMEWORK_DIR, "rating-scales", `${id}.json`));
  else console.warn(`rating scale ${id} is not cached: it does not validate (run "mopan validate framework/rating-scales/${id}.json").`);
}
