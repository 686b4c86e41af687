package dev.tokenauthority.core.agora006;

import dev.tokenauthority.core.agora.RtcPrivilege;

/** "006" privilege keys: RTC 1..4 as in {@link RtcPrivilege}, and 1000 = RTM login. */
public final class LegacyPrivilege {
  public static final int RTM_LOGIN = 1000;

  private LegacyPrivilege() {}

  static String serviceName(int key) {
    if (key == RTM_LOGIN) return "rtm";
    return RtcPrivilege.ofCode(key).isPresent() ? "rtc" : "unknown";
  }

  static String name(int key) {
    if (key == RTM_LOGIN) return "login";
    return RtcPrivilege.ofCode(key).map(RtcPrivilege::wireName).orElse("privilege_" + key);
  }
}
