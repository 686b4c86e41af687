package dev.tokenauthority.server.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.audit.AuditWriter;
import dev.tokenauthority.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the test JVM (SLF4J/Logback, and java.util.logging from gRPC and our
 * older classes through the same bridge the server installs; audit lines too), rendered as the
 * server renders it, and fails a test class if a line logged so far contains a secret some fixture
 * registered. Registered for every JUnit Jupiter class of the module by extension auto-detection
 * (META-INF/services plus junit-platform.properties); an explicit {@code @ExtendWith} still works,
 * because installing and checking are idempotent. Lines are kept for the whole run, so a secret
 * registered late is still searched for in earlier lines; each (secret, line) pair is checked once.
 *
 * <p>Fixtures register what they configure: {@link TestServer} and {@link TestCredentials} do it
 * themselves; tests with literal credentials call {@link #registerSecret} or {@link #registerSecrets}.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback {
  /** Shorter values (e.g. deliberately invalid "abc") would match unrelated text; no real secret is. */
  private static final int MIN_SECRET_LENGTH = 8;
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static final List<String> LINES = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Per secret, how many of {@link #LINES} have been searched for it already. */
  private static final Map<String, Integer> SEARCHED = new HashMap<>();
  private static final Set<Class<?>> COVERED = ConcurrentHashMap.newKeySet();
  private static final String APPENDER = "log-capture";
  private static final Capture CAPTURE = new Capture();

  /** Renders like the server: the plain log line, or an audit line as it is. */
  private static final class Capture extends AppenderBase<ILoggingEvent> {
    private PatternLayoutEncoder plain;

    @Override
    protected void append(ILoggingEvent e) {
      LINES.add(AuditLog.LOGGER_NAME.equals(e.getLoggerName()) ? e.getFormattedMessage() + System.lineSeparator()
          : new String(plain.encode(e), StandardCharsets.UTF_8));
    }
  }

  /** Registers every credential of a configuration to be searched for. */
  public static void registerSecrets(ServerConfig config) {
    config.apps().values().forEach(a -> a.credentials().forEach(s -> registerSecret(s.reveal())));
  }

  public static void registerSecret(String secret) {
    if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
      SECRETS.add(secret);
    }
  }

  /** Every line so far, audit lines still queued for writing included. */
  public static List<String> lines() {
    AuditWriter.awaitAllWritten();
    synchronized (LINES) {
      return List.copyOf(LINES);
    }
  }

  /**
   * Fails if {@code text} (a metrics scrape, span attributes, ...) contains a registered secret:
   * the log check, extended to the other signals.
   */
  public static void assertNoSecretIn(String what, String text) {
    for (String secret : SECRETS) {
      if (text.contains(secret)) {
        int at = text.indexOf(secret);
        throw new AssertionError("a configured secret appears in " + what + " (just before it: "
            + text.substring(Math.max(0, at - 60), at) + ")");
      }
    }
  }

  /** True once this extension ran for {@code testClass} (explicitly registered or auto-detected). */
  public static boolean covers(Class<?> testClass) {
    return COVERED.contains(testClass);
  }

  /** Routes all logging here (again, if a test reset the LogManager); a no-op when already so. */
  @Override
  public void beforeAll(ExtensionContext context) {
    install();
    context.getTestClass().ifPresent(COVERED::add);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName());
  }

  private static synchronized void install() {
    LogSetup.bridgeJul(); // as the server does
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.TRACE); // levels per logger: logback-test.xml
    root.iteratorForAppenders().forEachRemaining(a -> {
      if (a != CAPTURE) {
        root.detachAppender(a); // keep the console quiet; everything is captured here
      }
    });
    if (!CAPTURE.isStarted()) {
      CAPTURE.setContext(ctx);
      CAPTURE.setName(APPENDER);
      CAPTURE.plain = LogSetup.patternEncoder(ctx, LogSetup.PLAIN_PATTERN);
      CAPTURE.start();
    }
    if (root.getAppender(APPENDER) == null) {
      root.addAppender(CAPTURE);
    }
    Logger.getLogger("").setLevel(Level.ALL);
  }

  private static synchronized void check(String testClass) {
    List<String> lines = lines();
    for (String secret : SECRETS) {
      int from = SEARCHED.getOrDefault(secret, 0);
      SEARCHED.put(secret, lines.size()); // report a leak once, in the class that sees it first
      for (String line : lines.subList(from, lines.size())) {
        if (line.contains(secret)) {
          throw new AssertionError("a configured secret appears in a log line captured by the end of "
              + testClass + " (line starts: " + line.substring(0, Math.min(60, line.indexOf(secret))) + ")");
        }
      }
    }
  }
}
