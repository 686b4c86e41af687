package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Echo;
import io.grpc.Status;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the core's typed exceptions to API errors (the catalogue is docs/errors.md):
 * <ul>
 *   <li>InvalidTokenInputException → INVALID_ARGUMENT, the core's field renamed to the request field;
 *   <li>MalformedTokenException → INVALID_ARGUMENT on field "token";
 *   <li>TokenVerificationException: SIGNATURE_MISMATCH → PERMISSION_DENIED (the caller cannot
 *       prove the token is ours), expiry and NOT_YET_VALID → FAILED_PRECONDITION (authentic, but
 *       not usable now), BINDING_MISMATCH → INVALID_ARGUMENT on "legacy_binding", anything else
 *       (APP_ID_MISMATCH, APP_KEY_MISMATCH, ...) → PERMISSION_DENIED.
 * </ul>
 */
final class CoreErrors {
  private CoreErrors() {}

  /**
   * @param fields the handler's map from normalized core field names (lower case, letters and
   *     digits only, e.g. "channelname") to request field paths; unmapped fields keep their name
   */
  static ApiException toApi(TokenException e, Map<String, String> fields) {
    if (e instanceof InvalidTokenInputException in) {
      String field = fields.getOrDefault(normalize(in.field()), in.field());
      return ApiException.invalidArgument(field, in.reason(), message(e, in.field(), field));
    }
    if (e instanceof MalformedTokenException) {
      return ApiException.invalidArgument("token", e.reason(), "token cannot be read: " + Echo.of(e.getMessage()));
    }
    String reason = e.reason();
    if (reason.equals("BINDING_MISMATCH")) {
      return ApiException.invalidArgument("legacy_binding", reason,
          "legacy_binding does not match the CRCs in the 006 token");
    }
    Status.Code code = switch (reason) {
      case TokenVerificationException.TOKEN_EXPIRED, TokenVerificationException.PRIVILEGE_EXPIRED,
          TokenVerificationException.NOT_YET_VALID, TokenVerificationException.NO_CREDENTIALS ->
          Status.Code.FAILED_PRECONDITION;
      default -> Status.Code.PERMISSION_DENIED;
    };
    return ApiException.of(code, "token", reason, "token not accepted: " + Echo.of(e.getMessage()));
  }

  static String normalize(String coreField) {
    return coreField == null ? "" : coreField.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  /** The core's message names its own field; say the request's name instead. */
  private static String message(TokenException e, String coreField, String field) {
    String m = e.getMessage() == null ? e.reason() : e.getMessage();
    if (coreField != null && m.startsWith(coreField + ": ")) {
      m = m.substring(coreField.length() + 2);
    }
    return field + ": " + Echo.of(m); // core messages may quote the value
  }
}
