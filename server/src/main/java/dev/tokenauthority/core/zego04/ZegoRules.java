package dev.tokenauthority.core.zego04;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.codec.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The vendor's input rules (seed 003 and the ZEGO docs), shared by the builder and by the strict
 * reading of decrypted plaintext so that both accept exactly the same values. The app id and
 * server secret checks are public for configuration checks at start-up.
 */
public final class ZegoRules {
  static final long MAX_APP_ID = 0xFFFF_FFFFL;
  static final int MAX_USER_ID_BYTES = 32;
  static final int MAX_ROOM_ID_BYTES = 128;
  static final int MAX_STREAM_ID_BYTES = 256;
  /** Our own bound (the vendor names none); keeps the ciphertext far below its u16 length limit. */
  static final int MAX_STREAM_IDS = 100;
  /** The vendor generators take the lifetime as a signed 32-bit int. */
  static final long MAX_LIFETIME_SECONDS = Integer.MAX_VALUE;

  private static final String USER_ID_SYMBOLS = "!#$%&()+-:;<=.>?@[]^_{}|~";

  private ZegoRules() {}

  /** Empty when valid, else the rule broken (a stable reason). */
  static Optional<String> userIdProblem(String userId) {
    if (userId.isEmpty()) {
      return Optional.of("USER_ID_EMPTY");
    }
    for (int i = 0; i < userId.length(); i++) {
      char c = userId.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || USER_ID_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        return Optional.of("USER_ID_CHARSET");
      }
    }
    // All allowed characters are ASCII, so the length in chars is the length in bytes.
    return userId.length() > MAX_USER_ID_BYTES ? Optional.of("USER_ID_TOO_LONG") : Optional.empty();
  }

  public static void checkUserId(String userId) {
    userIdProblem(userId)
        .ifPresent(
            reason ->
                invalid(
                    "user_id",
                    reason,
                    "must be 1-" + MAX_USER_ID_BYTES
                        + " bytes of digits, ASCII letters and " + USER_ID_SYMBOLS));
  }

  /** A server secret the builder and verifier accept: exactly 32 ASCII characters. */
  public static void checkServerSecret(Secret serverSecret) {
    Token04Builder.secretBytes(serverSecret);
  }

  public static void checkAppId(long appId) {
    if (appId < 1 || appId > MAX_APP_ID) {
      invalid("app_id", "APP_ID_RANGE", "must be an unsigned 32-bit number from 1 to " + MAX_APP_ID);
    }
  }

  /** Room ids: the vendor's own test tokens use more than its documented set, so allow any text. */
  static void checkRoomId(String roomId) {
    if (roomId.isEmpty()) {
      invalid("room_id", "ROOM_ID_EMPTY", "must not be empty");
    }
    if (hasControlOrLoneSurrogate(roomId)) {
      invalid("room_id", "ROOM_ID_CHARSET", "must be printable text");
    }
    if (roomId.getBytes(StandardCharsets.UTF_8).length > MAX_ROOM_ID_BYTES) {
      invalid("room_id", "ROOM_ID_TOO_LONG", "must be at most " + MAX_ROOM_ID_BYTES + " bytes");
    }
  }

  static void checkStreamId(String streamId) {
    if (streamId.isEmpty()) {
      invalid("stream_ids", "STREAM_ID_EMPTY", "a stream id must not be empty");
    }
    for (int i = 0; i < streamId.length(); i++) {
      char c = streamId.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '-'
              || c == '_';
      if (!ok) {
        invalid("stream_ids", "STREAM_ID_CHARSET", "a stream id may hold digits, ASCII letters, '-' and '_'");
      }
    }
    if (streamId.length() > MAX_STREAM_ID_BYTES) {
      invalid("stream_ids", "STREAM_ID_TOO_LONG", "a stream id must be at most " + MAX_STREAM_ID_BYTES + " bytes");
    }
  }

  private static boolean hasControlOrLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return JsonText.hasLoneSurrogate(s);
  }

  static void invalid(String field, String reason, String message) {
    throw new InvalidTokenInputException(field, reason, message);
  }
}
