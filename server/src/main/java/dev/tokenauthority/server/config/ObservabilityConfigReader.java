package dev.tokenauthority.server.config;

import dev.tokenauthority.server.config.ObservabilityConfig.Audit;
import dev.tokenauthority.server.config.ObservabilityConfig.AuditFile;
import dev.tokenauthority.server.config.ObservabilityConfig.AuditOverflow;
import dev.tokenauthority.server.config.ObservabilityConfig.AuditSink;
import dev.tokenauthority.server.config.ObservabilityConfig.LogFormat;
import dev.tokenauthority.server.config.ObservabilityConfig.Logging;
import dev.tokenauthority.server.config.ObservabilityConfig.Metrics;
import dev.tokenauthority.server.config.ObservabilityConfig.Tracing;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the {@code logging}, {@code audit}, {@code metrics} and {@code tracing} sections (kept apart
 * from {@link ConfigLoader} so observability settings do not crowd the token settings).
 * docs/check/check-config-reference.mjs reads the keys of this file too.
 */
final class ObservabilityConfigReader {
  private ObservabilityConfigReader() {}

  static ObservabilityConfig read(ConfigNode root, Path base, ServerConfig.Listen main,
      Optional<ServerConfig.Listen> health) {
    Logging logging = root.optChild("logging").map(ObservabilityConfigReader::logging).orElse(Logging.DEFAULT);
    Audit audit = root.optChild("audit").map(n -> audit(n, base)).orElse(Audit.DEFAULT);
    Metrics metrics = root.optChild("metrics").map(n -> metrics(n, main, health)).orElse(Metrics.OFF);
    Tracing tracing = root.optChild("tracing").map(ObservabilityConfigReader::tracing).orElse(Tracing.OFF);
    return new ObservabilityConfig(logging, audit, metrics, tracing);
  }

  private static Logging logging(ConfigNode n) {
    String level = Logging.level(n.key("level"), n.optString("level").orElse("info"));
    LogFormat format = Logging.format(n.key("format"), n.optString("format").orElse("plain"));
    n.finish();
    return new Logging(level, format);
  }

  private static Audit audit(ConfigNode n, Path base) {
    String sinkName = n.optString("sink").orElse("stderr");
    AuditSink sink = switch (sinkName) {
      case "stderr" -> AuditSink.STDERR;
      case "stdout" -> AuditSink.STDOUT;
      case "file" -> AuditSink.FILE;
      default -> throw new ConfigException(n.key("sink"), "must be stderr, stdout or file, got '" + sinkName + "'");
    };
    Optional<AuditFile> file = n.optChild("file").map(f -> auditFile(f, base));
    if (sink == AuditSink.FILE && file.isEmpty()) {
      throw new ConfigException(n.key("file") + ".path", "is required when sink is file");
    }
    if (sink != AuditSink.FILE && file.isPresent()) {
      // Otherwise the lines an operator expects in the file silently go to the console.
      throw new ConfigException(n.key("file"), "applies only with sink: file (sink is " + sinkName + ")");
    }
    int queue = (int) n.longValue("queue_size", 16, 1_048_576, Audit.DEFAULT.queueSize());
    String overflowName = n.optString("overflow").orElse("block");
    AuditOverflow overflow = switch (overflowName) {
      case "block" -> AuditOverflow.BLOCK;
      case "drop" -> AuditOverflow.DROP;
      default -> throw new ConfigException(n.key("overflow"), "must be block or drop, got '" + overflowName + "'");
    };
    n.finish();
    return new Audit(sink, file, queue, overflow);
  }

  private static AuditFile auditFile(ConfigNode n, Path base) {
    Path p = Path.of(n.string("path"));
    if (!p.isAbsolute() && base != null) {
      p = base.resolve(p);
    }
    long mb = n.longValue("max_size_mb", 1, 1_048_576, 100);
    int days = (int) n.longValue("max_history_days", 1, 3650, 14);
    n.finish();
    return new AuditFile(p, mb * 1024 * 1024, days);
  }

  /**
   * /metrics is plain HTTP and names apps and callers, so like the health listener it may bind any
   * address, but it must be its own port.
   */
  private static Metrics metrics(ConfigNode n, ServerConfig.Listen main, Optional<ServerConfig.Listen> health) {
    Optional<ServerConfig.Listen> listen = n.optChild("listen").map(l -> {
      String host = l.optString("address").orElse("127.0.0.1");
      try {
        InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        throw new ConfigException(l.key("address"), "cannot resolve '" + host + "'");
      }
      int port = (int) l.longValue("port", 0, 65535, 9464);
      if (port != 0 && (port == main.port() || health.map(h -> h.port() == port).orElse(false))) {
        throw new ConfigException(l.key("port"), "must differ from listen.port and health_listen.port");
      }
      l.finish();
      return new ServerConfig.Listen(host, port);
    });
    n.finish();
    return new Metrics(listen);
  }

  private static Tracing tracing(ConfigNode n) {
    boolean enabled = n.optBoolean("enabled").orElse(false);
    long percent = n.longValue("sample_percent", 0, 100, 100);
    n.finish();
    return new Tracing(enabled, percent / 100.0);
  }
}
