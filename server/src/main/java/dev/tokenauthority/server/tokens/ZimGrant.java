package dev.tokenauthority.server.tokens;

import dev.tokenauthority.server.policy.TokenKind;
import java.util.List;
import java.util.Optional;

/** A ZEGO Token04, optionally with an RTC room privilege payload. */
public record ZimGrant(String userId, Optional<Room> room) implements Grant {
  @Override
  public TokenKind kind() {
    return TokenKind.ZIM;
  }

  @Override
  public String subject() {
    return userId;
  }

  /** The room payload; empty stream ids = any stream. */
  public record Room(String roomId, boolean canLogin, boolean canPublish, List<String> streamIds) {
    public Room {
      streamIds = List.copyOf(streamIds);
    }
  }
}
