'use strict';
// The client spreads calls over every address its target resolves to (round_robin), as a headless
// Service's dns:/// name resolves to every ready pod. Two grpc-js servers on loopback behind one
// `ipv4:` target that lists both; pick_first would send every call to one. Needs no Token
// Authority server. Run by ../scripts/polyglot-test.sh.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createClient, loadApi, grpc } = require('../lib/client');

function startServer() {
  const { TokenAuthorityService } = loadApi();
  const counter = { calls: 0 };
  const server = new grpc.Server();
  server.addService(TokenAuthorityService.service, {
    InspectToken: (call, callback) => {
      counter.calls++;
      callback(null, {});
    },
  });
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(err); else resolve({ server, port, counter });
    });
  });
}

test('calls reach every resolved address (round_robin)', async () => {
  const servers = [await startServer(), await startServer()];
  const client = createClient({ target: `ipv4:${servers.map((s) => `127.0.0.1:${s.port}`).join(',')}` });
  try {
    // round_robin picks only READY connections: allow a bounded number of calls for the second
    // one to become ready.
    for (let i = 0; i < 200 && servers.some((s) => s.counter.calls === 0); i++) {
      await client.inspectToken({ token: 'x' });
    }
    const before = servers.map((s) => s.counter.calls);
    for (let i = 0; i < 10; i++) await client.inspectToken({ token: 'x' });
    assert.deepEqual(servers.map((s, i) => s.counter.calls - before[i]), [5, 5]);
  } finally {
    client.close();
    for (const s of servers) s.server.forceShutdown();
  }
});
