package dev.tokenauthority.server.testing;

import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
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
 * Captures every java.util.logging record of a test class (server, gRPC, audit), rendered as the
 * server renders it, and fails the class if any line contains a secret some fixture registered.
 * Every test class that runs a server uses it, so the whole suite's logs are checked.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback {
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static final List<String> LINES = java.util.Collections.synchronizedList(new ArrayList<>());
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

  /** Registers every credential of a configuration (and any other secret) to be searched for. */
  public static void registerSecrets(ServerConfig config) {
    config.apps().values().forEach(a -> a.credentials().forEach(s -> SECRETS.add(s.reveal())));
  }

  public static void registerSecret(String secret) {
    SECRETS.add(secret);
  }

  public static List<String> lines() {
    synchronized (LINES) {
      return List.copyOf(LINES);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Logger root = Logger.getLogger("");
    root.setLevel(Level.ALL);
    Logger.getLogger("io.grpc").setLevel(Level.FINE);
    Logger.getLogger("io.grpc.netty.shaded").setLevel(Level.INFO);
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h); // keep the console quiet; everything is captured here
    }
    root.addHandler(HANDLER);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> lines = lines();
    for (String secret : SECRETS) {
      for (String line : lines) {
        if (line.contains(secret)) {
          throw new AssertionError("a configured secret appears in a log line of "
              + context.getDisplayName() + " (line starts: "
              + line.substring(0, Math.min(60, line.indexOf(secret))) + ")");
        }
      }
    }
  }
}
