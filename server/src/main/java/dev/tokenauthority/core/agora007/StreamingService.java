package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.Objects;
import java.util.SortedMap;

/** Streaming (type 3), read so tokens carrying it can be inspected; not issued. */
public record StreamingService(SortedMap<Integer, Long> privileges, String channelName, String account)
    implements Service {
  public StreamingService {
    privileges = Privileges.copyOf(privileges);
    Objects.requireNonNull(channelName, "channelName");
    Objects.requireNonNull(account, "account");
  }

  @Override
  public int type() {
    return ServiceType.STREAMING;
  }

  @Override
  public String serviceName() {
    return "streaming";
  }

  @Override
  public String privilegeName(int key) {
    return switch (key) {
      case 1 -> "publish_mix_stream";
      case 2 -> "publish_raw_stream";
      default -> Privileges.unnamed(key);
    };
  }

  @Override
  public void writeFields(LittleEndianWriter out) {
    out.string(channelName).string(account);
  }
}
