/** JSON with object keys sorted at every level: equal data gives equal bytes, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonicalJson(value[i] === undefined ? null : value[i]);
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += (out.length > 1 ? "," : "") + JSON.stringify(key) + ":" + canonicalJson(v);
  }
  return out + "}";
}
