#!/usr/bin/env python3
"""Writes the Jazzer seed corpus of every @FuzzTest from the vendor vectors (docs/fuzzing.md).

Usage: server/scripts/fuzz-seeds.py [VECTORS_DIR]   (default: the repository's copy, server/src/test/resources/vectors)
Seeds go to server/src/test/resources/<package>/<TestClass>Inputs/<method>/, Jazzer's layout, and are
committed; the normal test run replays them. Re-running rewrites the vector-* and case-* files.
"""
import base64, json, os, struct, sys, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # server/
VECTORS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "src", "test", "resources", "vectors")
RES = os.path.join(ROOT, "src", "test", "resources", "dev", "tokenauthority")


def cases(name):
    with open(os.path.join(VECTORS, name + ".json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


def put(rel, name, data):
    d = os.path.join(RES, rel)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


# --- protobuf wire encoding, just enough for the request seeds ---
def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, value):
    if isinstance(value, bool):
        return varint(num << 3) + varint(int(value))
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    data = value.encode("utf-8") if isinstance(value, str) else value
    return varint(num << 3 | 2) + varint(len(data)) + data


def msg(*fields):
    return b"".join(field(n, v) for n, v in fields)


agora = cases("agora")
zego = cases("zego")
easemob = cases("easemob")

# 007: tokens, and their signed messages (inflated content after u16 length + 32-byte signature).
for i, c in enumerate(x for x in agora if x["format"] == "agora-007"):
    put("core/agora007/AccessToken2FuzzTestInputs/token", f"vector-{i:02d}", c["token"])
    content = zlib.decompress(base64.b64decode(c["token"][3:]))
    put("core/agora007/AccessToken2FuzzTestInputs/signedMessage", f"vector-{i:02d}", content[34:])

# 006: "channel\nuid\n" + token (RTM: the account is the "channel", uid is empty), and + message.
for i, c in enumerate(x for x in agora if x["format"] == "agora-006"):
    p = c["params"]
    if c["kind"] == "rtm":
        channel, uid = p["user_account"], ""
    else:
        channel, uid = p["channel_name"], ("" if p["uid"] == 0 else str(p["uid"]))
    binding = f"{channel}\n{uid}\n".encode("utf-8")
    put("core/agora006/LegacyAccessTokenFuzzTestInputs/token", f"vector-{i:02d}", binding + c["token"].encode())
    body = base64.b64decode(c["token"][35:])
    (sig_len,) = struct.unpack_from("<H", body, 0)
    (msg_len,) = struct.unpack_from("<H", body, 2 + sig_len + 8)
    message = body[2 + sig_len + 8 + 2:2 + sig_len + 8 + 2 + msg_len]
    put("core/agora006/LegacyAccessTokenFuzzTestInputs/signedMessage", f"vector-{i:02d}", binding + message)

# ZEGO Token04: tokens and plaintexts.
for i, c in enumerate(zego):
    put("core/zego04/Token04FuzzTestInputs/token", f"vector-{i:02d}", c["token"])
    put("core/zego04/Token04FuzzTestInputs/plaintext", f"vector-{i:02d}", c["plaintext"])

# Easemob dt-: tokens (padded and unpadded) and JSON bodies.
for i, c in enumerate(easemob):
    put("core/easemobdt/DynamicTokenFuzzTestInputs/token", f"vector-{i:02d}", c["token"])
    put("core/easemobdt/DynamicTokenFuzzTestInputs/token", f"vector-{i:02d}-unpadded", c["token"].rstrip("="))
    put("core/easemobdt/DynamicTokenFuzzTestInputs/json", f"vector-{i:02d}", c["json"])

# Format detection: one token of each format.
first = {}
for c in agora + zego + easemob:
    first.setdefault(c["format"], c["token"])
for fmt, token in first.items():
    put("core/detect/AnyTokenFuzzTestInputs/parse", f"vector-{fmt}", token)

# Config loader: the documented example and a small complete file.
with open(os.path.join(ROOT, "..", "docs", "examples", "token-authority.yaml"), encoding="utf-8") as f:
    put("server/config/ConfigLoaderFuzzTestInputs/load", "case-docs-example", f.read())
put("server/config/ConfigLoaderFuzzTestInputs/load", "case-all-vendors", """\
listen: {address: 127.0.0.1, port: 6000}
apps:
  rtc: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}}
  zim: {vendor: zego, app_id: 99, server_secret: {env: ZS}}
  im: {vendor: easemob, app_key: a#b, client_id: c, client_secret: {env: EM}, rest_ttl_unit: milliseconds}
callers:
  - identity: spiffe://x/y
    apps: [rtc, zim, im]
    rpcs: [IssueRtcToken, RenewToken, InspectToken]
    token_kinds: [rtc, zim]
    rtc_roles: [subscriber]
    max_lifetime_seconds: 7200
    default_lifetime_seconds: 60
    channel_pattern: "game-[0-9]+"
    user_pattern: "[a-z]+"
renewal: {grace_seconds: 120}
tokens: {max_clock_skew_seconds: 300}
limits: {handler_threads: 3, max_concurrent_calls: 10, max_request_bytes: 4096}
shutdown: {drain_delay_seconds: 2, grace_seconds: 9}
""")

# Request validation: first byte = RPC (0 rtc, 1 rtm, 2 chat, 3 zim, 4 renew, 5 inspect), then the
# request message. Apps and policy as in RequestValidationFuzzTest.
req = "server/rpc/RequestValidationFuzzTestInputs/handle"
rtc = lambda *f: b"\x00" + msg(*f)
put(req, "case-rtc-subscriber-uid", rtc((1, "rtc"), (2, "game-1"), (3, 42), (5, 2)))
put(req, "case-rtc-publisher-refused", rtc((1, "rtc"), (2, "game-1"), (3, 42), (5, 1)))
put(req, "case-rtc-channel-refused", rtc((1, "rtc"), (2, "lobby"), (4, "alice"), (5, 2), (7, 600)))
put(req, "case-rtc-privileges-rtm", rtc((1, "rtc"), (2, "game-2"), (4, "alice"),
                                       (6, msg((1, 300), (2, 0))), (7, 600), (9, 1), (10, True)))
put(req, "case-rtc-006", rtc((1, "rtc"), (2, "game-3"), (3, 7), (5, 2), (9, 2)))
put(req, "case-rtm", b"\x01" + msg((1, "rtc"), (2, "bob"), (3, 60)))
put(req, "case-rtm-user-refused", b"\x01" + msg((1, "rtc"), (2, "Bob!"), (4, 2)))
put(req, "case-chat-agora-user", b"\x02" + msg((1, "rtc"), (2, msg((1, "uuid1")))))
put(req, "case-chat-agora-name", b"\x02" + msg((1, "rtc"), (2, msg((2, "carol"), (3, True)))))
put(req, "case-chat-agora-app", b"\x02" + msg((1, "rtc"), (3, b""), (5, 300)))
put(req, "case-chat-easemob-dynamic", b"\x02" + msg((1, "im"), (4, msg((1, "dave"), (2, 1)))))
put(req, "case-chat-easemob-password", b"\x02" + msg((1, "im"), (4, msg((1, "dave"), (2, 2), (3, "pw")))))
put(req, "case-zim", b"\x03" + msg((1, "zim"), (2, "erin"), (3, 600)))
put(req, "case-zim-room", b"\x03" + msg((1, "zim"), (2, "erin"), (4, msg((1, "game-9"), (2, True), (3, True), (4, "s1")))))
v007 = next(x for x in agora if x["format"] == "agora-007")["token"]
v006 = next(x for x in agora if x["format"] == "agora-006")
put(req, "case-renew-007", b"\x04" + msg((1, v007), (2, "rtc")))
put(req, "case-renew-006", b"\x04" + msg((1, v006["token"]), (4, msg((1, v006["params"]["channel_name"]),
                                                                  (2, str(v006["params"]["uid"]))))))
put(req, "case-renew-zego", b"\x04" + msg((1, zego[0]["token"])))
put(req, "case-renew-easemob", b"\x04" + msg((1, easemob[0]["token"]), (3, 60)))
put(req, "case-inspect-007", b"\x05" + msg((1, v007)))
put(req, "case-inspect-006", b"\x05" + msg((1, v006["token"]), (2, "rtc"), (3, msg((1, v006["params"]["channel_name"]),
                                                                                 (2, str(v006["params"]["uid"]))))))
put(req, "case-inspect-zego", b"\x05" + msg((1, zego[0]["token"]), (2, "zim")))
put(req, "case-inspect-easemob", b"\x05" + msg((1, easemob[0]["token"])))
print("seeds written under", RES)
