#!/usr/bin/env node
'use strict';
// Issue an Agora RTC token, then ask the authority what it says.
//
//   npm ci
//   node example.js                                   # development default on 127.0.0.1:50051
//   TA_TARGET=authority:50051 TA_CA=ca.pem TA_CERT=client.pem TA_KEY=client.key \
//     TA_AGORA_APP=my-agora-app node example.js       # mTLS
//
// The token is a credential: this example prints only its format and times, never the token.
const { createClient } = require('./lib/client');

async function main() {
  const env = process.env;
  const app = env.TA_AGORA_APP || 'agora';
  const client = createClient({ target: env.TA_TARGET || '127.0.0.1:50051', ca: env.TA_CA, cert: env.TA_CERT, key: env.TA_KEY });
  try {
    const { issued_token: issued } = await client.issueRtcToken({
      app,
      channel_name: 'example-room',
      uid: 1234,
      role: 'RTC_ROLE_PUBLISHER',
      lifetime_seconds: 3600,
    });
    const iso = (ts) => new Date(Number(ts.seconds) * 1000).toISOString();
    console.log(`issued ${issued.format} token for app ${issued.app}, expires ${iso(issued.expires_at)}, renew before ${iso(issued.earliest_expiry)}`);
    const info = await client.inspectToken({ token: issued.token, app });
    const privileges = info.privileges.map((p) => `${p.service}/${p.name}`).join(', ');
    console.log(`inspected: ${info.validity}, subject=${info.subject} channel=${info.channel}, privileges=${privileges}`);
  } finally {
    client.close();
  }
}

main().catch((err) => {
  console.error(`failed: ${err.code !== undefined ? `status ${err.code} ` : ''}${err.details || err.message}`);
  process.exit(1);
});
