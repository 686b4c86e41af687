package dev.tokenauthority.bridge;

import java.lang.System.Logger.Level;

/** Receives one event per vendor call attempt; must be fast and must not throw. */
@FunctionalInterface
public interface VendorCallListener {
  void onAttempt(VendorCallEvent event);

  /** Ignores every event (for calls no one audits). */
  VendorCallListener NONE = e -> {};

  /**
   * Logs each attempt as one INFO line through System.Logger: successes too, so the vendor-call log
   * alone shows every call the authority made.
   */
  static VendorCallListener logging() {
    System.Logger log = System.getLogger("dev.tokenauthority.bridge.audit");
    return e ->
        log.log(
            Level.INFO,
            () ->
                "vendor_call vendor=" + e.vendor().id() + " op=" + e.operation()
                    + " attempt=" + e.attempt() + " status=" + e.httpStatus()
                    + " outcome=" + e.outcome() + " elapsed_ms=" + e.elapsed().toMillis());
  }
}
