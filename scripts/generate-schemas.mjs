// Writes schema/<key>.schema.json from the zod models, and the compiled assessment validator (run
// through `npm run schemas`, which builds first).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemas } from "../dist/schema/json-schemas.js";
import { VALIDATOR_FILE, validatorSource } from "./validator-source.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "schema");
mkdirSync(dir, { recursive: true });
for (const [key, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, `${key}.schema.json`), JSON.stringify(schema, null, 2) + "\n");
  console.log(`schema/${key}.schema.json`);
}
writeFileSync(join(root, VALIDATOR_FILE), validatorSource(jsonSchemas().assessment));
console.log(VALIDATOR_FILE);
