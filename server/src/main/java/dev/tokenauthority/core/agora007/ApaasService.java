package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Objects;
import java.util.SortedMap;

/**
 * APaaS (type 7): privileges 1 room user, 2 user, 3 app; room UUID, user UUID and an i16 role.
 * Read, not issued.
 */
public record ApaasService(
    SortedMap<Integer, Long> privileges, String roomUuid, String userUuid, short role)
    implements Service {
  public ApaasService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(roomUuid, "roomUuid");
    Objects.requireNonNull(userUuid, "userUuid");
  }

  @Override
  public int type() {
    return ServiceType.APAAS;
  }

  @Override
  public String serviceName() {
    return "apaas";
  }

  @Override
  public String privilegeName(int key) {
    return switch (key) {
      case 1 -> "room_user";
      case 2 -> "user";
      case 3 -> "app";
      default -> Privileges.unnamed(key);
    };
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(roomUuid).string(userUuid).u16(role & 0xFFFF);
  }
}
