package dev.tokenauthority.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.tokenauthority.server.config.ConfigException;
import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.config.ObservabilityConfig.LogFormat;
import dev.tokenauthority.server.config.ObservabilityConfig.Logging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Level and format overrides, and the loggers that must stay quiet at DEBUG (a context of its own). */
class LogSetupTest {
  private static final Logging FILE = new Logging("WARN", LogFormat.PLAIN);

  @Test
  void systemPropertiesWinOverTheFile() {
    Logging l = LogSetup.withOverrides(FILE,
        Map.of(LogSetup.LEVEL_PROPERTY, "debug", LogSetup.FORMAT_PROPERTY, "json")::get);
    assertThat(l).isEqualTo(new Logging("DEBUG", LogFormat.JSON));
    assertThat(LogSetup.withOverrides(FILE, k -> null)).isEqualTo(FILE);
  }

  @Test
  void aBadPropertyIsRefusedNamingIt() {
    assertThatThrownBy(() -> LogSetup.withOverrides(FILE, Map.of(LogSetup.LEVEL_PROPERTY, "verbose")::get))
        .isInstanceOf(ConfigException.class)
        .hasMessage("-Dtokenauthority.log.level: must be trace, debug, info, warn, error or off, got 'verbose'");
    assertThatThrownBy(() -> LogSetup.withOverrides(FILE, Map.of(LogSetup.FORMAT_PROPERTY, "xml")::get))
        .isInstanceOf(ConfigException.class)
        .hasMessage("-Dtokenauthority.log.format: must be plain or json, got 'xml'");
  }

  @Test
  void anAuditFileThatCannotBeOpenedStopsStartUp(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    Path audit = notADirectory.resolve("audit.jsonl");
    try {
      assertThatThrownBy(() -> LogSetup.routeAudit(new ObservabilityConfig.Audit(ObservabilityConfig.AuditSink.FILE,
          Optional.of(new ObservabilityConfig.AuditFile(audit, 1024 * 1024, 7)), 64,
          ObservabilityConfig.AuditOverflow.BLOCK)))
          .isInstanceOf(ConfigException.class)
          .hasMessage("audit.file.path: cannot open " + audit + " for writing");
    } finally {
      LogSetup.unrouteAudit();
    }
  }

  @Test
  void debugLeavesTheHttp2FrameLoggersAtInfo() {
    LoggerContext ctx = new LoggerContext();
    LogSetup.applyLevel(ctx, Level.DEBUG);
    assertThat(ctx.getLogger("dev.tokenauthority.server.Anything").isDebugEnabled()).isTrue();
    for (String frames : LogSetup.WIRE_LOGGERS) {
      assertThat(ctx.getLogger(frames).isDebugEnabled()).as(frames).isFalse();
      assertThat(ctx.getLogger(frames).isInfoEnabled()).as(frames).isTrue();
    }
    LogSetup.applyLevel(ctx, Level.WARN); // above INFO they follow the root again
    assertThat(ctx.getLogger(LogSetup.WIRE_LOGGERS.get(0)).isInfoEnabled()).isFalse();
  }
}
