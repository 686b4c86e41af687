package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/examples/token-authority.yaml loads as documented (with its files and variables supplied). */
class ExampleConfigTest {
  @TempDir Path dir;

  @Test
  void theDocumentedExampleLoads() throws Exception {
    Path example = Path.of("").toAbsolutePath().getParent().resolve("docs/examples/token-authority.yaml");
    Path copy = dir.resolve("token-authority.yaml");
    Files.copy(example, copy);
    Path tls = Files.createDirectories(dir.resolve("tls"));
    TestPki.create(tls, "clients").server("server");
    Files.createDirectories(dir.resolve("secrets"));
    // Fresh credentials, registered with LogCapture like every configured secret.
    Files.writeString(dir.resolve("secrets/game-agora-old-certificate"), TestCredentials.hex32() + "\n");
    Map<String, String> env = Map.of(
        "GAME_AGORA_CERTIFICATE", TestCredentials.hex32(),
        "GAME_ZEGO_SERVER_SECRET", TestCredentials.hex32(),
        "SUPPORT_EASEMOB_CLIENT_SECRET", TestCredentials.easemobSecret());
    ServerConfig c = new ConfigLoader(env::get).load(copy);
    assertThat(c.tls()).isPresent();
    assertThat(c.listen().host()).isEqualTo("0.0.0.0");
    assertThat(c.apps()).containsOnlyKeys("game-rtc", "game-zim", "support-im");
    assertThat(c.apps().get("game-rtc").credentials()).hasSize(2);
    assertThat(c.callers()).hasSize(3);
    assertThat(c.caller("viewer-gateway.example.org").orElseThrow().maxLifetimeSeconds()).isEqualTo(1800);
    assertThat(c.observability().audit().sink()).isEqualTo(ObservabilityConfig.AuditSink.FILE);
    assertThat(c.observability().metrics().listen()).contains(new ServerConfig.Listen("10.0.0.5", 9464));
    assertThat(c.observability().tracing().sampleRatio()).isEqualTo(0.1);
  }
}
