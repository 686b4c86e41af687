// Keeps docs/errors.md true to the code:
//  1. every reason the server code can produce (an UPPER_SNAKE string literal in
//     server/src/main/java, comments excluded) has a row in docs/errors.md, or is listed in
//     docs/vendor-errors.md (the vendor bridges' own catalogue) when that file exists;
//  2. every reason in the errors.md tables still exists in the code;
//  3. where the code states the status next to the reason (ApiException.invalidArgument(...),
//     new InvalidTokenInputException(...), setInvalidReason(...), ...), the row names that status.
// Usage: node check-error-catalogue.mjs   (from anywhere)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REASON = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

function javaFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? javaFiles(p) : p.endsWith(".java") ? [p] : [];
  });
}

// String literals with the code before them on the same statement; comments skipped.
function literals(source) {
  const out = [];
  let code = ""; // the source with comments and literal bodies blanked, for context
  let i = 0;
  let line = 1;
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") line++;
    if (source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      line += (source.slice(i, stop).match(/\n/g) || []).length;
      i = stop;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      const stop = end < 0 ? source.length : end + 3;
      line += (source.slice(i, stop).match(/\n/g) || []).length;
      code += '""';
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\\") {
          value += source[j + 1];
          j += 2;
        } else {
          value += source[j++];
        }
      }
      if (c === '"') {
        const stmt = code.slice(Math.max(code.lastIndexOf(";"), code.lastIndexOf("{"), code.lastIndexOf("}")) + 1);
        out.push({ value, line, context: stmt });
      }
      code += c + c;
      i = j + 1;
      continue;
    }
    code += c;
    i++;
  }
  return out;
}

// The status the code gives a reason, when it says so in the same statement: the factory or
// exception nearest before the literal wins (a ternary may hold two).
function statusOf(context) {
  const rules = [
    [/ApiException\.invalidArgument\s*\(/g, "INVALID_ARGUMENT"],
    [/ApiException\.permissionDenied\s*\(/g, "PERMISSION_DENIED"],
    [/ApiException\.notFound\s*\(/g, "NOT_FOUND"],
    [/ApiException\.failedPrecondition\s*\(/g, "FAILED_PRECONDITION"],
    [/ApiException\.unimplemented\s*\(/g, "UNIMPLEMENTED"],
    [/ApiException\.of\s*\(\s*Status\.Code\.([A-Z_]+)/g, null],
    [/new\s+(?:[\w.]+\.)?InvalidTokenInputException\s*\(/g, "INVALID_ARGUMENT"],
    [/new\s+(?:[\w.]+\.)?MalformedTokenException\s*\(/g, "INVALID_ARGUMENT"],
    [/setInvalidReason\s*\(/g, "InspectToken"],
  ];
  let best = null;
  let bestAt = -1;
  for (const [re, status] of rules) {
    for (const m of context.matchAll(re)) {
      if (m.index > bestAt) {
        bestAt = m.index;
        best = status ?? m[1];
      }
    }
  }
  return best;
}

const code = new Map(); // reason -> [{where, status}]
for (const file of javaFiles(join(root, "server", "src", "main", "java"))) {
  for (const lit of literals(readFileSync(file, "utf8"))) {
    if (!REASON.test(lit.value)) continue;
    const uses = code.get(lit.value) || [];
    uses.push({ where: `${relative(root, file)}:${lit.line}`, status: statusOf(lit.context) });
    code.set(lit.value, uses);
  }
}

// Catalogue rows: | `REASON` | status cell | field | what to do |
const docPath = join(root, "docs", "errors.md");
const doc = new Map(); // reason -> status cell
for (const row of readFileSync(docPath, "utf8").split("\n")) {
  const m = /^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|([^|]*)\|/.exec(row);
  if (!m) continue;
  if (doc.has(m[1])) {
    console.error(`docs/errors.md: ${m[1]} has two rows`);
    process.exitCode = 1;
  }
  doc.set(m[1], m[2]);
}
const vendorPath = join(root, "docs", "vendor-errors.md");
const vendor = new Set(
  existsSync(vendorPath) ? [...readFileSync(vendorPath, "utf8").matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]) : [],
);

const problems = [];
let statusChecks = 0;
for (const [reason, uses] of [...code].sort()) {
  if (!doc.has(reason)) {
    if (!vendor.has(reason)) problems.push(`${reason} (${uses[0].where}) is not in docs/errors.md`);
    continue;
  }
  for (const u of uses) {
    if (!u.status) continue;
    statusChecks++;
    if (!doc.get(reason).includes(u.status)) {
      problems.push(`${reason}: the code says ${u.status} at ${u.where}, docs/errors.md says "${doc.get(reason).trim()}"`);
    }
  }
}
for (const reason of doc.keys()) {
  if (!code.has(reason)) problems.push(`${reason} is in docs/errors.md but nowhere in server/src/main/java`);
}
if (problems.length) {
  for (const p of problems) console.error(`error catalogue: ${p}`);
  process.exit(1);
}
console.log(`error catalogue: ${code.size} reasons in the code, all documented; ${statusChecks} statuses match the code`);
