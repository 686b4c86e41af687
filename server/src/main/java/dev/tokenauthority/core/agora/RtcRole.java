package dev.tokenauthority.core.agora;

import java.util.EnumSet;
import java.util.Set;

/** RTC roles as the vendor defines them: which privileges a role's token carries. */
public enum RtcRole {
  /** Join, publish audio, publish video, publish data streams. */
  PUBLISHER(EnumSet.allOf(RtcPrivilege.class)),
  /** Join only. */
  SUBSCRIBER(EnumSet.of(RtcPrivilege.JOIN_CHANNEL));

  private final Set<RtcPrivilege> privileges;

  RtcRole(EnumSet<RtcPrivilege> privileges) {
    this.privileges = java.util.Collections.unmodifiableSet(privileges);
  }

  public Set<RtcPrivilege> privileges() {
    return privileges;
  }
}
