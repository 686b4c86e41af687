package dev.tokenauthority.bridge;

import java.lang.System.Logger.Level;

/** Receives one event per vendor call attempt; must be fast and must not throw. */
@FunctionalInterface
public interface VendorCallListener {
  void onAttempt(VendorCallEvent event);

  /** Logs each attempt as one line through System.Logger (DEBUG for success, INFO otherwise). */
  static VendorCallListener logging() {
    System.Logger log = System.getLogger("dev.tokenauthority.bridge.audit");
    return e ->
        log.log(
            "OK".equals(e.outcome()) ? Level.DEBUG : Level.INFO,
            () ->
                "vendor_call vendor=" + e.vendor().id() + " op=" + e.operation()
                    + " attempt=" + e.attempt() + " status=" + e.httpStatus()
                    + " outcome=" + e.outcome() + " elapsed_ms=" + e.elapsed().toMillis());
  }
}
