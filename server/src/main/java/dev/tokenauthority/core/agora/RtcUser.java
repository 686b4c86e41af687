package dev.tokenauthority.core.agora;

import java.util.Objects;

/**
 * The user an RTC token is bound to: a numeric uid (0 = not bound) or a string account. Both end
 * up as text on the wire: uid 0 as "", other uids as decimal text, accounts as they are.
 */
public final class RtcUser {
  private final long uid;
  private final String account;

  private RtcUser(long uid, String account) {
    this.uid = uid;
    this.account = account;
  }

  /** A numeric uid, 0 to 4294967295 (0 = any user may use the token). */
  public static RtcUser uid(long uid) {
    return new RtcUser(AgoraValidation.uid(uid), null);
  }

  /** A string user account, 1–255 bytes. */
  public static RtcUser account(String account) {
    return new RtcUser(-1, AgoraValidation.userAccount(account));
  }

  public boolean isAccount() {
    return account != null;
  }

  /** The text packed into the token: "" for uid 0, decimal uid, or the account. */
  public String wireText() {
    if (account != null) {
      return account;
    }
    return uid == 0 ? "" : Long.toString(uid);
  }

  /** The natural RTM user id for this user: the account, or the uid's decimal text ("" for uid 0). */
  public String defaultRtmUserId() {
    return account != null ? account : uid == 0 ? "" : Long.toString(uid);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RtcUser other && uid == other.uid && Objects.equals(account, other.account);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uid, account);
  }

  @Override
  public String toString() {
    return account != null ? "RtcUser[account=" + account + "]" : "RtcUser[uid=" + uid + "]";
  }
}
