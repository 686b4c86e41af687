package dev.tokenauthority.server.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * RTC privilege sets a caller may mint: the two vendor roles, or CUSTOM for explicit per-privilege
 * lifetimes that match neither role.
 */
public enum RtcRoleRule {
  PUBLISHER("publisher"),
  SUBSCRIBER("subscriber"),
  CUSTOM("custom");

  private final String id;

  RtcRoleRule(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<RtcRoleRule> byId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
  }
}
