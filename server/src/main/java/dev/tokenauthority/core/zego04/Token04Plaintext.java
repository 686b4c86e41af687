package dev.tokenauthority.core.zego04;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.codec.EpochSeconds;
import dev.tokenauthority.core.codec.JsonText;
import dev.tokenauthority.core.codec.StrictJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON inside a Token04. Written in the vendor's key order (the Node.js generator the vectors
 * come from); read in any order, but with exactly the vendor's fields and types.
 */
final class Token04Plaintext {
  static final String BAD_PLAINTEXT = "BAD_PLAINTEXT";
  static final String BAD_PAYLOAD = "BAD_PAYLOAD";
  static final String EXPIRE_MISMATCH = "EXPIRE_MISMATCH";

  private static final Set<String> FIELDS =
      Set.of("app_id", "user_id", "nonce", "ctime", "expire", "payload");
  private static final Set<String> PAYLOAD_FIELDS = Set.of("room_id", "privilege", "stream_id_list");
  private static final Set<String> PRIVILEGE_KEYS = Set.of("1", "2");

  private Token04Plaintext() {}

  static String write(
      long appId, String userId, int nonce, long ctime, long expire, String payload) {
    StringBuilder out = new StringBuilder(128 + payload.length() * 2);
    out.append("{\"app_id\":").append(appId).append(",\"user_id\":");
    JsonText.appendQuoted(out, userId);
    out.append(",\"nonce\":").append(nonce);
    out.append(",\"ctime\":").append(ctime);
    out.append(",\"expire\":").append(expire);
    out.append(",\"payload\":");
    JsonText.appendQuoted(out, payload);
    return out.append('}').toString();
  }

  /** The payload string for a room, or "" for a plain (ZIM login) token. */
  static String writePayload(Optional<ZegoRoomPrivileges> room) {
    if (room.isEmpty()) {
      return "";
    }
    ZegoRoomPrivileges r = room.get();
    StringBuilder out = new StringBuilder(64 + r.roomId().length());
    out.append("{\"room_id\":");
    JsonText.appendQuoted(out, r.roomId());
    out.append(",\"privilege\":{\"1\":").append(r.canLogin() ? 1 : 0);
    out.append(",\"2\":").append(r.canPublish() ? 1 : 0).append("},\"stream_id_list\":");
    if (r.streamIds().isEmpty()) {
      out.append("null");
    } else {
      out.append('[');
      for (int i = 0; i < r.streamIds().size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        JsonText.appendQuoted(out, r.streamIds().get(i));
      }
      out.append(']');
    }
    return out.append('}').toString();
  }

  /**
   * Reads a decrypted plaintext that is already known to be a JSON object (so it was made with
   * the secret we hold); any field that breaks the format makes the token malformed.
   */
  static ZegoToken04 read(ObjectNode json, Token04Envelope envelope) {
    requireExactFields(json, FIELDS, BAD_PLAINTEXT, "plaintext");
    long appId = longField(json, "app_id", 1, ZegoRules.MAX_APP_ID);
    int nonce = (int) longField(json, "nonce", Integer.MIN_VALUE, Integer.MAX_VALUE);
    long ctime = longField(json, "ctime", 0, EpochSeconds.MAX);
    long expire = longField(json, "expire", 0, EpochSeconds.MAX);
    String userId = textField(json, "user_id");
    String payload = textField(json, "payload");
    if (ZegoRules.userIdProblem(userId).isPresent()) {
      throw malformed(BAD_PLAINTEXT, "user_id breaks the ZEGO user id rules");
    }
    if (expire <= ctime) {
      throw malformed(BAD_PLAINTEXT, "expire is not after ctime");
    }
    if (expire != envelope.expireSeconds()) {
      throw malformed(EXPIRE_MISMATCH, "the clear-text expiry differs from the encrypted one");
    }
    return new ZegoToken04(
        envelope.token(), appId, userId, nonce, ctime, expire, payload, readPayload(payload));
  }

  private static Optional<ZegoRoomPrivileges> readPayload(String payload) {
    if (payload.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode json =
        StrictJson.parseObject(payload)
            .orElseThrow(() -> malformed(BAD_PAYLOAD, "payload is not a JSON object"));
    requireExactFields(json, PAYLOAD_FIELDS, BAD_PAYLOAD, "payload");
    JsonNode privilege = json.get("privilege");
    if (!(privilege instanceof ObjectNode privileges)) {
      throw malformed(BAD_PAYLOAD, "payload privilege is not an object");
    }
    requireExactFields(privileges, PRIVILEGE_KEYS, BAD_PAYLOAD, "payload privilege");
    JsonNode roomId = json.get("room_id");
    if (!roomId.isTextual()) {
      throw malformed(BAD_PAYLOAD, "payload room_id is not a string");
    }
    JsonNode list = json.get("stream_id_list");
    List<String> streamIds = new ArrayList<>();
    if (list.isArray()) {
      for (JsonNode id : list) {
        if (!id.isTextual()) {
          throw malformed(BAD_PAYLOAD, "payload stream_id_list holds a non-string");
        }
        streamIds.add(id.textValue());
      }
    } else if (!list.isNull()) {
      throw malformed(BAD_PAYLOAD, "payload stream_id_list is neither a list nor null");
    }
    try {
      return Optional.of(
          new ZegoRoomPrivileges(
              roomId.textValue(),
              flag(privileges.get("1")),
              flag(privileges.get("2")),
              streamIds));
    } catch (InvalidTokenInputException e) {
      throw malformed(BAD_PAYLOAD, "payload " + e.field() + " breaks rule " + e.reason());
    }
  }

  private static boolean flag(JsonNode node) {
    if (StrictJson.isLong(node) && (node.longValue() == 0 || node.longValue() == 1)) {
      return node.longValue() == 1;
    }
    throw malformed(BAD_PAYLOAD, "a payload privilege is not 0 or 1");
  }

  private static void requireExactFields(
      ObjectNode json, Set<String> expected, String reason, String what) {
    if (json.size() != expected.size()) {
      throw malformed(reason, what + " has " + json.size() + " fields, expected " + expected.size());
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!expected.contains(name)) {
        throw malformed(reason, what + " has an unexpected field");
      }
    }
  }

  private static long longField(ObjectNode json, String name, long min, long max) {
    JsonNode node = json.get(name);
    if (!StrictJson.isLong(node) || node.longValue() < min || node.longValue() > max) {
      throw malformed(BAD_PLAINTEXT, name + " is not an integer from " + min + " to " + max);
    }
    return node.longValue();
  }

  private static String textField(ObjectNode json, String name) {
    JsonNode node = json.get(name);
    if (!node.isTextual()) {
      throw malformed(BAD_PLAINTEXT, name + " is not a string");
    }
    return node.textValue();
  }

  private static MalformedTokenException malformed(String reason, String message) {
    return new MalformedTokenException(reason, message);
  }
}
