"""A small Python client for the Token Authority service (tokenauthority.v1).

Builds a channel the way the service expects to be called: mutual TLS from PEM files (or
plaintext against the loopback development default), round_robin over every resolved address and
UNAVAILABLE retried by gRPC itself through a service config, and a default deadline on every
call. The generated stubs must be importable: run ./generate_stubs.sh and put ./generated on
sys.path (this module does it when it can).
"""

import json
import os
import sys

import grpc

_HERE = os.path.dirname(os.path.abspath(__file__))
_GENERATED = os.path.join(_HERE, "generated")
if os.path.isdir(_GENERATED) and _GENERATED not in sys.path:
    sys.path.insert(0, _GENERATED)

from tokenauthority.v1 import token_authority_pb2 as pb  # noqa: E402
from tokenauthority.v1 import token_authority_pb2_grpc as pb_grpc  # noqa: E402

SERVICE = "tokenauthority.v1.TokenAuthorityService"


def service_config(max_attempts=4):
    """round_robin over every address the target resolves to (a headless Service's pods behind
    dns:///; pick_first would pin every call to one pod), and UNAVAILABLE (server restarting,
    connection lost) retried with jittered exponential backoff."""
    return {
        "loadBalancingConfig": [{"round_robin": {}}],
        "methodConfig": [{
            "name": [{"service": SERVICE}],
            "retryPolicy": {
                "maxAttempts": max_attempts,
                "initialBackoff": "0.2s",
                "maxBackoff": "2s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }]
    }


def create_channel(target, ca_file=None, cert_file=None, key_file=None, max_attempts=4):
    """A channel to `target`; with ca_file (and normally cert_file + key_file) it uses (m)TLS."""
    options = [
        ("grpc.enable_retries", 1),
        ("grpc.service_config", json.dumps(service_config(max_attempts))),
    ]
    if ca_file is None:
        return grpc.insecure_channel(target, options=options)

    def read(path):
        if path is None:
            return None
        with open(path, "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(ca_file),
        private_key=read(key_file),
        certificate_chain=read(cert_file),
    )
    return grpc.secure_channel(target, credentials, options=options)


class TokenAuthorityClient:
    """The six RPCs with a default deadline (seconds). Errors raise grpc.RpcError."""

    def __init__(self, channel, timeout=10.0):
        self._channel = channel
        self._stub = pb_grpc.TokenAuthorityServiceStub(channel)
        self._timeout = timeout

    def issue_rtc_token(self, request, timeout=None):
        return self._stub.IssueRtcToken(request, timeout=timeout or self._timeout)

    def issue_rtm_token(self, request, timeout=None):
        return self._stub.IssueRtmToken(request, timeout=timeout or self._timeout)

    def issue_chat_token(self, request, timeout=None):
        return self._stub.IssueChatToken(request, timeout=timeout or self._timeout)

    def issue_zim_token(self, request, timeout=None):
        return self._stub.IssueZimToken(request, timeout=timeout or self._timeout)

    def renew_token(self, request, timeout=None):
        return self._stub.RenewToken(request, timeout=timeout or self._timeout)

    def inspect_token(self, request, timeout=None):
        return self._stub.InspectToken(request, timeout=timeout or self._timeout)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
