// Extracts the shell blocks of one Markdown file for run-doc-commands.sh.
//
// Every ```sh block must be preceded (blank lines aside) by exactly one marker comment:
//   <!-- doc-test -->               run it; it must exit 0
//   <!-- doc-test: fails [TEXT] --> run it (one command); it must exit non-zero, and its output
//                                   must contain TEXT when given (an error example)
//   <!-- doc-test: serve PORT [HEALTH_PORT] -->  a server command, started in the background on a free
//                                   port (and a free health port); the documented ports
//                                   are replaced by the real ones in later blocks of the file
//   <!-- not-tested: REASON -->     not run here (systemctl, kubectl, grpcurl, ...); listed with REASON
// An unmarked ```sh block is an error, so nobody adds a command that silently goes untested.
//
// Usage: node doc-blocks.mjs FILE.md OUTDIR
// Writes OUTDIR/NNN.sh (the code) and OUTDIR/NNN.meta (one line: KIND LINE ARG...).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [file, outDir] = process.argv.slice(2);
if (!file || !outDir) {
  console.error("usage: node doc-blocks.mjs FILE.md OUTDIR");
  process.exit(2);
}
const lines = readFileSync(file, "utf8").split("\n");
const MARKER = /^<!--\s*(doc-test(?::\s*(fails(?:\s+(\S+))?|serve\s+(\d+(?:\s+\d+)?)))?|not-tested:\s*(.+?))\s*-->\s*$/;
const errors = [];
mkdirSync(outDir, { recursive: true });

let marker = null; // {kind, arg, line}
let n = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const m = MARKER.exec(line.trim());
  if (m) {
    if (marker) errors.push(`${file}:${marker.line}: marker not followed by a sh block`);
    if (m[5]) marker = { kind: "skip", arg: m[5], line: i + 1 };
    else if (m[2] && m[2].startsWith("fails")) marker = { kind: "fails", arg: m[3] || "", line: i + 1 };
    else if (m[4]) marker = { kind: "serve", arg: m[4], line: i + 1 };
    else marker = { kind: "run", arg: "", line: i + 1 };
    continue;
  }
  const fence = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(line);
  if (!fence) {
    if (marker && line.trim() !== "") {
      errors.push(`${file}:${marker.line}: marker not followed by a sh block`);
      marker = null;
    }
    continue;
  }
  // Collect the block up to its closing fence.
  const body = [];
  let j = i + 1;
  while (j < lines.length && !lines[j].trimStart().startsWith(fence[2])) body.push(lines[j++]);
  const lang = fence[3];
  if (lang === "sh" || lang === "bash" || lang === "shell") {
    if (!marker) {
      errors.push(`${file}:${i + 1}: sh block without <!-- doc-test --> or <!-- not-tested: reason -->`);
    } else {
      n++;
      const id = String(n).padStart(3, "0");
      writeFileSync(`${outDir}/${id}.sh`, body.join("\n") + "\n");
      writeFileSync(`${outDir}/${id}.meta`, `${marker.kind} ${basename(file)}:${i + 1} ${marker.arg}\n`);
    }
  } else if (marker) {
    errors.push(`${file}:${marker.line}: marker before a ${lang || "plain"} block; only sh blocks run`);
  }
  marker = null;
  i = j;
}
if (marker) errors.push(`${file}:${marker.line}: marker at end of file`);
if (errors.length) {
  for (const e of errors) console.error(e);
  process.exit(1);
}
