package dev.tokenauthority.server.testing;

import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures every java.util.logging record of the test JVM (server, gRPC, audit), rendered as the
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
  private static final Handler HANDLER = new Handler() {
    private final LogSetup.OneLineFormatter formatter = new LogSetup.OneLineFormatter();

    @Override
    public void publish(LogRecord record) {
      LINES.add(formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** Registers every credential of a configuration to be searched for. */
  public static void registerSecrets(ServerConfig config) {
    config.apps().values().forEach(a -> a.credentials().forEach(s -> registerSecret(s.reveal())));
  }

  public static void registerSecret(String secret) {
    if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
      SECRETS.add(secret);
    }
  }

  public static List<String> lines() {
    synchronized (LINES) {
      return List.copyOf(LINES);
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
    Logger root = Logger.getLogger("");
    root.setLevel(Level.ALL);
    Logger.getLogger("io.grpc").setLevel(Level.FINE);
    Logger.getLogger("io.grpc.netty.shaded").setLevel(Level.INFO);
    for (Handler h : root.getHandlers()) {
      if (h != HANDLER) {
        root.removeHandler(h); // keep the console quiet; everything is captured here
      }
    }
    if (root.getHandlers().length == 0) {
      root.addHandler(HANDLER);
    }
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
