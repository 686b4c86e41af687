package dev.tokenauthority.server.testing;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.tokens.TokenEngine;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server over mTLS with one app per vendor (rtc: Agora, zim: ZEGO, im: Easemob) and the
 * caller spiffe://test.example/full allowed everything; tests add callers and settings as YAML.
 * Stubs get a fresh deadline per call.
 */
public final class MtlsServer implements AutoCloseable {
  public static final String FULL = "spiffe://test.example/full";

  private final TestServer server;
  private final TestPki pki;
  private final Map<String, ManagedChannel> channels = new HashMap<>();

  private MtlsServer(TestServer server, TestPki pki) {
    this.server = server;
    this.pki = pki;
  }

  /**
   * @param callers YAML list items appended to {@code callers:} (indented by two spaces), or ""
   * @param settings top-level YAML appended to the file, or ""
   */
  public static MtlsServer start(Path dir, Clock clock, TokenEngine engine, String callers, String settings)
      throws Exception {
    TestPki pki = TestPki.create(dir, "main");
    pki.server("server");
    Map<String, String> env = Map.of("RTC_CERT", TestCredentials.hex32(), "ZEGO_SECRET", TestCredentials.hex32(),
        "EM_SECRET", TestCredentials.easemobSecret());
    String yaml = """
        listen: {address: 127.0.0.1, port: 0}
        tls:
          certificate_file: server.pem
          private_key_file: server-key.pem
          client_ca_file: main-ca.pem
          client_auth: required
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC_CERT}}
          zim: {vendor: zego, app_id: 1234567, server_secret: {env: ZEGO_SECRET}}
          im: {vendor: easemob, app_key: org1#im, client_id: YXA6clientid, client_secret: {env: EM_SECRET}}
        callers:
          - identity: %s
            apps: ["*"]
            rpcs: ["*"]
        %s
        %s
        """.formatted(TestCredentials.hex32(), FULL, callers, settings);
    return new MtlsServer(TestServer.start(new ConfigLoader(env::get).parse(yaml, dir), clock, engine), pki);
  }

  public TestServer server() {
    return server;
  }

  /** A stub for a client certificate with this SPIFFE id, with a fresh deadline. */
  public TokenAuthorityServiceBlockingStub stub(String spiffeId) throws Exception {
    ManagedChannel ch = channels.get(spiffeId);
    if (ch == null) {
      String name = "client" + channels.size();
      ch = server.tlsChannel(pki.caFile(), pki.client(name, spiffeId, null, name));
      channels.put(spiffeId, ch);
    }
    return server.stub(ch);
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
