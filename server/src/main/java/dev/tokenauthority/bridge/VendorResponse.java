package dev.tokenauthority.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** A final (not retried) vendor answer: a 2xx, or a 4xx other than 429. */
public record VendorResponse(Vendor vendor, String operation, int status, byte[] body) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The body as JSON, or VENDOR_BAD_RESPONSE when it is not JSON. */
  public JsonNode json() {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw badResponse("empty body");
      }
      return node;
    } catch (IOException e) {
      throw badResponse("body is not valid JSON");
    }
  }

  /** The vendor's {"error": ..., "error_description": ...}, tolerating any body. */
  public VendorErrorBody errorBody() {
    return VendorErrorBody.parse(body);
  }

  public VendorCallException badResponse(String what) {
    return new VendorCallException(
        vendor, VendorReason.VENDOR_BAD_RESPONSE, status,
        vendor.id() + " " + operation + " answered " + status + " with an unreadable body: " + what);
  }

  /** A failure for this answer with the given reason; the message names the vendor's error code only. */
  public VendorCallException failure(VendorReason reason) {
    VendorErrorBody err = errorBody();
    return new VendorCallException(
        vendor, reason, status,
        vendor.id() + " " + operation + " answered " + status
            + (err.error().isEmpty() ? "" : " " + err.error()));
  }

  @Override
  public String toString() {
    return "VendorResponse[" + vendor.id() + " " + operation + " " + status + "]";
  }
}
