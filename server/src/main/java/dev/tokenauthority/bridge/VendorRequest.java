package dev.tokenauthority.bridge;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One JSON request to a vendor. {@link #toString()} shows neither the bearer token nor the body,
 * which may hold a password or a client secret.
 *
 * @param operation stable name for audit ("chat.get_user", ...)
 * @param method "GET" or "POST"
 * @param body JSON bytes for POST, empty for GET
 */
public record VendorRequest(
    Vendor vendor,
    String operation,
    String method,
    URI uri,
    Optional<String> bearerToken,
    Optional<byte[]> body) {

  public VendorRequest {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(bearerToken, "bearerToken");
    Objects.requireNonNull(body, "body");
  }

  public static VendorRequest get(Vendor vendor, String operation, URI uri, String bearer) {
    return new VendorRequest(vendor, operation, "GET", uri, Optional.of(bearer), Optional.empty());
  }

  public static VendorRequest post(
      Vendor vendor, String operation, URI uri, Optional<String> bearer, byte[] body) {
    return new VendorRequest(vendor, operation, "POST", uri, bearer, Optional.of(body));
  }

  @Override
  public String toString() {
    return "VendorRequest[" + vendor.id() + " " + operation + " " + method + " " + uri.getPath() + "]";
  }
}
