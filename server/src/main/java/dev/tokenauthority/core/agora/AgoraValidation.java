package dev.tokenauthority.core.agora;

import dev.tokenauthority.core.InvalidTokenInputException;

/**
 * Validation of every Agora builder input. Each rejection is an {@link
 * InvalidTokenInputException} naming the field (as the v1 API request names it) and a stable
 * reason. Messages never echo the value of a credential.
 */
public final class AgoraValidation {
  public static final String FIELD_APP_ID = "app_id";
  public static final String FIELD_APP_CERTIFICATE = "app_certificate";
  public static final String FIELD_CHANNEL_NAME = "channel_name";
  public static final String FIELD_UID = "uid";
  public static final String FIELD_USER_ACCOUNT = "user_account";
  public static final String FIELD_USER_ID = "user_id";
  public static final String FIELD_RTM_USER_ID = "rtm_user_id";
  public static final String FIELD_USER_UUID = "user_uuid";
  public static final String FIELD_LIFETIME = "lifetime_seconds";
  public static final String FIELD_PRIVILEGE_LIFETIME = "privilege_lifetime_seconds";
  public static final String FIELD_ISSUED_AT = "issued_at";
  public static final String FIELD_SALT = "salt";

  /** Channel names (and, per Agora, user accounts) use this ASCII set: entry c = char c allowed. */
  private static final boolean[] CHANNEL_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) CHANNEL_CHARS[c] = true;
    for (char c = 'A'; c <= 'Z'; c++) CHANNEL_CHARS[c] = true;
    for (char c = '0'; c <= '9'; c++) CHANNEL_CHARS[c] = true;
    for (char c : " !#$%&()+-:;<=.>?@[]^_{}|~,".toCharArray()) CHANNEL_CHARS[c] = true;
  }

  private AgoraValidation() {}

  /** App id: exactly 32 hex characters, case kept. */
  public static String appId(String appId) {
    if (!isHex32(appId)) {
      throw new InvalidTokenInputException(
          FIELD_APP_ID, "APP_ID_FORMAT", "must be 32 hexadecimal characters");
    }
    return appId;
  }

  /** App certificate: exactly 32 hex characters; its UTF-8 bytes are the HMAC key, so case matters. */
  public static String appCertificate(String certificate) {
    if (!isHex32(certificate)) {
      // Never echo the value: it is a secret.
      throw new InvalidTokenInputException(
          FIELD_APP_CERTIFICATE, "APP_CERTIFICATE_FORMAT", "must be 32 hexadecimal characters");
    }
    return certificate;
  }

  /** Channel name: 1–64 bytes of a-z A-Z 0-9 space and {@code !#$%&()+-:;<=.>?@[]^_{}|~,}. */
  public static String channelName(String channelName) {
    if (channelName == null || channelName.isEmpty()) {
      throw new InvalidTokenInputException(FIELD_CHANNEL_NAME, "CHANNEL_NAME_EMPTY", "must not be empty");
    }
    // The charset is ASCII-only, so checking it first makes chars == bytes for the length check.
    if (!inChannelCharset(channelName)) {
      throw new InvalidTokenInputException(
          FIELD_CHANNEL_NAME, "CHANNEL_NAME_CHARSET",
          "allowed: a-z A-Z 0-9 space and !#$%&()+-:;<=.>?@[]^_{}|~,");
    }
    if (channelName.length() > AgoraLimits.MAX_CHANNEL_NAME_BYTES) {
      throw new InvalidTokenInputException(
          FIELD_CHANNEL_NAME, "CHANNEL_NAME_TOO_LONG",
          "must be at most " + AgoraLimits.MAX_CHANNEL_NAME_BYTES + " bytes");
    }
    return channelName;
  }

  /** Numeric RTC uid: unsigned 32-bit; 0 means "not bound to a user". */
  public static long uid(long uid) {
    if (uid < 0 || uid > AgoraLimits.MAX_UID) {
      throw new InvalidTokenInputException(FIELD_UID, "UID_OUT_OF_RANGE", "must be 0 to 4294967295");
    }
    return uid;
  }

  /** RTC user account: 1–255 bytes in the channel-name character set (Agora's documented rule). */
  public static String userAccount(String account) {
    if (account == null || account.isEmpty()) {
      throw new InvalidTokenInputException(FIELD_USER_ACCOUNT, "ACCOUNT_EMPTY", "must not be empty");
    }
    if (!inChannelCharset(account)) {
      throw new InvalidTokenInputException(
          FIELD_USER_ACCOUNT, "ACCOUNT_CHARSET",
          "allowed: a-z A-Z 0-9 space and !#$%&()+-:;<=.>?@[]^_{}|~,");
    }
    if (account.length() > AgoraLimits.MAX_USER_ACCOUNT_BYTES) {
      throw new InvalidTokenInputException(
          FIELD_USER_ACCOUNT, "ACCOUNT_TOO_LONG",
          "must be at most " + AgoraLimits.MAX_USER_ACCOUNT_BYTES + " bytes");
    }
    return account;
  }

  /**
   * RTM user id: 1–{@code maxBytes} bytes of printable ASCII. RTM allows 64 bytes, in an RTM token
   * and inside an RTC+RTM token alike (there the id defaults to the RTC account, so an account
   * longer than 64 bytes needs an explicit rtm_user_id).
   */
  public static String rtmUserId(String field, String userId, int maxBytes) {
    if (userId == null || userId.isEmpty()) {
      throw new InvalidTokenInputException(field, "USER_ID_EMPTY", "must not be empty");
    }
    for (int i = 0; i < userId.length(); i++) {
      char c = userId.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new InvalidTokenInputException(field, "USER_ID_CHARSET", "must be printable ASCII");
      }
    }
    if (userId.length() > maxBytes) {
      throw new InvalidTokenInputException(
          field, "USER_ID_TOO_LONG", "must be at most " + maxBytes + " bytes");
    }
    return userId;
  }

  /** Chat user UUID, as the Chat service reports it: 1–64 of a-z A-Z 0-9 '-' '_'. */
  public static String chatUserUuid(String uuid) {
    if (uuid == null || uuid.isEmpty()) {
      throw new InvalidTokenInputException(FIELD_USER_UUID, "USER_UUID_EMPTY", "must not be empty");
    }
    for (int i = 0; i < uuid.length(); i++) {
      char c = uuid.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        throw new InvalidTokenInputException(
            FIELD_USER_UUID, "USER_UUID_CHARSET", "allowed: a-z A-Z 0-9 - _");
      }
    }
    if (uuid.length() > AgoraLimits.MAX_CHAT_USER_UUID_BYTES) {
      throw new InvalidTokenInputException(
          FIELD_USER_UUID, "USER_UUID_TOO_LONG",
          "must be at most " + AgoraLimits.MAX_CHAT_USER_UUID_BYTES + " bytes");
    }
    return uuid;
  }

  /** Token lifetime: 1 s to 24 h. Above 24 h is rejected (LIFETIME_TOO_LONG), never clamped. */
  public static long tokenLifetime(String field, long seconds) {
    if (seconds <= 0) {
      throw new InvalidTokenInputException(field, "LIFETIME_NOT_POSITIVE", "must be at least 1 second");
    }
    if (seconds > AgoraLimits.MAX_LIFETIME_SECONDS) {
      throw new InvalidTokenInputException(
          field, "LIFETIME_TOO_LONG", "must be at most " + AgoraLimits.MAX_LIFETIME_SECONDS + " seconds");
    }
    return seconds;
  }

  /** Privilege lifetime: 0 (no limit of its own, still packed) to 24 h. */
  public static long privilegeLifetime(String field, long seconds) {
    if (seconds < 0) {
      throw new InvalidTokenInputException(field, "PRIVILEGE_LIFETIME_NEGATIVE", "must not be negative");
    }
    if (seconds > AgoraLimits.MAX_LIFETIME_SECONDS) {
      throw new InvalidTokenInputException(
          field, "PRIVILEGE_LIFETIME_TOO_LONG",
          "must be at most " + AgoraLimits.MAX_LIFETIME_SECONDS + " seconds");
    }
    return seconds;
  }

  /** Issue time: unix seconds that fit the wire's u32. */
  public static long issuedAt(long epochSeconds) {
    if (epochSeconds < 0 || epochSeconds > AgoraLimits.MAX_U32) {
      throw new InvalidTokenInputException(
          FIELD_ISSUED_AT, "ISSUED_AT_OUT_OF_RANGE", "must be unix seconds from 0 to 4294967295");
    }
    return epochSeconds;
  }

  /** Salt: any u32. */
  public static long salt(long salt) {
    if (salt < 0 || salt > AgoraLimits.MAX_U32) {
      throw new InvalidTokenInputException(FIELD_SALT, "SALT_OUT_OF_RANGE", "must be 0 to 4294967295");
    }
    return salt;
  }

  /** True when {@code s} is exactly 32 hex characters (either case). */
  public static boolean isHex32(String s) {
    if (s == null || s.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  private static boolean inChannelCharset(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !CHANNEL_CHARS[c]) {
        return false;
      }
    }
    return true;
  }
}
