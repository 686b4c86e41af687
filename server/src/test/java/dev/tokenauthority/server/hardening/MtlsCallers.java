package dev.tokenauthority.server.hardening;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.Map;

/** An mTLS test PKI with named callers (spiffe://test.example/NAME) and the YAML to serve them. */
final class MtlsCallers {
  final TestPki pki;
  final String appId = TestCredentials.hex32();
  final String certificate = TestCredentials.hex32();
  private final Path dir;

  MtlsCallers(Path dir) throws Exception {
    this.dir = dir;
    this.pki = TestPki.create(dir, "harden");
    pki.server("server");
  }

  static String identity(String name) {
    return "spiffe://test.example/" + name;
  }

  /** The YAML of a server with one Agora app "rtc"; {@code limits} and {@code callers} are YAML blocks. */
  String yaml(String limits, String callers) {
    return """
        listen: {address: 127.0.0.1, port: 0}
        tls:
          certificate_file: server.pem
          private_key_file: server-key.pem
          client_ca_file: harden-ca.pem
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC_CERT}}
        %s
        callers:
        %s
        """.formatted(appId, limits, callers);
  }

  /** A caller entry allowed everything, with optional extra YAML lines (indented 4). */
  static String caller(String name, String extra) {
    return "  - identity: " + identity(name) + "\n    apps: [\"*\"]\n    rpcs: [\"*\"]\n" + extra;
  }

  Map<String, String> env() {
    return Map.of("RTC_CERT", certificate);
  }

  Path dir() {
    return dir;
  }

  /** A new mTLS channel presenting {@code name}'s certificate. */
  ManagedChannel channel(TestServer server, String name) throws Exception {
    TestPki.Issued issued = pki.client(name, identity(name), null, name);
    return server.tlsChannel(pki.caFile(), issued);
  }

  static String rtm(TokenAuthorityServiceBlockingStub stub, String user) {
    return stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId(user).build())
        .getIssuedToken().getToken();
  }
}
