package dev.tokenauthority.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.errors.Refusal;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * client_auth: optional lets a TLS client without a certificate connect (e.g. to health and
 * reflection), but no token RPC runs without an identity: UNAUTHENTICATED CLIENT_CERTIFICATE_REQUIRED.
 */
@ExtendWith(LogCapture.class)
class OptionalClientAuthTest {
  @TempDir static Path dir;
  static TestServer server;
  static TestPki pki;
  static TestPki.Issued full;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir, "opt");
    pki.server("server");
    full = pki.client("full", "spiffe://test.example/full", null, "full");
    String yaml = """
        listen: {address: 127.0.0.1, port: 0}
        tls:
          certificate_file: server.pem
          private_key_file: server-key.pem
          client_ca_file: opt-ca.pem
          client_auth: optional
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC_CERT}}
          zim: {vendor: zego, app_id: 1234567, server_secret: {env: ZEGO_SECRET}}
          im: {vendor: easemob, app_key: org1#im, client_id: YXA6clientid, client_secret: {env: EM_SECRET}}
        callers:
          - identity: spiffe://test.example/full
            apps: ["*"]
            rpcs: ["*"]
        """.formatted(TestCredentials.hex32());
    server = TestServer.start(yaml, Map.of("RTC_CERT", TestCredentials.hex32(),
        "ZEGO_SECRET", TestCredentials.hex32(), "EM_SECRET", TestCredentials.easemobSecret()), dir, Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @MethodSource("dev.tokenauthority.server.mtls.MtlsEndToEndTest#everyRpc")
  void withoutACertificateNoRpcRunsAndTheRefusalIsAudited(Function<TokenAuthorityServiceBlockingStub, Object> call)
      throws Exception {
    TokenAuthorityServiceBlockingStub anonymous = server.stub(server.tlsChannel(pki.caFile(), null));
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> call.apply(anonymous));
    assertThat(e).isNotNull();
    Errors.Seen seen = Errors.of(e);
    assertThat(seen.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(seen.reason()).isEqualTo("CLIENT_CERTIFICATE_REQUIRED");
    assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l).startsWith("{\"time\"")
        .contains("\"caller\":\"" + Refusal.UNAUTHENTICATED + "\"", "\"reason\":\"CLIENT_CERTIFICATE_REQUIRED\""));
  }

  @Test
  void withACertificateTheCallerIsServed() throws Exception {
    TokenAuthorityServiceBlockingStub known = server.stub(server.tlsChannel(pki.caFile(), full));
    assertThat(known.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u1").build())
        .getIssuedToken().getToken()).startsWith("007");
  }
}
