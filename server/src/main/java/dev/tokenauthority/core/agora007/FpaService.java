package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.SortedMap;

/** FPA (type 4): privilege 1 login, no further fields. Read, not issued. */
public record FpaService(SortedMap<Integer, Long> privileges) implements Service {
  public FpaService {
    privileges = Privileges.copyOf(privileges);
  }

  @Override
  public int type() {
    return ServiceType.FPA;
  }

  @Override
  public String serviceName() {
    return "fpa";
  }

  @Override
  public String privilegeName(int key) {
    return key == 1 ? "login" : Privileges.unnamed(key);
  }

  @Override
  public void writeFields(LittleEndianWriter out) {}
}
