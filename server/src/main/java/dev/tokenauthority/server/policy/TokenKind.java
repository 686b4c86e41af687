package dev.tokenauthority.server.policy;

import java.util.Arrays;
import java.util.Optional;

/** What a token is for; policies allow kinds, and RenewToken re-checks the kind of the old token. */
public enum TokenKind {
  RTC("rtc"),
  RTM("rtm"),
  CHAT_USER("chat_user"),
  CHAT_APP("chat_app"),
  EASEMOB_USER("easemob_user"),
  ZIM("zim");

  private final String id;

  TokenKind(String id) {
    this.id = id;
  }

  /** Spelling in configuration and audit lines. */
  public String id() {
    return id;
  }

  public static Optional<TokenKind> byId(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
  }
}
