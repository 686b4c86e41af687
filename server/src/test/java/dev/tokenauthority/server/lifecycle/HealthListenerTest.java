package dev.tokenauthority.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.config.ConfigException;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.PerCallDeadline;
import dev.tokenauthority.server.testing.Reflection;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plaintext health-only listener that kubelet gRPC probes use while the main port requires
 * mTLS: it answers grpc.health.v1 and nothing else, and reports NOT_SERVING while draining.
 */
@ExtendWith(LogCapture.class)
class HealthListenerTest {
  static final String SERVICE = "tokenauthority.v1.TokenAuthorityService";
  static final String CERT = TestCredentials.hex32();
  static final String APPS = """
      apps:
        rtc: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}}
      callers:
        - {identity: "spiffe://example.org/ns/prod/sa/api", apps: ["*"], rpcs: ["*"]}
      """;

  @TempDir Path dir;

  private ServerConfig mtlsConfig() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued server = pki.server("server");
    String yaml = APPS + """
        listen: {address: 127.0.0.1, port: 8443}
        tls:
          certificate_file: %s
          private_key_file: %s
          client_ca_file: %s
        health_listen: {port: 8081}
        """.formatted(server.certificate(), server.privateKey(), pki.caFile());
    return new ConfigLoader(Map.of("CERT", CERT)::get).parse(yaml, dir);
  }

  @Test
  void configuredHealthListenerIsReadWithTheMainAddressByDefault() throws Exception {
    ServerConfig cfg = mtlsConfig();
    assertThat(cfg.healthListen()).contains(new ServerConfig.Listen("127.0.0.1", 8081));
  }

  @Test
  void healthListenerMayBindBeyondLoopbackWithoutTls() {
    ServerConfig cfg = new ConfigLoader(Map.of("CERT", CERT)::get).parse(APPS + """
        health_listen: {address: 0.0.0.0, port: 8081}
        """, dir);
    assertThat(cfg.tls()).isEmpty();
    assertThat(cfg.healthListen()).contains(new ServerConfig.Listen("0.0.0.0", 8081));
  }

  @Test
  void badHealthListenValuesNameTheirKey() {
    ConfigLoader loader = new ConfigLoader(Map.of("CERT", CERT)::get);
    assertThatThrownBy(() -> loader.parse(APPS + "health_listen: {address: 127.0.0.1}\n", dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("health_listen.port");
    assertThatThrownBy(() -> loader.parse(APPS + "health_listen: {port: 50051}\n", dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("health_listen.port")
        .hasMessageContaining("listen.port");
    assertThatThrownBy(() -> loader.parse(APPS + "health_listen: {port: 8081, tls: true}\n", dir))
        .isInstanceOf(ConfigException.class).hasMessageContaining("health_listen.tls");
  }

  @Test
  void plaintextProbeSeesServingWhileTheMainPortRequiresMtls() throws Exception {
    ServerConfig cfg = mtlsConfig().withHealthListen(new ServerConfig.Listen("127.0.0.1", 0));
    try (TestServer server = TestServer.start(cfg, Clock.systemUTC())) {
      int healthPort = server.server().healthPort().orElseThrow();
      assertThat(healthPort).isNotEqualTo(server.port());
      ManagedChannel probe = plaintext(healthPort);
      try {
        var health = HealthGrpc.newBlockingStub(probe).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(SERVICE).build()).getStatus())
            .isEqualTo(ServingStatus.SERVING);

        // The token service and reflection are not reachable through this door.
        var tokens = TokenAuthorityServiceGrpc.newBlockingStub(probe).withDeadlineAfter(10, TimeUnit.SECONDS);
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
            () -> tokens.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(reflectionCode(probe)).isEqualTo(Status.Code.UNIMPLEMENTED);

        // The main port still refuses plaintext: the health door is the only plaintext one.
        ManagedChannel main = plaintext(server.port());
        try {
          StatusRuntimeException m = catchThrowableOfType(StatusRuntimeException.class,
              () -> HealthGrpc.newBlockingStub(main).withDeadlineAfter(10, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance()));
          assertThat(m.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
          main.shutdownNow();
        }
      } finally {
        probe.shutdownNow();
      }
    }
  }

  @Test
  void probeSeesNotServingOnceDrainingStarts() throws Exception {
    ServerConfig cfg = mtlsConfig().withHealthListen(new ServerConfig.Listen("127.0.0.1", 0));
    try (TestServer server = TestServer.start(cfg, Clock.systemUTC())) {
      ManagedChannel probe = plaintext(server.server().healthPort().orElseThrow());
      try {
        var health = HealthGrpc.newBlockingStub(probe).withDeadlineAfter(10, TimeUnit.SECONDS);
        server.server().beginDrain(); // what SIGTERM does first
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(SERVICE).build()).getStatus())
            .isEqualTo(ServingStatus.NOT_SERVING);
      } finally {
        probe.shutdownNow();
      }
    }
  }

  @Test
  void withoutTheKeyThereIsNoHealthListener() throws Exception {
    ServerConfig without = new ConfigLoader(Map.of("CERT", CERT)::get).parse(APPS, dir);
    assertThat(without.healthListen()).isEmpty();
    try (TestServer server = TestServer.start(without, Clock.systemUTC())) {
      assertThat(server.server().healthPort()).isEmpty();
    }
  }

  private static ManagedChannel plaintext(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .intercept(PerCallDeadline.standard()).build();
  }

  private static Status.Code reflectionCode(ManagedChannel ch) throws Exception {
    try {
      Reflection.ask(ch, ServerReflectionRequest.newBuilder().setListServices("").build());
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    }
  }
}
