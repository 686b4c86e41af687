package dev.tokenauthority.server;

import dev.tokenauthority.server.audit.AuditLog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging (what grpc-java uses) with one line per record: audit records are their JSON
 * line as is, others are "time LEVEL logger: message" with a stack trace only when one is logged.
 */
public final class LogSetup {
  private static final String LOG_MANAGER_PROPERTY = "java.util.logging.manager";

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

  /** Replaces the root handlers with one line-per-record handler on {@code out}. */
  public static void install(PrintWriter out) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    Handler handler = new Handler() {
      private final Formatter formatter = new OneLineFormatter();

      @Override
      public synchronized void publish(LogRecord record) {
        if (isLoggable(record)) {
          out.print(formatter.format(record));
          out.flush();
        }
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    };
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  /** The formatter; public so tests can render captured records the same way. */
  public static final class OneLineFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
      String msg = formatMessage(r).replace('\n', ' ').replace('\r', ' ');
      if (AuditLog.LOGGER_NAME.equals(r.getLoggerName())) {
        return msg + System.lineSeparator();
      }
      StringBuilder sb = new StringBuilder()
          .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
          .append(r.getLevel().getName()).append(' ')
          .append(r.getLoggerName()).append(": ").append(msg);
      if (r.getThrown() != null) {
        Throwable t = r.getThrown();
        sb.append(" | ").append(t.getClass().getName()).append(": ").append(t.getMessage());
        for (StackTraceElement el : t.getStackTrace()) {
          sb.append(" at ").append(el);
        }
      }
      return sb.append(System.lineSeparator()).toString();
    }
  }
}
