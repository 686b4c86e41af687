package dev.tokenauthority.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.audit.BatchedConsoleStream;
import dev.tokenauthority.server.config.ConfigException;
import dev.tokenauthority.server.config.ObservabilityConfig;
import dev.tokenauthority.server.config.ObservabilityConfig.LogFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging through SLF4J and Logback. The default ({@link DefaultLogConfigurator}) writes one plain line per
 * event to stderr; {@link #install()} bridges java.util.logging (grpc-java's logger, and our older
 * classes) into it, and {@link #apply} sets level and format from the config file and gives the
 * audit stream (logger {@value AuditLog#LOGGER_NAME}) its own appender: stderr, stdout or a rotated
 * file, JSON lines only.
 *
 * <p>System properties win over the file: {@code -Dtokenauthority.log.level=debug},
 * {@code -Dtokenauthority.log.format=json}. With {@code -Dlogback.configurationFile} the operator's
 * Logback file rules alone and nothing here touches Logback.
 */
public final class LogSetup {
  private static final String LOG_MANAGER_PROPERTY = "java.util.logging.manager";
  public static final String LEVEL_PROPERTY = "tokenauthority.log.level";
  public static final String FORMAT_PROPERTY = "tokenauthority.log.format";
  /** One line per event, a stack trace folded into it with " | ". */
  public static final String PLAIN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %level %logger: "
      + "%replace(%msg){'[\\r\\n]+',' '}%replace(%replace(%ex{full}){'[\\r\\n]+\\s*',' | '}){'^(.)',' | $1'}%nopex%n";
  static final String APPENDER = "STDERR";
  static final String AUDIT_APPENDER = "AUDIT";
  static final List<String> WIRE_LOGGERS = List.of(
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
      "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler");

  private LogSetup() {}

  /**
   * Selects {@link DeferredResetLogManager} unless the operator named a LogManager. Must run before
   * anything creates a logger, and lives here rather than in that class: touching a LogManager
   * subclass initializes LogManager itself, which reads the property too early.
   */
  public static void selectLogManager() {
    if (System.getProperty(LOG_MANAGER_PROPERTY) == null) {
      System.setProperty(LOG_MANAGER_PROPERTY, DeferredResetLogManager.class.getName());
    }
  }

  /** Routes java.util.logging into SLF4J and applies the system-property overrides. */
  public static void install() {
    bridgeJul();
    if (operatorOwnsLogback()) {
      return;
    }
    LoggerContext ctx = context();
    if (ctx.getCopyOfListenerList().stream().noneMatch(l -> l instanceof LevelChangePropagator)) {
      LevelChangePropagator p = new LevelChangePropagator();
      p.setContext(ctx);
      p.setResetJUL(true);
      p.start();
      ctx.addListener(p);
    }
    applyLogging(ObservabilityConfig.Logging.DEFAULT);
  }

  /** Hands every java.util.logging record (grpc-java's, our older classes') to SLF4J. Idempotent. */
  public static void bridgeJul() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Level and format of the logs, and where audit lines go, from the config (system properties win). */
  public static void apply(ObservabilityConfig config) {
    if (operatorOwnsLogback()) {
      return;
    }
    applyLogging(config.logging());
    routeAudit(config.audit());
  }

  private static void applyLogging(ObservabilityConfig.Logging fromFile) {
    ObservabilityConfig.Logging logging = withOverrides(fromFile, System::getProperty);
    LoggerContext ctx = context();
    applyLevel(ctx, Level.toLevel(logging.level()));
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> old = root.getAppender(APPENDER);
    if (old != null) {
      root.detachAppender(old);
      old.stop();
    }
    root.addAppender(console(ctx, APPENDER, "System.err", logging.format() == LogFormat.JSON
        ? jsonEncoder(ctx) : patternEncoder(ctx, PLAIN_PATTERN)));
  }

  /**
   * The file's level and format with the system properties applied; a bad property is refused
   * naming it, like a bad key in the file (it used to be ignored or to fail without naming it).
   */
  static ObservabilityConfig.Logging withOverrides(
      ObservabilityConfig.Logging fromFile, UnaryOperator<String> properties) {
    String level = Optional.ofNullable(properties.apply(LEVEL_PROPERTY))
        .map(v -> ObservabilityConfig.Logging.level("-D" + LEVEL_PROPERTY, v)).orElse(fromFile.level());
    LogFormat format = Optional.ofNullable(properties.apply(FORMAT_PROPERTY))
        .map(v -> ObservabilityConfig.Logging.format("-D" + FORMAT_PROPERTY, v)).orElse(fromFile.format());
    return new ObservabilityConfig.Logging(level, format);
  }

  /**
   * Sets the root level, but keeps grpc-netty's HTTP/2 frame loggers at INFO or above: at DEBUG they
   * dump the first bytes of every request and response body, which hold tokens.
   */
  static void applyLevel(LoggerContext ctx, Level level) {
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
    Level wire = level.isGreaterOrEqual(Level.INFO) ? null : Level.INFO; // null: inherit the root's
    for (String name : WIRE_LOGGERS) {
      ctx.getLogger(name).setLevel(wire);
    }
  }

  /**
   * The audit logger's own appender; not additive, so audit lines never mix into the log format.
   * Written by one thread (the audit writer), so the request path never waits on this appender.
   */
  public static void routeAudit(ObservabilityConfig.Audit audit) {
    LoggerContext ctx = context();
    ch.qos.logback.classic.Logger logger = ctx.getLogger(AuditLog.LOGGER_NAME);
    Appender<ILoggingEvent> old = logger.getAppender(AUDIT_APPENDER);
    if (old != null) {
      logger.detachAppender(old);
      old.stop();
    }
    Encoder<ILoggingEvent> lineOnly = patternEncoder(ctx, "%msg%n");
    // Not flushed per line: the audit writer flushes after each batch (AuditWriter.flushSink).
    OutputStreamAppender<ILoggingEvent> appender = switch (audit.sink()) {
      case STDERR -> batchedConsole(ctx, false, lineOnly);
      case STDOUT -> batchedConsole(ctx, true, lineOnly);
      case FILE -> rollingFile(ctx, audit.file().orElseThrow(), lineOnly);
    };
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  /** Gives the audit logger back to the root's appenders (tests that routed it elsewhere). */
  public static void unrouteAudit() {
    ch.qos.logback.classic.Logger logger = context().getLogger(AuditLog.LOGGER_NAME);
    Appender<ILoggingEvent> old = logger.getAppender(AUDIT_APPENDER);
    if (old != null) {
      logger.detachAppender(old);
      old.stop();
    }
    logger.setAdditive(true);
    logger.setLevel(null);
  }

  private static RollingFileAppender<ILoggingEvent> rollingFile(
      LoggerContext ctx, ObservabilityConfig.AuditFile file, Encoder<ILoggingEvent> encoder) {
    RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
    a.setContext(ctx);
    a.setName(AUDIT_APPENDER);
    a.setFile(file.path().toString());
    a.setEncoder(encoder);
    a.setImmediateFlush(false);
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
    policy.setContext(ctx);
    policy.setParent(a);
    // Daily, and within a day whenever the file reaches the size; old files compressed.
    policy.setFileNamePattern(file.path() + ".%d{yyyy-MM-dd}.%i.gz");
    policy.setMaxFileSize(new FileSize(file.maxFileBytes()));
    policy.setMaxHistory(file.maxHistoryDays());
    policy.start();
    a.setRollingPolicy(policy);
    a.start();
    if (!a.isStarted()) {
      // Logback only records the failure in its status list: the server would run and lose every line.
      policy.stop();
      throw new ConfigException("audit.file.path", "cannot open " + file.path() + " for writing");
    }
    return a;
  }

  private static OutputStreamAppender<ILoggingEvent> batchedConsole(
      LoggerContext ctx, boolean stdout, Encoder<ILoggingEvent> encoder) {
    OutputStreamAppender<ILoggingEvent> a = new OutputStreamAppender<>();
    a.setContext(ctx);
    a.setName(AUDIT_APPENDER);
    a.setEncoder(encoder);
    a.setImmediateFlush(false);
    a.setOutputStream(new BatchedConsoleStream(stdout));
    a.start();
    return a;
  }

  static ConsoleAppender<ILoggingEvent> console(
      LoggerContext ctx, String name, String target, Encoder<ILoggingEvent> encoder) {
    ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
    a.setContext(ctx);
    a.setName(name);
    a.setTarget(target);
    a.setEncoder(encoder);
    a.start();
    return a;
  }

  /** The plain encoder; public so tests render captured events exactly as the server does. */
  public static PatternLayoutEncoder patternEncoder(LoggerContext ctx, String pattern) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(ctx);
    e.setPattern(pattern);
    e.start();
    return e;
  }

  private static JsonEncoder jsonEncoder(LoggerContext ctx) {
    JsonEncoder e = new JsonEncoder();
    e.setContext(ctx);
    e.start();
    return e;
  }

  private static boolean operatorOwnsLogback() {
    return System.getProperty("logback.configurationFile") != null;
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
