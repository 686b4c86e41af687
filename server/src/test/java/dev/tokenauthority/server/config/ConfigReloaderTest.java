package dev.tokenauthority.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reloads apply what changed, refuse what does not load, and keep what needs a restart. */
@ExtendWith(LogCapture.class)
class ConfigReloaderTest {
  static final String APP_ID = TestCredentials.hex32();
  static final String CERT = TestCredentials.hex32();

  @TempDir Path dir;
  Path file;
  ConfigLoader loader = new ConfigLoader(Map.of("CERT", CERT)::get);
  ConfigHolder holder;
  ConfigReloader reloader;

  @BeforeEach
  void start() throws Exception {
    LogCapture.registerSecret(CERT);
    file = dir.resolve("ta.yaml");
    Files.writeString(dir.resolve("rtc2.secret"), TestCredentials.hex32() + "\n");
    write(config(6000, "[IssueRtcToken]", 0));
    ServerConfig loaded = loader.load(file);
    // As serve --port 0 would run it: the override is not in the file.
    holder = new ConfigHolder(loaded.withListen(new ServerConfig.Listen("127.0.0.1", 43210)));
    reloader = new ConfigReloader(file.toString(), () -> loader.load(file), holder, loaded);
  }

  @Test
  void anUnchangedFileKeepsTheSameSnapshot() {
    ServerConfig before = holder.get();
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
    assertThat(holder.get()).isSameAs(before);
  }

  @Test
  void aPolicyChangeIsAppliedAndTheRunningListenerStays() throws Exception {
    write(config(6000, "[IssueRtcToken, RenewToken]", 45));
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING);
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);
    assertThat(holder.get().caller("local").orElseThrow().allowsRpc("RenewToken")).isTrue();
    assertThat(holder.get().renewalGrace()).isEqualTo(Duration.ofSeconds(45));
    assertThat(holder.get().listen().port()).as("the command-line override still holds").isEqualTo(43210);
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
    assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
        .contains("configuration reloaded from " + file).contains("callers 1 (added [], removed [], changed [local])"));
  }

  @Test
  void aChangedListenAddressWaitsForARestartWhileTheRestApplies() throws Exception {
    write(config(7000, "[IssueRtcToken, InspectToken]", 0));
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING);
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);
    assertThat(holder.get().listen().port()).isEqualTo(43210);
    assertThat(holder.get().caller("local").orElseThrow().allowsRpc("InspectToken")).isTrue();
    assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
        .contains("WARN", "configuration reload: listen changed", "only after a restart"));
  }

  @Test
  void aFileThatDoesNotLoadIsRefusedNamingTheKeyAndTheOldSnapshotStays() throws Exception {
    ServerConfig before = holder.get();
    write(config(6000, "[IssueRtcToken]", 0) + "limitz: {}\n");
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.REFUSED);
    assertThat(holder.get()).isSameAs(before);
    assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
        .contains("configuration reload refused", "limitz"));
    long warnings = LogCapture.lines().stream().filter(l -> l.contains("configuration reload refused")).count();
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.REFUSED);
    assertThat(LogCapture.lines().stream().filter(l -> l.contains("configuration reload refused")).count())
        .as("the same mistake is not repeated on every poll").isEqualTo(warnings);

    write(config(6000, "[IssueRtcToken]", 0));
    assertThat(reloader.reloadNow()).as("the good file again is no change").isEqualTo(ConfigReloader.Outcome.UNCHANGED);
  }

  @Test
  void aRotatedCredentialFileAloneIsAChangeAndTheLogNamesOnlyTheApp() throws Exception {
    String rotated = TestCredentials.hex32();
    LogCapture.registerSecret(rotated);
    Files.writeString(dir.resolve("rtc2.secret"), rotated + "\n");
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING);
    assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);
    assertThat(holder.get().app("rtc2").orElseThrow().primary().reveal()).isEqualTo(rotated);
    assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
        .contains("apps 2 (added [], removed [], changed [rtc2])"));
  }

  @Test
  void pollingPicksUpAChangeWithoutBeingAsked() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      reloader.pollEvery(Duration.ofMillis(50), scheduler);
      write(config(6000, "[IssueRtcToken, IssueRtmToken]", 0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!holder.get().caller("local").orElseThrow().allowsRpc("IssueRtmToken") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(holder.get().caller("local").orElseThrow().allowsRpc("IssueRtmToken")).isTrue();
    } finally {
      reloader.close();
      scheduler.shutdownNow();
    }
  }

  private String config(int port, String rpcs, int graceSeconds) {
    return """
        listen: {address: 127.0.0.1, port: %d}
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: CERT}}
          rtc2: {vendor: agora, app_id: %s, certificate: {file: rtc2.secret}}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: %s
        renewal: {grace_seconds: %d}
        """.formatted(port, APP_ID, APP_ID, rpcs, graceSeconds);
  }

  /** Replaces the file in one step, as editors and Kubernetes do. */
  private void write(String yaml) throws Exception {
    Path tmp = dir.resolve("ta.yaml.tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
