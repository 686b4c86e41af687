package dev.tokenauthority.core.agora;

/** Agora's documented limits, in one place so validation and docs agree. */
public final class AgoraLimits {
  /** A token, and every privilege, lives at most 24 h; longer requests are rejected, not clamped. */
  public static final long MAX_LIFETIME_SECONDS = 86_400;

  public static final int MAX_CHANNEL_NAME_BYTES = 64;
  public static final int MAX_USER_ACCOUNT_BYTES = 255;
  public static final int MAX_RTM_USER_ID_BYTES = 64;
  public static final int MAX_CHAT_USER_UUID_BYTES = 64;
  public static final long MAX_UID = 0xFFFF_FFFFL;
  public static final long MAX_U32 = 0xFFFF_FFFFL;

  private AgoraLimits() {}
}
