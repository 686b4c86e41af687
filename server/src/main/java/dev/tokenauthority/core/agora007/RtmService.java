package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Objects;
import java.util.SortedMap;

/** RTM (type 2): privilege 1 login; then the user id. */
public record RtmService(SortedMap<Integer, Long> privileges, String userId) implements Service {
  public static final int LOGIN = 1;

  public RtmService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(userId, "userId");
  }

  /** A validated RTM login for {@code userId} (1–64 bytes, field "user_id"). */
  public static RtmService login(String userId, long privilegeLifetimeSeconds) {
    return login(AgoraValidation.FIELD_USER_ID, userId, AgoraLimits.MAX_RTM_USER_ID_BYTES,
        privilegeLifetimeSeconds);
  }

  /**
   * A validated RTM login whose user id is checked under {@code field} with {@code maxBytes}; the
   * RTC+RTM token uses "rtm_user_id" (with the same 64-byte limit).
   */
  public static RtmService login(String field, String userId, int maxBytes, long privilegeLifetimeSeconds) {
    AgoraValidation.rtmUserId(field, userId, maxBytes);
    AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, privilegeLifetimeSeconds);
    return new RtmService(Privileges.single(LOGIN, privilegeLifetimeSeconds), userId);
  }

  @Override
  public int type() {
    return ServiceType.RTM;
  }

  @Override
  public String serviceName() {
    return "rtm";
  }

  @Override
  public String privilegeName(int key) {
    return key == LOGIN ? "login" : Privileges.unnamed(key);
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(userId);
  }
}
