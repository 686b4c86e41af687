package dev.tokenauthority.server.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Logs, the audit stream, metrics and tracing (the {@code logging}, {@code audit}, {@code metrics}
 * and {@code tracing} sections; docs/observability.md). Read at start only: a reload that changes
 * them is reported as needing a restart.
 */
public record ObservabilityConfig(Logging logging, Audit audit, Metrics metrics, Tracing tracing) {
  public ObservabilityConfig {
    Objects.requireNonNull(logging);
    Objects.requireNonNull(audit);
    Objects.requireNonNull(metrics);
    Objects.requireNonNull(tracing);
  }

  /** A configuration file without these sections: INFO plain logs, audit on stderr, no metrics listener. */
  public static ObservabilityConfig defaults() {
    return new ObservabilityConfig(Logging.DEFAULT, Audit.DEFAULT, Metrics.OFF, Tracing.OFF);
  }

  /** The development default: like {@link #defaults()}, plus metrics on a free loopback port. */
  public static ObservabilityConfig development() {
    return new ObservabilityConfig(Logging.DEFAULT, Audit.DEFAULT,
        new Metrics(Optional.of(new ServerConfig.Listen("127.0.0.1", 0))), Tracing.OFF);
  }

  public ObservabilityConfig withMetrics(Metrics m) {
    return new ObservabilityConfig(logging, audit, m, tracing);
  }

  public enum LogFormat {
    PLAIN,
    JSON
  }

  /** @param level a Logback level name (TRACE, DEBUG, INFO, WARN, ERROR, OFF) */
  public record Logging(String level, LogFormat format) {
    public static final Logging DEFAULT = new Logging("INFO", LogFormat.PLAIN);
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /**
     * The level a config value or system property names, refused naming {@code key}; shared so
     * {@code -Dtokenauthority.log.level=verbos} is refused like the file's key, not ignored.
     */
    public static String level(String key, String value) {
      String level = value.toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw new ConfigException(key, "must be trace, debug, info, warn, error or off, got '" + value + "'"
            + (value.equals("false") ? " (YAML reads a bare off as false: write \"off\")" : ""));
      }
      return level;
    }

    /** The format a config value or system property names, refused naming {@code key}. */
    public static LogFormat format(String key, String value) {
      return switch (value) {
        case "plain" -> LogFormat.PLAIN;
        case "json" -> LogFormat.JSON;
        default -> throw new ConfigException(key, "must be plain or json, got '" + value + "'");
      };
    }
  }

  public enum AuditSink {
    STDERR,
    STDOUT,
    FILE
  }

  /** What a request does when the audit queue is full. */
  public enum AuditOverflow {
    /** Waits for room: no line is lost, calls slow down with the disk. */
    BLOCK,
    /** Drops the line and counts it (tokenauthority_audit_dropped_total): calls never wait. */
    DROP
  }

  /**
   * @param file where {@link AuditSink#FILE} writes, rotated daily and at {@code maxFileBytes}
   * @param maxHistoryDays rotated files older than this are deleted
   */
  public record Audit(
      AuditSink sink, Optional<AuditFile> file, int queueSize, AuditOverflow overflow) {
    public static final Audit DEFAULT = new Audit(AuditSink.STDERR, Optional.empty(), 8192, AuditOverflow.BLOCK);
  }

  public record AuditFile(Path path, long maxFileBytes, int maxHistoryDays) {}

  /** @param listen where /metrics is served over plain HTTP; empty = not served */
  public record Metrics(Optional<ServerConfig.Listen> listen) {
    public static final Metrics OFF = new Metrics(Optional.empty());
  }

  /**
   * @param enabled server spans per RPC and client spans per vendor REST call
   * @param sampleRatio share of new traces sampled (a caller's sampled flag is honoured)
   */
  public record Tracing(boolean enabled, double sampleRatio) {
    public static final Tracing OFF = new Tracing(false, 1.0);
  }
}
