package dev.tokenauthority.bridge;

/**
 * What kind of failure a vendor call ended in, in gRPC-neutral terms. The names match gRPC status
 * codes one to one so the gRPC layer can map them with {@code Status.Code.valueOf(name())}, but this
 * package never imports gRPC.
 */
public enum VendorErrorCategory {
  INVALID_ARGUMENT,
  NOT_FOUND,
  FAILED_PRECONDITION,
  PERMISSION_DENIED,
  UNAUTHENTICATED,
  ABORTED,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE,
  DEADLINE_EXCEEDED
}
