package dev.tokenauthority.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ConfigReloader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads on a running mTLS server, driven poll by poll (no sleeps): a file cut off part-way that
 * still parses, and a file with a duplicate key, are refused while calls keep succeeding; a file
 * rewritten in two steps is applied only once complete, and only after two polls read it alike.
 */
@ExtendWith(LogCapture.class)
class SafeReloadTest {
  @TempDir Path dir;
  MtlsCallers callers;
  Path file;
  ConfigLoader loader;

  @BeforeEach
  void setUp() throws Exception {
    callers = new MtlsCallers(dir);
    file = dir.resolve("ta.yaml");
    loader = new ConfigLoader(callers.env()::get);
  }

  private String full(String secondRpcs) {
    return callers.yaml("", MtlsCallers.caller("first", "")
        + "  - identity: " + MtlsCallers.identity("second") + "\n    apps: [rtc]\n    rpcs: " + secondRpcs + "\n");
  }

  @Test
  void aFileCutOffBeforeItsCallersAndADuplicateKeyAreRefusedWhileCallsSucceed() throws Exception {
    String good = full("[IssueRtmToken]");
    Files.writeString(file, good);
    ServerConfig loaded = loader.load(file);
    try (TestServer server = TestServer.start(loaded, Clock.systemUTC())) {
      ConfigReloader reloader = new ConfigReloader(file.toString(), () -> loader.load(file), server.server().config(),
          loaded);
      TokenAuthorityServiceBlockingStub first = server.stub(callers.channel(server, "first"));
      ServerConfig before = server.server().config().get();

      // Everything from "callers:" on is missing, and what is left is valid YAML.
      Files.writeString(file, good.substring(0, good.indexOf("callers:")));
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.REFUSED);
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.REFUSED);
      assertThat(server.server().config().get()).isSameAs(before);
      assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l).contains("configuration reload refused",
          "no callers", "still serving the last good configuration"));
      assertThat(MtlsCallers.rtm(first, "u1")).startsWith("007");

      // A key given twice: neither entry is guessed at.
      Files.writeString(file, good.replace("apps:\n", "renewal: {grace_seconds: 5}\nrenewal: {grace_seconds: 9}\napps:\n"));
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.REFUSED);
      assertThat(server.server().config().get()).isSameAs(before);
      assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l).contains("configuration reload refused",
          "renewal: is given twice"));
      assertThat(MtlsCallers.rtm(first, "u2")).startsWith("007");

      Files.writeString(file, good);
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
    }
  }

  @Test
  void aFileRewrittenInTwoStepsIsAppliedOnlyOnceComplete() throws Exception {
    Files.writeString(file, full("[IssueRtmToken]"));
    ServerConfig loaded = loader.load(file);
    try (TestServer server = TestServer.start(loaded, Clock.systemUTC())) {
      ConfigReloader reloader = new ConfigReloader(file.toString(), () -> loader.load(file), server.server().config(),
          loaded);
      TokenAuthorityServiceBlockingStub second = server.stub(callers.channel(server, "second"));
      String complete = full("[IssueRtmToken, InspectToken]");

      // Step 1: the writer has got as far as the first caller (valid YAML, second caller missing).
      Files.writeString(file, complete.substring(0, complete.indexOf("  - identity: " + MtlsCallers.identity("second"))));
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING);
      assertThat(MtlsCallers.rtm(second, "s1")).as("the half file was not applied").startsWith("007");

      // Step 2: the rest. Read once: pending; read alike again: applied.
      Files.writeString(file, complete);
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING);
      assertThat(reason(() -> second.inspectToken(InspectTokenRequest.newBuilder().setToken("x").build())))
          .isEqualTo("RPC_NOT_ALLOWED");
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);
      assertThat(server.server().config().get().caller(MtlsCallers.identity("second")).orElseThrow()
          .allowsRpc("InspectToken")).isTrue();
      assertThat(reason(() -> second.inspectToken(InspectTokenRequest.newBuilder().setToken("x").build())))
          .isNotEqualTo("RPC_NOT_ALLOWED");
      assertThat(MtlsCallers.rtm(second, "s2")).startsWith("007");
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
    }
  }

  private static String reason(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).isNotNull();
    return Errors.of(e).reason();
  }
}
