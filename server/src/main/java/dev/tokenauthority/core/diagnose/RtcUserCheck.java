package dev.tokenauthority.core.diagnose;

import java.util.Optional;

/**
 * Compares the RTC user a token holds with the uid or account a client joins with. On the wire
 * both are text: uid 0 is "" (no user bound: any numeric uid may join), another uid its decimal
 * text, an account as it is. So the account "0" is not uid 0, and an account "alice" never
 * matches a numeric uid: the vendor answers 110 (invalid token) to both.
 */
final class RtcUserCheck {
  private RtcUserCheck() {}

  static Optional<Finding> check(HeldValue held, IntendedUse use) {
    if (use.uid().isPresent()) {
      return uid(held, use.uid().get());
    }
    return use.account().flatMap(account -> account(held, account));
  }

  private static Optional<Finding> uid(HeldValue held, long uid) {
    String wire = uid == 0 ? "" : Long.toString(uid);
    if (held.matches("") || held.matches(wire)) {
      return Optional.empty();
    }
    boolean holdsAccount = held.text().map(t -> !isUidText(t)).orElse(uid == 0 && held.matches("0"));
    if (holdsAccount) {
      String account = held.text().orElse("0");
      String why = uid == 0 ? "; uid 0 is packed empty and binds no user" : "";
      return Optional.of(new Finding(FindingReason.USER_KIND_MISMATCH,
          "the token holds the string user account " + Finding.quote(account) + ", the use names the numeric uid "
              + uid + why,
          "join with the user account " + Finding.quote(account) + " (joinChannelWithUserAccount), or issue the token for uid "
              + uid));
    }
    String message = uid == 0
        ? "the token is for " + held.described("user") + "; uid 0 lets the SDK pick a uid, which will not match"
        : "the token is for " + held.described("user") + ", the use names uid " + uid;
    return Optional.of(new Finding(FindingReason.USER_MISMATCH, message,
        "join with the uid the token was issued for, or issue a token for uid " + uid));
  }

  private static Optional<Finding> account(HeldValue held, String account) {
    if (held.matches(account)) {
      return Optional.empty();
    }
    if (held.matches("")) {
      return Optional.of(new Finding(FindingReason.USER_KIND_MISMATCH,
          "the token holds uid 0 (packed empty: any numeric uid), the use names the string user account "
              + Finding.quote(account),
          "issue the token for the user account " + Finding.quote(account) + ", or join with a numeric uid"));
    }
    Optional<String> heldUid = held.text().filter(RtcUserCheck::isUidText);
    if (heldUid.isPresent() && !isUidText(account)) {
      return Optional.of(new Finding(FindingReason.USER_KIND_MISMATCH,
          "the token holds the numeric uid " + heldUid.get() + ", the use names the string user account "
              + Finding.quote(account),
          "join with uid " + heldUid.get() + " (joinChannel), or issue the token for the user account "
              + Finding.quote(account)));
    }
    return Optional.of(new Finding(FindingReason.USER_MISMATCH,
        "the token is for " + held.described("user") + ", the use names the account " + Finding.quote(account),
        "join with the account the token was issued for, or issue a token for " + Finding.quote(account)));
  }

  /** Text a builder writes for a uid other than 0: canonical decimal, 1 to 4294967295. */
  static boolean isUidText(String text) {
    if (text.isEmpty() || text.length() > 10 || text.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(text) <= IntendedUse.MAX_UID;
  }
}
