"""The client's channel spreads calls over every address its target resolves to (round_robin),
as a headless Service's dns:/// name resolves to every ready pod. Two in-process Python servers
on loopback behind one `ipv4:` target that lists both; pick_first would send every call to one.
Needs no Token Authority server. Run by ../scripts/polyglot-test.sh.
"""

import threading
import unittest
from concurrent import futures

import grpc

from tokenauthority_client import TokenAuthorityClient, create_channel, pb, pb_grpc


class CountingService(pb_grpc.TokenAuthorityServiceServicer):
    def __init__(self):
        self.calls = 0
        self._lock = threading.Lock()

    def InspectToken(self, request, context):
        with self._lock:
            self.calls += 1
        return pb.InspectTokenResponse()


class LoadBalancingTest(unittest.TestCase):
    def setUp(self):
        self.services, self.servers, ports = [], [], []
        for _ in range(2):
            service = CountingService()
            server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
            pb_grpc.add_TokenAuthorityServiceServicer_to_server(service, server)
            ports.append(server.add_insecure_port("127.0.0.1:0"))
            server.start()
            self.services.append(service)
            self.servers.append(server)
        self.target = "ipv4:" + ",".join("127.0.0.1:%d" % p for p in ports)

    def tearDown(self):
        for server in self.servers:
            server.stop(None)

    def test_calls_reach_every_resolved_address(self):
        with TokenAuthorityClient(create_channel(self.target), timeout=10) as client:
            # round_robin picks only READY connections: allow a bounded number of calls for the
            # second one to become ready.
            for _ in range(200):
                if all(s.calls for s in self.services):
                    break
                client.inspect_token(pb.InspectTokenRequest(token="x"))
            before = [s.calls for s in self.services]
            for _ in range(10):
                client.inspect_token(pb.InspectTokenRequest(token="x"))
            self.assertEqual([5, 5], [s.calls - b for s, b in zip(self.services, before)])


if __name__ == "__main__":
    unittest.main()
