// A module hook for the lazy-loading test: prints every bare specifier resolved (MOPAN_LOG_RESOLVE=1).
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("file:") && !specifier.startsWith("node:")) process.stderr.write("resolve: " + specifier + "\\n");
  return next(specifier, context);
}`)}`,
);
