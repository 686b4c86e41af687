// Fails when the configuration loader reads a key that docs/configuration.md does not name, so a
// new setting cannot ship undocumented. Keys are read from ConfigLoader's calls on its strict
// YAML reader (string("key"), optChild("key"), longValue("key", ...), credentials(n, "key", ...)).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The observability sections (logging, audit, metrics, tracing) have a reader of their own.
const loader = ["ConfigLoader.java", "ObservabilityConfigReader.java"]
  .map((f) => readFileSync(join(root, "server/src/main/java/dev/tokenauthority/server/config", f), "utf8"))
  .join("\n");
const doc = readFileSync(join(root, "docs/configuration.md"), "utf8");

const call = /\b(?:string|optString|longValue|optLong|child|optChild|children|optStrings|optBoolean|has)\("([a-z_]+)"|\b(?:existingFile|credentials)\(\s*\w+,\s*"([a-z_]+)"/g;
const keys = new Set();
for (const m of loader.matchAll(call)) keys.add(m[1] ?? m[2]);
keys.delete("secondary_"); // a prefix: secondary_<credential> is checked through the credentials
for (const k of [...keys]) if (/^(certificate|server_secret|client_secret)$/.test(k)) keys.add(`secondary_${k}`);

const spans = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const missing = [...keys].filter((k) => !spans.some((s) => new RegExp(`(^|[^a-z_])${k}($|[^a-z_])`).test(s)));
if (keys.size < 20) {
  console.error(`config reference: found only ${keys.size} keys in ConfigLoader; has the reader changed?`);
  process.exit(1);
}
if (missing.length) {
  for (const k of missing) console.error(`config reference: key '${k}' is read by ConfigLoader but not in docs/configuration.md`);
  process.exit(1);
}
console.log(`config reference: all ${keys.size} keys the loader reads are documented`);
