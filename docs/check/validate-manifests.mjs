// Parses every Kubernetes manifest under docs/deploy/kubernetes and validates each object
// against the Kubernetes OpenAPI schemas shipped by kubernetes-models (types, enums, required
// fields). Note: those schemas do not reject unknown keys.
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as coreV1 from "kubernetes-models/v1";
import * as policyV1 from "kubernetes-models/policy/v1";

const kinds = {
  "apps/v1": appsV1,
  v1: coreV1,
  "policy/v1": policyV1,
};

const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "deploy", "kubernetes");

let checked = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) {
      failures.push(`${file}: YAML error: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const group = kinds[obj.apiVersion];
    const Model = group?.[obj.kind];
    if (!Model) {
      failures.push(`${file}: unsupported apiVersion/kind ${obj.apiVersion}/${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
      checked++;
      console.log(`ok   ${file}: ${obj.kind} ${obj.metadata?.name}`);
    } catch (e) {
      failures.push(`${file}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`);
    }
  }
}
for (const f of failures) console.error(`FAIL ${f}`);
console.log(`${checked} passed, ${failures.length} failed`);
process.exit(failures.length || checked === 0 ? 1 : 0);
