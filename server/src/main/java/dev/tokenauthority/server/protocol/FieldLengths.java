package dev.tokenauthority.server.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.tokenauthority.server.errors.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A first, generous length check on every string field of a request, before any lookup, policy
 * pattern or vendor rule sees it: tokens up to {@value #MAX_TOKEN_CHARS} characters, every other
 * string up to {@value #MAX_STRING_CHARS}. The vendors' own, tighter limits (e.g. 64 bytes for a
 * channel name) are checked later, field by field, by the token core.
 */
final class FieldLengths {
  static final int MAX_TOKEN_CHARS = 8192;
  static final int MAX_STRING_CHARS = 1024;
  static final String REASON = "FIELD_TOO_LONG";

  private FieldLengths() {}

  /** The first string field over its bound, as INVALID_ARGUMENT FIELD_TOO_LONG naming it (never its value). */
  static Optional<ApiException> check(Message request) {
    // No string can exceed the smaller bound in a message this small (a character is a byte or more).
    if (request.getSerializedSize() <= MAX_STRING_CHARS) {
      return Optional.empty();
    }
    return check(request, "");
  }

  private static Optional<ApiException> check(Message m, String prefix) {
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      String path = prefix + f.getName();
      List<?> values = f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
      for (Object v : values) {
        if (v instanceof String s && s.length() > bound(f)) {
          return Optional.of(ApiException.invalidArgument(path, REASON,
              path + " is " + s.length() + " characters; at most " + bound(f) + " are accepted"));
        }
        if (v instanceof Message nested) {
          Optional<ApiException> inner = check(nested, path + ".");
          if (inner.isPresent()) {
            return inner;
          }
        }
      }
    }
    return Optional.empty();
  }

  private static int bound(FieldDescriptor f) {
    return f.getName().equals("token") || f.getName().endsWith("_token") ? MAX_TOKEN_CHARS : MAX_STRING_CHARS;
  }
}
