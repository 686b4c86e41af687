package dev.tokenauthority.core.diagnose;

/**
 * Why a vendor would refuse a token for an intended use. The names are stable API (they appear in
 * InspectToken responses and {@code inspect --expect-*} output); docs/troubleshooting.md maps the
 * vendors' client error codes to them.
 */
public enum FindingReason {
  /** The token binds a numeric uid and the use names a string account, or the reverse (uid 0 vs account "0"). */
  USER_KIND_MISMATCH,
  /** The token is bound to another channel. */
  CHANNEL_MISMATCH,
  /** The token is bound to another user (RTC uid/account, RTM user, chat user, ZEGO user). */
  USER_MISMATCH,
  /** The token was issued for another app. */
  APP_ID_MISMATCH,
  /** The token has the service but not the privilege the use needs. */
  PRIVILEGE_MISSING,
  /** The privilege the use needs has expired at the moment of use. */
  PRIVILEGE_EXPIRED,
  /** The token as a whole has expired at the moment of use. */
  TOKEN_EXPIRED,
  /** The token's issue time is after the moment of use. */
  TOKEN_NOT_YET_VALID,
  /** The token does not carry the service the use needs (an RTM-only token used for RTC). */
  SERVICE_MISSING,
  /** The ZEGO token's room privileges are for another room. */
  ZEGO_ROOM_NOT_COVERED,
  /** The ZEGO token lists the stream ids it may publish, and not this one. */
  ZEGO_STREAM_NOT_COVERED,
  /** The ZEGO token's room privileges do not allow publishing. */
  ZEGO_PUBLISH_NOT_ALLOWED,
  /** The token's signature (or decryption) failed for the app: the vendor refuses it whatever the use. */
  TOKEN_NOT_AUTHENTIC,
  /** The token could not be verified here (no credential, or the app is not visible): acceptance unknown. */
  TOKEN_NOT_VERIFIED
}
