package dev.tokenauthority.server.policy;

import dev.tokenauthority.server.limits.CallerQuota;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one caller identity may do. Everything not listed is denied.
 *
 * @param identity the caller identity (SPIFFE id, DNS name or CN) this policy applies to
 * @param apps app references the caller may use; {@code *} allows every app
 * @param rpcs RPC names (e.g. "IssueRtcToken"); {@code *} allows every RPC
 * @param kinds token kinds the caller may obtain (issue and renew)
 * @param rtcRoles RTC privilege sets the caller may mint
 * @param maxLifetimeSeconds the longest token lifetime the caller may obtain
 * @param defaultLifetimeSeconds the lifetime used when a request names none (at most the maximum)
 * @param channelPattern optional full-match pattern for RTC channels and ZEGO room ids
 * @param userPattern optional full-match pattern for every user id, account, uid text or UUID
 * @param mayRegisterUsers whether vendor bridges may create missing chat users for this caller
 * @param quota the caller's own concurrency cap and rate, where they differ from limits.per_caller
 */
public record CallerPolicy(
    String identity,
    Set<String> apps,
    Set<String> rpcs,
    Set<TokenKind> kinds,
    Set<RtcRoleRule> rtcRoles,
    long maxLifetimeSeconds,
    long defaultLifetimeSeconds,
    Optional<Pattern> channelPattern,
    Optional<Pattern> userPattern,
    boolean mayRegisterUsers,
    CallerQuota quota) {

  public static final String ANY = "*";

  public CallerPolicy {
    Objects.requireNonNull(quota);
    apps = Set.copyOf(apps);
    rpcs = Set.copyOf(rpcs);
    kinds = Set.copyOf(kinds);
    rtcRoles = Set.copyOf(rtcRoles);
  }

  /** A policy on the server's default per-caller limits. */
  public CallerPolicy(String identity, Set<String> apps, Set<String> rpcs, Set<TokenKind> kinds,
      Set<RtcRoleRule> rtcRoles, long maxLifetimeSeconds, long defaultLifetimeSeconds,
      Optional<Pattern> channelPattern, Optional<Pattern> userPattern, boolean mayRegisterUsers) {
    this(identity, apps, rpcs, kinds, rtcRoles, maxLifetimeSeconds, defaultLifetimeSeconds, channelPattern,
        userPattern, mayRegisterUsers, CallerQuota.DEFAULTS);
  }

  public boolean allowsApp(String app) {
    return apps.contains(ANY) || apps.contains(app);
  }

  public boolean allowsRpc(String rpc) {
    return rpcs.contains(ANY) || rpcs.contains(rpc);
  }
}
