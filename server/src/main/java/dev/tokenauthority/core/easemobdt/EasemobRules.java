package dev.tokenauthority.core.easemobdt;

import dev.tokenauthority.core.InvalidTokenInputException;

/**
 * Input rules from seed 004 and the Easemob docs, shared by the builder and the parser, and public
 * for configuration checks, so that a credential accepted at start-up can always mint.
 */
public final class EasemobRules {
  static final int MAX_USER_ID_BYTES = 64;
  static final int MAX_APP_KEY_CHARS = 256;
  static final int MAX_CLIENT_ID_CHARS = 256;
  /**
   * Our own bound on the ttl we mint and accept (the vendor names none and advises "not too long";
   * the server issues at most 24 h). It is what stops a curTime whose digits were moved into the
   * ttl, see {@link DynamicTokenVerifier}.
   */
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;
  /** The parser's wider bound, so that inspect still shows a longer-lived token from another issuer. */
  static final long MAX_PARSED_TTL_SECONDS = Integer.MAX_VALUE;

  private EasemobRules() {}

  /** "org#app": both parts non-empty, of letters, digits, '-', '_' and '.'. */
  public static boolean isAppKey(String appKey) {
    int hash = appKey.indexOf('#');
    if (hash <= 0 || hash == appKey.length() - 1 || appKey.length() > MAX_APP_KEY_CHARS) {
      return false;
    }
    for (int i = 0; i < appKey.length(); i++) {
      if (i != hash && !isNameChar(appKey.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public static void checkAppKey(String appKey) {
    if (appKey == null || !isAppKey(appKey)) {
      throw new InvalidTokenInputException(
          "appkey", "APP_KEY_FORMAT", "must be org#app, both parts non-empty letters, digits, '-', '_' or '.'");
    }
  }

  /** Easemob user ids: 1-64 bytes of letters, digits, '_', '-' and '.'. */
  public static void checkUserId(String userId) {
    if (userId == null || userId.isEmpty()) {
      throw new InvalidTokenInputException("user_id", "USER_ID_EMPTY", "must not be empty");
    }
    for (int i = 0; i < userId.length(); i++) {
      if (!isNameChar(userId.charAt(i))) {
        throw new InvalidTokenInputException(
            "user_id", "USER_ID_CHARSET", "may hold only letters, digits, '_', '-' and '.'");
      }
    }
    if (userId.length() > MAX_USER_ID_BYTES) {
      throw new InvalidTokenInputException(
          "user_id", "USER_ID_TOO_LONG", "must be at most " + MAX_USER_ID_BYTES + " bytes");
    }
  }

  /** Client ids are opaque to us: non-empty visible ASCII, since they are hashed as text. */
  public static void checkClientId(String clientId) {
    if (clientId == null || clientId.isEmpty()) {
      throw new InvalidTokenInputException("client_id", "CLIENT_ID_EMPTY", "must not be empty");
    }
    if (clientId.length() > MAX_CLIENT_ID_CHARS || !clientId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw new InvalidTokenInputException(
          "client_id", "CLIENT_ID_FORMAT", "must be at most " + MAX_CLIENT_ID_CHARS + " visible ASCII characters");
    }
  }

  private static boolean isNameChar(char c) {
    return (c >= '0' && c <= '9')
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '-'
        || c == '_'
        || c == '.';
  }
}
