package dev.tokenauthority.bridge;

/**
 * Stable reasons for vendor call failures, each with the one category it always maps to. The gRPC
 * layer copies {@link #name()} into ErrorInfo.reason; docs/vendor-errors.md lists when each occurs.
 */
public enum VendorReason {
  /** The user does not exist (Agora Chat lookup, Easemob grants). */
  CHAT_USER_NOT_FOUND(VendorErrorCategory.NOT_FOUND),
  /**
   * The user exists but is banned: Agora Chat's activated=false, Easemob's invalid_grant "user not
   * activated". One reason for both: it is one platform, and seed 004 calls both states banned.
   */
  CHAT_USER_BANNED(VendorErrorCategory.FAILED_PRECONDITION),
  /** The user name breaks the vendor's rules (charset, empty). */
  CHAT_USER_NAME_INVALID(VendorErrorCategory.INVALID_ARGUMENT),
  /** Easemob: the password does not match the user. */
  EASEMOB_INVALID_PASSWORD(VendorErrorCategory.UNAUTHENTICATED),
  /** Easemob: the user name is longer than the vendor allows. */
  EASEMOB_USERNAME_TOO_LONG(VendorErrorCategory.INVALID_ARGUMENT),
  /** The vendor does not know the configured org/app: server configuration is wrong. */
  VENDOR_APP_NOT_FOUND(VendorErrorCategory.FAILED_PRECONDITION),
  /** The vendor rejected our app credentials even after one fresh app token. */
  VENDOR_UNAUTHORIZED(VendorErrorCategory.FAILED_PRECONDITION),
  /** The vendor refused the operation for this app (feature off, forbidden operation). */
  VENDOR_FORBIDDEN(VendorErrorCategory.PERMISSION_DENIED),
  /** Concurrent user creation at the vendor; retried once already. */
  VENDOR_CONCURRENT_OPERATION(VendorErrorCategory.ABORTED),
  /** 429 from the vendor, still after backing off within the deadline. */
  VENDOR_RATE_LIMITED(VendorErrorCategory.RESOURCE_EXHAUSTED),
  /**
   * 429 resource_limited: the app's plan is out of users (seed 004: auto-creating a user past the
   * community edition's cap). Waiting does not help, so it is never retried.
   */
  VENDOR_QUOTA_EXCEEDED(VendorErrorCategory.RESOURCE_EXHAUSTED),
  /** 5xx, refused or dropped connections, still after backing off within the deadline. */
  VENDOR_UNAVAILABLE(VendorErrorCategory.UNAVAILABLE),
  /** The vendor answered 2xx with a body we cannot read, or an error we do not know. */
  VENDOR_BAD_RESPONSE(VendorErrorCategory.UNAVAILABLE),
  /** The vendor rejected the request with a 4xx this bridge does not know. */
  VENDOR_REJECTED(VendorErrorCategory.FAILED_PRECONDITION),
  /** The local app token supplier failed (bad certificate configuration). */
  VENDOR_APP_TOKEN_UNAVAILABLE(VendorErrorCategory.FAILED_PRECONDITION),
  /** The caller's deadline ran out before the vendor answered. */
  VENDOR_DEADLINE_EXCEEDED(VendorErrorCategory.DEADLINE_EXCEEDED);

  private final VendorErrorCategory category;

  VendorReason(VendorErrorCategory category) {
    this.category = category;
  }

  public VendorErrorCategory category() {
    return category;
  }
}
