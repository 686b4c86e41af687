'use strict';
// A small Node.js client for the Token Authority service (tokenauthority.v1), with stubs loaded
// at run time from proto/ by @grpc/proto-loader. It calls the service the way it expects:
// mutual TLS from PEM files (or plaintext against the loopback development default), round_robin
// over every resolved address and UNAVAILABLE retried by grpc-js itself through a service config,
// and a default deadline on every call.

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.resolve(__dirname, '..', '..', '..', 'proto', 'src', 'main', 'proto');
const PROTO_FILE = 'tokenauthority/v1/token_authority.proto';
const SERVICE = 'tokenauthority.v1.TokenAuthorityService';
const RPCS = ['IssueRtcToken', 'IssueRtmToken', 'IssueChatToken', 'IssueZimToken', 'RenewToken', 'InspectToken'];

/** Loads the API: the service constructor and the package (for enums and message types). */
function loadApi(protoRoot = PROTO_ROOT) {
  const definition = protoLoader.loadSync(PROTO_FILE, {
    includeDirs: [protoRoot],
    keepCase: true, // field names as in the .proto: channel_name, issued_token, ...
    longs: String, // int64 as decimal strings: no precision loss
    enums: String, // enum values by name: 'VALIDITY_VALID'
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition);
  return { TokenAuthorityService: loaded.tokenauthority.v1.TokenAuthorityService, definition };
}

// round_robin over every address the target resolves to (a headless Service's pods behind
// dns:///; pick_first would pin every call to one pod), and UNAVAILABLE retried with backoff.
function serviceConfig(maxAttempts) {
  return {
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig: [{
      name: [{ service: SERVICE }],
      retryPolicy: {
        maxAttempts,
        initialBackoff: '0.2s',
        maxBackoff: '2s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    }],
  };
}

/**
 * Creates a client. With `ca` (and normally `cert` + `key`, PEM file paths) it uses mTLS.
 * Each RPC is exposed as a promise-returning camelCase method: issueRtcToken(request), ...
 */
function createClient({ target = '127.0.0.1:50051', ca, cert, key, maxAttempts = 4, deadlineMs = 10000 } = {}) {
  const { TokenAuthorityService } = loadApi();
  const read = (p) => (p ? fs.readFileSync(p) : null);
  const credentials = ca
    ? grpc.credentials.createSsl(read(ca), read(key), read(cert))
    : grpc.credentials.createInsecure();
  const stub = new TokenAuthorityService(target, credentials, {
    'grpc.enable_retries': 1,
    'grpc.service_config': JSON.stringify(serviceConfig(maxAttempts)),
  });
  const client = { stub, close: () => stub.close() };
  for (const rpc of RPCS) {
    const method = rpc.charAt(0).toLowerCase() + rpc.slice(1);
    client[method] = (request, { timeoutMs = deadlineMs } = {}) => new Promise((resolve, reject) => {
      stub[rpc](request, { deadline: new Date(Date.now() + timeoutMs) }, (err, response) => {
        if (err) reject(err); else resolve(response);
      });
    });
  }
  return client;
}

module.exports = { createClient, loadApi, grpc, RPCS, PROTO_ROOT };
