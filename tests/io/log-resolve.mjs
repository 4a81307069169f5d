// A hook for the lazy-loading test: prints every bare specifier resolved (MOPAN_LOG_RESOLVE=1),
// whether imported (ES modules) or required (the bundled CLI is CommonJS).
import Module, { register } from "node:module";

const bare = (specifier) => !specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("file:") && !specifier.startsWith("node:");

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("file:") && !specifier.startsWith("node:")) process.stderr.write("resolve: " + specifier + "\\n");
  return next(specifier, context);
}`)}`,
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (bare(request)) process.stderr.write(`resolve: ${request}\n`);
  return resolveFilename.call(this, request, ...rest);
};
