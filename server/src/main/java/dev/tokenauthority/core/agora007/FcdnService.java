package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Objects;
import java.util.SortedMap;

/** FCDN (type 6): privileges 1 publish, 2 play; channel name and account. Read, not issued. */
public record FcdnService(SortedMap<Integer, Long> privileges, String channelName, String account)
    implements Service {
  public FcdnService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(channelName, "channelName");
    Objects.requireNonNull(account, "account");
  }

  @Override
  public int type() {
    return ServiceType.FCDN;
  }

  @Override
  public String serviceName() {
    return "fcdn";
  }

  @Override
  public String privilegeName(int key) {
    return switch (key) {
      case 1 -> "publish";
      case 2 -> "play";
      default -> Privileges.unnamed(key);
    };
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(channelName).string(account);
  }
}
