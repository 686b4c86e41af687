// Keeps docs/deploy honest beyond schemas (validate-manifests.mjs does those):
//  1. systemd: `systemd-analyze verify` accepts the unit with no warning at all.
//  2. Kubernetes: the Deployment, ConfigMap and Service agree (ConfigMap name and key, --config
//     path, ports 8443/8081/9464 in config, container, probes and scrape annotations, every file the config names lies
//     in a mounted Secret), and the REAL server starts with the ConfigMap's configuration: the
//     Secret mount paths are mapped into a temporary directory holding openssl-made TLS files and
//     random vendor credentials of the right shape, then `serve` must print LISTENING, HEALTH and METRICS.
// Usage: TA_JAR=server/target/token-authority.jar node check-deploy.mjs
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const deploy = join(here, "..", "deploy");
const jar = process.env.TA_JAR ?? join(here, "..", "..", "server", "target", "token-authority.jar");
const failures = [];
const fail = (msg) => failures.push(msg);

// --- 1. systemd -----------------------------------------------------------------------------
const unit = join(deploy, "systemd", "token-authority.service");
const verify = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
if (verify.error) {
  fail(`systemd-analyze not runnable (${verify.error.code}): install the Debian package systemd`);
} else if (verify.status !== 0 || (verify.stdout + verify.stderr).trim() !== "") {
  fail(`systemd-analyze verify ${unit}: exit ${verify.status}\n${verify.stdout}${verify.stderr}`);
} else {
  console.log("ok   systemd unit: systemd-analyze verify reports nothing");
}

// --- 2. Kubernetes: the manifests agree with each other and with the configuration ------------
const k8s = (file) => parse(readFileSync(join(deploy, "kubernetes", file), "utf8"));
const deployment = k8s("deployment.yaml");
const configMap = k8s("configmap.yaml");
const service = k8s("service.yaml");
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const volume = (name) => pod.volumes.find((v) => v.name === name);
const mounts = container.volumeMounts.map((m) => ({ ...m, volume: volume(m.name) }));
const port = (name) => container.ports.find((p) => p.name === name)?.containerPort;

const configMount = mounts.find((m) => m.volume?.configMap);
if (configMount?.volume.configMap.name !== configMap.metadata.name) {
  fail(`the Deployment mounts ConfigMap ${configMount?.volume.configMap.name}, configmap.yaml is ${configMap.metadata.name}`);
}
const configArg = container.args[container.args.indexOf("--config") + 1];
const configKey = configArg?.startsWith(`${configMount?.mountPath}/`) ? configArg.slice(configMount.mountPath.length + 1) : undefined;
const configText = configMap.data?.[configKey];
if (configText === undefined) {
  fail(`--config ${configArg} is not a key of the ConfigMap mounted at ${configMount?.mountPath}`);
}
const config = parse(configText ?? "{}");
const expect = (what, actual, wanted) => {
  if (actual !== wanted) fail(`${what} is ${actual}, expected ${wanted}`);
};
expect("config listen.port vs container port grpc", config.listen?.port, port("grpc"));
expect("config health_listen.port vs container port health", config.health_listen?.port, port("health"));
expect("config metrics.listen.port vs container port metrics", config.metrics?.listen?.port, port("metrics"));
expect("config metrics.listen.address", config.metrics?.listen?.address, "0.0.0.0");
const annotations = deployment.spec.template.metadata.annotations ?? {};
expect("pod annotation prometheus.io/port", Number(annotations["prometheus.io/port"]), port("metrics"));
expect("pod annotation prometheus.io/path", annotations["prometheus.io/path"], "/metrics");
expect("config listen.address", config.listen?.address, "0.0.0.0");
expect("config health_listen.address", config.health_listen?.address, "0.0.0.0");
for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
  expect(`${probe} port`, container[probe]?.grpc?.port, port("health"));
}
const servicePort = service.spec.ports.find((p) => p.name === "grpc");
expect("Service targetPort", servicePort?.targetPort, "grpc");
expect("Service port", servicePort?.port, port("grpc"));

// Every file the configuration reads, and what it must hold.
const files = [];
for (const key of ["certificate_file", "private_key_file", "client_ca_file"]) {
  if (config.tls?.[key]) files.push({ path: config.tls[key], kind: key });
}
const credentialShape = { certificate: "hex32", secondary_certificate: "hex32", server_secret: "hex32",
  secondary_server_secret: "hex32", client_secret: "easemob", secondary_client_secret: "easemob" };
for (const [name, app] of Object.entries(config.apps ?? {})) {
  for (const [key, value] of Object.entries(app)) {
    if (value?.env) fail(`apps.${name}.${key}: an env credential; in Kubernetes use {file: ...} under a mounted Secret`);
    if (value?.file) files.push({ path: value.file, kind: credentialShape[key] ?? "hex32" });
  }
}
const secretMounts = mounts.filter((m) => m.volume?.secret);
for (const f of files) {
  const m = secretMounts.find((s) => f.path.startsWith(`${s.mountPath}/`));
  if (!m) fail(`${f.path} is not under a mounted Secret (${secretMounts.map((s) => s.mountPath).join(", ")})`);
  else f.secret = m;
}
if (failures.length === 0) console.log(`ok   manifests agree: ${files.length} files from ${secretMounts.length} Secrets, ports ${port("grpc")}/${port("health")}/${port("metrics")}`);

// --- 3. the real server starts with that configuration -------------------------------------
async function startServer() {
  const work = mkdtempSync(join(tmpdir(), "ta-deploy-check-"));
  try {
    const local = (path) => join(work, path);
    for (const f of files) mkdirSync(dirname(local(f.path)), { recursive: true });
    const tlsDir = mkdtempSync(join(work, "pki-"));
    const openssl = (...args) => execFileSync("openssl", args, { cwd: tlsDir, stdio: ["ignore", "ignore", "pipe"] });
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key");
    openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=deploy check CA", "-days", "1", "-out", "ca.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
    openssl("req", "-new", "-key", "server.key", "-subj", "/CN=token-authority", "-out", "server.csr");
    writeFileSync(join(tlsDir, "ext"), "subjectAltName=DNS:token-authority\nextendedKeyUsage=serverAuth\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
      "-days", "1", "-extfile", "ext", "-out", "server.pem");
    const content = {
      certificate_file: () => readFileSync(join(tlsDir, "server.pem")),
      private_key_file: () => readFileSync(join(tlsDir, "server.key")),
      client_ca_file: () => readFileSync(join(tlsDir, "ca.pem")),
      hex32: () => `${randomBytes(16).toString("hex")}\n`,
      easemob: () => `YXA6${randomBytes(14).toString("hex")}\n`,
    };
    for (const f of files) writeFileSync(local(f.path), content[f.kind]());
    let mapped = configText;
    for (const s of secretMounts) mapped = mapped.replaceAll(`${s.mountPath}/`, `${local(s.mountPath)}/`);
    const configFile = join(work, "config.yaml");
    writeFileSync(configFile, mapped);

    const args = ["-jar", jar, "serve", "--config", configFile, "--listen", "127.0.0.1", "--port", "0",
      "--health-port", "0", "--metrics-port", "0", "--reload-interval", "0"];
    const server = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    server.stdout.on("data", (d) => (out += d));
    server.stderr.on("data", (d) => (err += d));
    const exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
    const started = await Promise.race([
      (async () => {
        while (!(/^LISTENING /m.test(out) && /^HEALTH /m.test(out) && /^METRICS /m.test(out))) await new Promise((r) => setTimeout(r, 100));
        return true;
      })(),
      exited.then(() => false),
      new Promise((r) => setTimeout(() => r(false), 60_000)),
    ]);
    server.kill("SIGTERM");
    const killer = setTimeout(() => server.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(killer);
    if (!started) {
      fail(`the server did not start with the ConfigMap's configuration; its stderr:\n${err}`);
    } else {
      console.log(`ok   the server starts with configmap.yaml's config.yaml: ${out.trim().split("\n").join(", ")}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
if (failures.length === 0) await startServer();

for (const f of failures) console.error(`FAIL ${f}`);
process.exit(failures.length ? 1 : 0);
