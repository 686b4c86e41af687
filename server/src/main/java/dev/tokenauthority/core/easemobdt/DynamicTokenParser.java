package dev.tokenauthority.core.easemobdt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.codec.Bytes;
import dev.tokenauthority.core.codec.EpochSeconds;
import dev.tokenauthority.core.codec.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads an Easemob dynamic token: URL-safe base64 with or without padding (canonical spelling
 * only), the "dt-" prefix, then one JSON object with exactly the fields signature (64 lowercase hex
 * digits), appkey ("org#app"), userId (non-empty string), curTime and ttl (integers). Key order
 * and whitespace are free: the verifier checks the signature over the values, not the spelling.
 * Throws only {@link MalformedTokenException}.
 */
public final class DynamicTokenParser {
  public static final String TOKEN_EMPTY = "TOKEN_EMPTY";
  public static final String TOKEN_TOO_LONG = "TOKEN_TOO_LONG";
  public static final String BAD_BASE64 = "BAD_BASE64";
  public static final String BAD_PREFIX = "BAD_PREFIX";
  public static final String BAD_JSON = "BAD_JSON";
  public static final String BAD_FIELD = "BAD_FIELD";

  /** Far above any token our field limits allow; bounds the work done on hostile input. */
  static final int MAX_TOKEN_CHARS = 4096;

  private static final Set<String> FIELDS = Set.of("signature", "appkey", "userId", "curTime", "ttl");
  private static final byte[] PREFIX = DynamicTokenBuilder.PREFIX.getBytes(StandardCharsets.US_ASCII);

  private DynamicTokenParser() {}

  public static DynamicToken parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedTokenException(TOKEN_EMPTY, "no token given");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedTokenException(TOKEN_TOO_LONG, "longer than any Easemob dynamic token can be");
    }
    byte[] bytes =
        Bytes.base64UrlCanonical(token)
            .orElseThrow(() -> new MalformedTokenException(BAD_BASE64, "not canonical URL-safe base64"));
    if (bytes.length < PREFIX.length
        || bytes[0] != PREFIX[0]
        || bytes[1] != PREFIX[1]
        || bytes[2] != PREFIX[2]) {
      throw new MalformedTokenException(BAD_PREFIX, "an Easemob dynamic token decodes to \"dt-\" + JSON");
    }
    byte[] body = Arrays.copyOfRange(bytes, PREFIX.length, bytes.length);
    ObjectNode json =
        Bytes.utf8(body)
            .flatMap(StrictJson::parseObject)
            .orElseThrow(() -> new MalformedTokenException(BAD_JSON, "the body is not one UTF-8 JSON object"));
    requireExactFields(json);

    String signature = text(json, "signature");
    if (!isLowerHex64(signature)) {
      throw field("signature is not 64 lowercase hex digits");
    }
    String appKey = text(json, "appkey");
    if (!EasemobRules.isAppKey(appKey)) {
      throw field("appkey is not org#app");
    }
    String userId = text(json, "userId");
    if (userId.isEmpty()) {
      throw field("userId is empty");
    }
    long curTime = integer(json, "curTime", 0, EpochSeconds.MAX);
    long ttl = integer(json, "ttl", 1, EasemobRules.MAX_PARSED_TTL_SECONDS);
    if (curTime + ttl > EpochSeconds.MAX) {
      throw field("curTime + ttl is not a plausible unix time");
    }
    return new DynamicToken(token, signature, appKey, userId, curTime, ttl);
  }

  private static void requireExactFields(ObjectNode json) {
    if (json.size() != FIELDS.size()) {
      throw field("expected exactly the fields " + FIELDS);
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      if (!FIELDS.contains(names.next())) {
        throw field("expected exactly the fields " + FIELDS);
      }
    }
  }

  private static String text(ObjectNode json, String name) {
    JsonNode node = json.get(name);
    if (!node.isTextual()) {
      throw field(name + " is not a string");
    }
    return node.textValue();
  }

  private static long integer(ObjectNode json, String name, long min, long max) {
    JsonNode node = json.get(name);
    if (!StrictJson.isLong(node) || node.longValue() < min || node.longValue() > max) {
      throw field(name + " is not an integer from " + min + " to " + max);
    }
    return node.longValue();
  }

  private static boolean isLowerHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static MalformedTokenException field(String message) {
    return new MalformedTokenException(BAD_FIELD, message);
  }
}
