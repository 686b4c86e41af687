package dev.tokenauthority.core.agora;

import java.util.Optional;

/** The four RTC privileges; the same codes in 007 (service 1) and 006. */
public enum RtcPrivilege {
  JOIN_CHANNEL(1, "join_channel"),
  PUBLISH_AUDIO(2, "publish_audio"),
  PUBLISH_VIDEO(3, "publish_video"),
  PUBLISH_DATA_STREAM(4, "publish_data_stream");

  /** Indexed by code (codes are 1-4); values() would clone the array on every lookup. */
  private static final Optional<RtcPrivilege>[] BY_CODE = byCode();

  private final int code;
  private final String wireName;

  RtcPrivilege(int code, String wireName) {
    this.code = code;
    this.wireName = wireName;
  }

  public int code() {
    return code;
  }

  /** The format-neutral name used in {@link dev.tokenauthority.core.Privilege}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<RtcPrivilege> ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Optional<RtcPrivilege>[] byCode() {
    Optional<RtcPrivilege>[] table = new Optional[PUBLISH_DATA_STREAM.code + 1];
    java.util.Arrays.fill(table, Optional.empty());
    for (RtcPrivilege p : values()) {
      table[p.code] = Optional.of(p);
    }
    return table;
  }
}
