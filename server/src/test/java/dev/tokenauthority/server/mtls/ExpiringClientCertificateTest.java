package dev.tokenauthority.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client certificate that expires while its TLS connection (or a resumable TLS session) lives
 * on. The handshake checks validity only once, so without a per-call check a connection opened
 * before expiry keeps calling afterwards, and a resumed session carries the old certificate into
 * a new connection. Every call must be refused once the certificate has expired.
 */
@ExtendWith(LogCapture.class)
class ExpiringClientCertificateTest {
  static final String IDENTITY = "spiffe://test.example/short-lived";

  @TempDir Path dir;

  @Test
  void anExpiredClientCertificateCannotKeepCallingOnAnOpenConnectionOrAResumedSession() throws Exception {
    TestPki pki = TestPki.create(dir, "exp");
    pki.server("server");
    String yaml = """
        listen: {address: 127.0.0.1, port: 0}
        tls:
          certificate_file: server.pem
          private_key_file: server-key.pem
          client_ca_file: exp-ca.pem
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC_CERT}}
        callers:
          - identity: %s
            apps: ["*"]
            rpcs: ["*"]
        """.formatted(TestCredentials.hex32(), IDENTITY);
    try (TestServer server = TestServer.start(yaml, Map.of("RTC_CERT", TestCredentials.hex32()), dir,
        Clock.systemUTC())) {
      // Issued last, so that start-up time does not eat into its few seconds of validity.
      Instant notAfter = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
      TestPki.Issued shortLived = pki.client("short", IDENTITY, null, "short", notAfter);
      ManagedChannel open = server.tlsChannel(pki.caFile(), shortLived);
      SslContext shared = GrpcSslContexts.forClient().trustManager(pki.caFile().toFile())
          .keyManager(shortLived.certificate().toFile(), shortLived.privateKey().toFile()).build();
      ManagedChannel resumer = resumable(server.port(), shared);

      assertThat(rtm(open)).as("first call, certificate valid").isNotEmpty();
      assertThat(rtm(resumer)).as("first call on a channel whose TLS sessions can be resumed").isNotEmpty();

      // A short fixed wait is the point of this test: the certificate must really expire.
      Duration untilExpired = Duration.between(Instant.now(), notAfter.plusMillis(1500));
      if (!untilExpired.isNegative()) {
        Thread.sleep(untilExpired.toMillis());
      }
      resumer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

      // The connection opened while the certificate was valid is still up: refused per call.
      StatusRuntimeException sameConnection = catchThrowableOfType(StatusRuntimeException.class, () -> rtm(open));
      assertThat(sameConnection).as("a call on the open connection after expiry").isNotNull();
      assertThat(Errors.of(sameConnection).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(Errors.of(sameConnection).reason()).isEqualTo("CLIENT_CERTIFICATE_EXPIRED");
      // The refusal is audited under the name the (once verified) certificate carries.
      assertThat(LogCapture.lines()).filteredOn(l -> l.startsWith("{\"time\"")).anySatisfy(l -> assertThat(l)
          .contains("\"caller\":\"" + IDENTITY + "\"", "\"rpc\":\"IssueRtmToken\"",
              "\"outcome\":\"UNAUTHENTICATED\"", "\"reason\":\"CLIENT_CERTIFICATE_EXPIRED\""));

      // A new connection that resumes the earlier TLS session: no certificate check in the
      // handshake (with grpc-netty-shaded's BoringSSL the session is resumed, and before the
      // per-call check this call succeeded), so the per-call check must refuse it. Should a
      // future TLS stack not resume, the full handshake refuses the certificate instead.
      StatusRuntimeException resumed = catchThrowableOfType(StatusRuntimeException.class,
          () -> rtm(resumable(server.port(), shared)));
      assertThat(resumed).as("a call on a new connection resuming the session").isNotNull();
      Errors.Seen seen = Errors.of(resumed);
      assertThat(seen.code()).isIn(Status.Code.UNAUTHENTICATED, Status.Code.UNAVAILABLE);
      if (seen.code() == Status.Code.UNAUTHENTICATED) {
        assertThat(seen.reason()).isEqualTo("CLIENT_CERTIFICATE_EXPIRED");
      }

      // A new channel with its own TLS context: full handshake, which refuses the certificate.
      StatusRuntimeException fresh = catchThrowableOfType(StatusRuntimeException.class,
          () -> rtm(server.tlsChannel(pki.caFile(), shortLived)));
      assertThat(fresh).as("a call on a new channel").isNotNull();
      assertThat(fresh.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  private static ManagedChannel resumable(int port, SslContext shared) {
    return NettyChannelBuilder.forAddress("localhost", port).sslContext(shared).build();
  }

  private static String rtm(ManagedChannel ch) {
    return TokenAuthorityServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
        .issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u1").build())
        .getIssuedToken().getToken();
  }
}
