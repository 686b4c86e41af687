package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Chat (type 5): privilege 1 user (SDK login, user id = the chat user's UUID) or 2 app (REST
 * calls, user id empty).
 */
public record ChatService(SortedMap<Integer, Long> privileges, String userId) implements Service {
  public static final int USER = 1;
  public static final int APP = 2;

  public ChatService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(userId, "userId");
  }

  /** A chat user token's service for the user with this UUID. */
  public static ChatService user(String userUuid, long privilegeLifetimeSeconds) {
    AgoraValidation.chatUserUuid(userUuid);
    AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, privilegeLifetimeSeconds);
    return new ChatService(Privileges.single(USER, privilegeLifetimeSeconds), userUuid);
  }

  /** A chat app token's service. */
  public static ChatService app(long privilegeLifetimeSeconds) {
    AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, privilegeLifetimeSeconds);
    return new ChatService(Privileges.single(APP, privilegeLifetimeSeconds), "");
  }

  @Override
  public int type() {
    return ServiceType.CHAT;
  }

  @Override
  public String serviceName() {
    return "chat";
  }

  @Override
  public String privilegeName(int key) {
    return switch (key) {
      case USER -> "user";
      case APP -> "app";
      default -> Privileges.unnamed(key);
    };
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(userId);
  }
}
