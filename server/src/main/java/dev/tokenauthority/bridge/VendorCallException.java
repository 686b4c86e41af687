package dev.tokenauthority.bridge;

import java.util.OptionalInt;

/**
 * The one exception a vendor bridge fails with (as the cause of a failed future). The message is
 * safe to return to callers and to log: it never holds a password, secret or token.
 */
public final class VendorCallException extends RuntimeException {
  private final Vendor vendor;
  private final VendorReason reason;
  private final int httpStatus;

  public VendorCallException(Vendor vendor, VendorReason reason, int httpStatus, String message) {
    super(message, null, false, false);
    this.vendor = vendor;
    this.reason = reason;
    this.httpStatus = httpStatus;
  }

  public VendorCallException(Vendor vendor, VendorReason reason, String message) {
    this(vendor, reason, -1, message);
  }

  public Vendor vendor() {
    return vendor;
  }

  public VendorReason reason() {
    return reason;
  }

  public VendorErrorCategory category() {
    return reason.category();
  }

  /** The vendor's HTTP status when the failure came from an answer, empty for transport failures. */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** Unwraps a future's failure: the VendorCallException inside, or null when it is something else. */
  public static VendorCallException unwrap(Throwable t) {
    Throwable cur = t;
    while (cur != null) {
      if (cur instanceof VendorCallException v) {
        return v;
      }
      cur = cur.getCause();
    }
    return null;
  }
}
