package dev.tokenauthority.server;

import java.util.logging.LogManager;

/**
 * A LogManager whose {@link #reset()} can be held back while the server shuts down.
 * java.util.logging registers its own shutdown hook that calls {@code reset()}, which closes and
 * removes every handler; shutdown hooks run concurrently, so the drain and stop lines the server
 * logs from its own hook would often go nowhere. While deferral is on, a reset is remembered and
 * done by {@link #endDeferral()}, which the server's hook calls once it has logged its last line.
 *
 * <p>Installed with the {@code java.util.logging.manager} system property, which must be set
 * before the first logger is created: {@link LogSetup#selectLogManager()}, first thing in
 * {@code Main}. Under another LogManager (tests, embedding) the static helpers do nothing.
 */
public final class DeferredResetLogManager extends LogManager {
  private final Object lock = new Object();
  private boolean deferring;
  private boolean resetPending;

  /** Public no-argument constructor: LogManager instantiates the class named by the property. */
  public DeferredResetLogManager() {}

  /**
   * From now on resets wait for {@link #endDeferral()}. Call when the shutdown hook that will end
   * the deferral is registered, so the JDK's hook cannot reset first. Returns false (and does
   * nothing) when another LogManager is in use.
   */
  public static boolean beginDeferral() {
    if (LogManager.getLogManager() instanceof DeferredResetLogManager m) {
      synchronized (m.lock) {
        m.deferring = true;
      }
      return true;
    }
    return false;
  }

  /** Ends the deferral and performs the reset that was asked for meanwhile, if any. */
  public static void endDeferral() {
    if (LogManager.getLogManager() instanceof DeferredResetLogManager m) {
      boolean pending;
      synchronized (m.lock) {
        m.deferring = false;
        pending = m.resetPending;
        m.resetPending = false;
      }
      if (pending) {
        m.resetNow();
      }
    }
  }

  @Override
  public void reset() {
    synchronized (lock) {
      if (deferring) {
        resetPending = true;
        return;
      }
    }
    resetNow();
  }

  private void resetNow() {
    super.reset();
  }
}
