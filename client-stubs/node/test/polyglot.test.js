'use strict';
// Polyglot test: calls every RPC of a running Token Authority from Node.js and checks each token
// through InspectToken. Run by ../scripts/polyglot-test.sh, which starts the real server jar and
// sets TA_TARGET, TA_MODE (plaintext | mtls), TA_CA/TA_CERT/TA_KEY, TA_STRANGER_CERT/KEY and the
// app references TA_AGORA_APP, TA_ZEGO_APP, TA_EASEMOB_APP (defaults agora, zego, easemob).
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { createClient, grpc } = require('../lib/client');

const env = process.env;
const MODE = env.TA_MODE || 'plaintext';
const TARGET = env.TA_TARGET || '127.0.0.1:50051';
const AGORA = env.TA_AGORA_APP || 'agora';
const ZEGO = env.TA_ZEGO_APP || 'zego';
const EASEMOB = env.TA_EASEMOB_APP || 'easemob';

function clientFor(cert = env.TA_CERT, key = env.TA_KEY) {
  return MODE === 'mtls'
    ? createClient({ target: TARGET, ca: env.TA_CA, cert, key, maxAttempts: 2, deadlineMs: 15000 })
    : createClient({ target: TARGET, maxAttempts: 2, deadlineMs: 15000 });
}

const client = clientFor();
test.after(() => client.close());

const secs = (ts) => Number(ts.seconds);
const names = (info, service) => new Set(info.privileges.filter((p) => p.service === service).map((p) => p.name));

/** Inspects an issued token and checks what every issue response promises. */
async function inspectValid(issued, app, legacyBinding) {
  assert.ok(issued.token);
  assert.equal(issued.app, app);
  assert.ok(secs(issued.expires_at) > secs(issued.issued_at));
  assert.ok(secs(issued.earliest_expiry) <= secs(issued.expires_at));
  assert.ok(secs(issued.earliest_expiry) > Math.floor(Date.now() / 1000));
  const request = { token: issued.token, app };
  if (legacyBinding) request.legacy_binding = legacyBinding;
  const info = await client.inspectToken(request);
  assert.equal(info.validity, 'VALIDITY_VALID', info.invalid_reason);
  assert.equal(info.invalid_reason, '');
  assert.equal(info.format, issued.format);
  assert.equal(info.app, app);
  assert.equal(secs(info.issued_at), secs(issued.issued_at));
  assert.equal(secs(info.expires_at), secs(issued.expires_at));
  assert.equal(info.matched_credential, 'primary');
  assert.ok(info.privileges.length > 0);
  return info;
}

async function rejects(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `expected status ${code}, got ${err.code}: ${err.details}`);
    return true;
  });
}

test('IssueRtcToken 007 publisher', async () => {
  const { issued_token: issued } = await client.issueRtcToken({
    app: AGORA, channel_name: 'polyglot-js', uid: 4243, role: 'RTC_ROLE_PUBLISHER', lifetime_seconds: 600,
  });
  assert.equal(issued.format, 'TOKEN_FORMAT_AGORA_007');
  assert.ok(issued.token.startsWith('007'));
  assert.equal(secs(issued.expires_at) - secs(issued.issued_at), 600);
  const info = await inspectValid(issued, AGORA);
  assert.equal(info.subject, '4243');
  assert.equal(info.channel, 'polyglot-js');
  const rtc = names(info, 'rtc');
  for (const p of ['join_channel', 'publish_audio', 'publish_video']) assert.ok(rtc.has(p), p);
});

test('IssueRtcToken subscriber with RTM', async () => {
  const { issued_token: issued } = await client.issueRtcToken({
    app: AGORA, channel_name: 'polyglot-js-sub', user_account: 'js-account', role: 'RTC_ROLE_SUBSCRIBER',
    lifetime_seconds: 300, include_rtm: true,
  });
  const info = await inspectValid(issued, AGORA);
  assert.equal(info.subject, 'js-account');
  assert.deepEqual([...names(info, 'rtc')], ['join_channel']);
  assert.ok(names(info, 'rtm').size > 0);
});

test('IssueRtcToken 006 inspected with its binding', async () => {
  const { issued_token: issued } = await client.issueRtcToken({
    app: AGORA, channel_name: 'polyglot-js-006', uid: 78, role: 'RTC_ROLE_PUBLISHER', lifetime_seconds: 600,
    format: 'TOKEN_FORMAT_AGORA_006',
  });
  assert.equal(issued.format, 'TOKEN_FORMAT_AGORA_006');
  assert.ok(issued.token.startsWith('006'));
  await inspectValid(issued, AGORA, { channel_name: 'polyglot-js-006', uid: '78' });
});

test('IssueRtmToken', async () => {
  const { issued_token: issued } = await client.issueRtmToken({ app: AGORA, user_id: 'js-rtm-user', lifetime_seconds: 900 });
  const info = await inspectValid(issued, AGORA);
  assert.equal(info.subject, 'js-rtm-user');
  assert.ok(names(info, 'rtm').size > 0);
});

test('IssueChatToken: Agora Chat user and app tokens', async () => {
  const userUuid = crypto.randomUUID();
  const user = await client.issueChatToken({ app: AGORA, agora_user: { user_uuid: userUuid }, lifetime_seconds: 600 });
  let info = await inspectValid(user.issued_token, AGORA);
  assert.equal(info.subject, userUuid);
  assert.ok(names(info, 'chat').size > 0);

  const appToken = await client.issueChatToken({ app: AGORA, agora_app: {}, lifetime_seconds: 600 });
  info = await inspectValid(appToken.issued_token, AGORA);
  assert.equal(info.subject, '');
  assert.ok(names(info, 'chat').size > 0);
});

test('IssueChatToken: Easemob dynamic token', async () => {
  const { issued_token: issued } = await client.issueChatToken({
    app: EASEMOB, easemob_user: { user_id: 'js-easemob-user' }, lifetime_seconds: 600,
  });
  assert.equal(issued.format, 'TOKEN_FORMAT_EASEMOB_DYNAMIC');
  const info = await inspectValid(issued, EASEMOB);
  assert.equal(info.subject, 'js-easemob-user');
});

test('IssueZimToken with room privileges', async () => {
  const { issued_token: issued } = await client.issueZimToken({
    app: ZEGO, user_id: 'js-zim-user', lifetime_seconds: 600,
    room: { room_id: 'js-room', can_login: true, can_publish: true, stream_ids: ['js-stream'] },
  });
  assert.equal(issued.format, 'TOKEN_FORMAT_ZEGO_04');
  assert.ok(issued.token.startsWith('04'));
  const info = await inspectValid(issued, ZEGO);
  assert.equal(info.subject, 'js-zim-user');
  assert.equal(info.channel, 'js-room');
});

test('RenewToken keeps identity and privileges', async () => {
  const { issued_token: issued } = await client.issueRtcToken({
    app: AGORA, channel_name: 'polyglot-js-renew', uid: 100, role: 'RTC_ROLE_SUBSCRIBER', lifetime_seconds: 600,
  });
  const before = await inspectValid(issued, AGORA);
  const { issued_token: renewed } = await client.renewToken({ token: issued.token, app: AGORA, lifetime_seconds: 300 });
  assert.notEqual(renewed.token, issued.token);
  assert.equal(secs(renewed.expires_at) - secs(renewed.issued_at), 300);
  const after = await inspectValid(renewed, AGORA);
  assert.equal(after.subject, before.subject);
  assert.equal(after.channel, before.channel);
  assert.deepEqual([...names(after, 'rtc')].sort(), [...names(before, 'rtc')].sort());
});

test('InspectToken against another app says INVALID', async () => {
  const { issued_token: issued } = await client.issueRtmToken({ app: AGORA, user_id: 'js-other-app', lifetime_seconds: 60 });
  const info = await client.inspectToken({ token: issued.token, app: ZEGO });
  assert.equal(info.validity, 'VALIDITY_INVALID');
  assert.ok(info.invalid_reason);
});

test('malformed token and bad input are INVALID_ARGUMENT', async () => {
  await rejects(client.inspectToken({ token: '007not-a-token', app: AGORA }), grpc.status.INVALID_ARGUMENT);
  await rejects(client.issueRtcToken({ app: AGORA, channel_name: 'x'.repeat(65), uid: 1, role: 'RTC_ROLE_PUBLISHER' }),
    grpc.status.INVALID_ARGUMENT);
});

test('mTLS: no client certificate is refused', { skip: MODE !== 'mtls' && 'needs the mTLS server' }, async () => {
  const bare = createClient({ target: TARGET, ca: env.TA_CA, maxAttempts: 2, deadlineMs: 15000 });
  try {
    await rejects(bare.issueRtmToken({ app: AGORA, user_id: 'nobody' }), grpc.status.UNAVAILABLE);
  } finally {
    bare.close();
  }
});

test('mTLS: an identity without policy is denied', { skip: MODE !== 'mtls' && 'needs the mTLS server' }, async () => {
  const stranger = clientFor(env.TA_STRANGER_CERT, env.TA_STRANGER_KEY);
  try {
    await rejects(stranger.issueRtmToken({ app: AGORA, user_id: 'stranger' }), grpc.status.PERMISSION_DENIED);
  } finally {
    stranger.close();
  }
});
