package dev.tokenauthority.core.agora.issue;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.RtcUser;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An RTC token request, validated when built. Give either a {@link RtcRole} (its privileges live
 * {@code privilegeLifetimeSeconds}, default: the token lifetime; 0 = no own limit) or explicit
 * per-privilege lifetimes (each packed, 0 included). {@code includeRtm} adds the RTM login for
 * {@code rtmUserId} (default: the account, or the uid's decimal text), expiring with the token
 * unless {@code rtmLoginLifetimeSeconds} says otherwise; "007" only. {@code chatUserUuid} adds the
 * Chat user privilege for that user, expiring with the token ("007" only; the CLI reproduces the
 * vendor's combined RTC + RTM + Chat builder with it). A "006" request may ask for lifetime 0, the
 * vendor default: its privileges are packed with 0 and the token lives the vendor's 24 h.
 */
public final class RtcTokenRequest {
  private final String channelName;
  private final RtcUser user;
  private final RtcRole role;
  private final Map<RtcPrivilege, Long> privilegeLifetimes;
  private final long lifetimeSeconds;
  private final OptionalLong privilegeLifetimeSeconds;
  private final TokenFormat format;
  private final boolean includeRtm;
  private final String rtmUserId;
  private final OptionalLong rtmLoginLifetimeSeconds;
  private final String chatUserUuid;
  private final IssueOverrides overrides;

  private RtcTokenRequest(Builder b) {
    this.channelName = AgoraValidation.channelName(b.channelName);
    if (b.user == null) {
      throw new InvalidTokenInputException("user", "USER_MISSING", "give a uid or a user account");
    }
    this.user = b.user;
    this.format = Formats.agora(b.format);
    this.lifetimeSeconds = Formats.lifetime(b.lifetimeSeconds, format);
    if (b.role != null && !b.privilegeLifetimes.isEmpty()) {
      throw new InvalidTokenInputException("role", "ROLE_AND_PRIVILEGES", "give either a role or privilege_lifetimes, not both");
    }
    if (b.role == null && b.privilegeLifetimes.isEmpty()) {
      throw new InvalidTokenInputException("role", "ROLE_MISSING", "give a role or privilege_lifetimes");
    }
    if (b.role == null && b.privilegeLifetimeSeconds.isPresent()) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_PRIVILEGE_LIFETIME,
          "PRIVILEGE_LIFETIME_WITHOUT_ROLE", "applies to a role; use privilege_lifetimes instead");
    }
    b.privilegeLifetimeSeconds.ifPresent(
        v -> AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, v));
    for (Map.Entry<RtcPrivilege, Long> e : b.privilegeLifetimes.entrySet()) {
      AgoraValidation.privilegeLifetime(fieldOf(e.getKey()), e.getValue());
    }
    this.role = b.role;
    // A role request (the common one) has none: share the empty map instead of copying one.
    this.privilegeLifetimes = b.privilegeLifetimes.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(b.privilegeLifetimes));
    this.privilegeLifetimeSeconds = b.privilegeLifetimeSeconds;
    if (b.includeRtm && format == TokenFormat.AGORA_006) {
      throw new InvalidTokenInputException("include_rtm", "RTM_NOT_IN_006", "a \"006\" token cannot carry RTM");
    }
    if (!b.includeRtm && b.rtmUserId != null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_RTM_USER_ID, "RTM_USER_ID_WITHOUT_RTM",
          "only with include_rtm");
    }
    this.includeRtm = b.includeRtm;
    this.rtmUserId = b.includeRtm
        ? AgoraValidation.rtmUserId(AgoraValidation.FIELD_RTM_USER_ID,
            b.rtmUserId != null ? b.rtmUserId : user.defaultRtmUserId(),
            // The vendor's combined RTC + RTM builder packs any account (its vectors hold 140-206
            // bytes); the API applies RTM's 64-byte login rule before this (IssueRtcHandler).
            dev.tokenauthority.core.agora.AgoraLimits.MAX_USER_ACCOUNT_BYTES)
        : null;
    if (!b.includeRtm && b.rtmLoginLifetimeSeconds.isPresent()) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, "RTM_LOGIN_WITHOUT_RTM",
          "only with include_rtm");
    }
    b.rtmLoginLifetimeSeconds.ifPresent(
        s -> AgoraValidation.privilegeLifetime(AgoraValidation.FIELD_PRIVILEGE_LIFETIME, s));
    this.rtmLoginLifetimeSeconds = b.rtmLoginLifetimeSeconds;
    if (b.chatUserUuid != null && format != TokenFormat.AGORA_007) {
      throw new IllegalArgumentException("a \"006\" token cannot carry Chat");
    }
    this.chatUserUuid = b.chatUserUuid == null ? null : AgoraValidation.chatUserUuid(b.chatUserUuid);
    this.overrides = Objects.requireNonNull(b.overrides, "overrides");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The request field a privilege's lifetime comes from, e.g. privilege_lifetimes.join_channel_seconds. */
  static String fieldOf(RtcPrivilege p) {
    return FIELDS.get(p);
  }

  /** The request field of each privilege's lifetime, named once rather than per request. */
  private static final Map<RtcPrivilege, String> FIELDS = fields();

  private static Map<RtcPrivilege, String> fields() {
    Map<RtcPrivilege, String> m = new EnumMap<>(RtcPrivilege.class);
    for (RtcPrivilege p : RtcPrivilege.values()) {
      m.put(p, "privilege_lifetimes." + p.wireName() + "_seconds");
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every privilege to pack with its lifetime in seconds (0 = no own limit). */
  public Map<RtcPrivilege, Long> effectivePrivilegeLifetimes() {
    if (role == null) {
      return privilegeLifetimes;
    }
    long each = rolePrivilegeSeconds();
    Map<RtcPrivilege, Long> out = new EnumMap<>(RtcPrivilege.class);
    role.privileges().forEach(p -> out.put(p, each));
    return Collections.unmodifiableMap(out);
  }

  public String channelName() { return channelName; }
  public RtcUser user() { return user; }
  public Optional<RtcRole> role() { return Optional.ofNullable(role); }
  /** The role, or null for explicit privilege lifetimes (the issuer's path without an Optional). */
  RtcRole roleOrNull() { return role; }
  /** The lifetime of each of the role's privileges (only with a role). */
  long rolePrivilegeSeconds() { return privilegeLifetimeSeconds.orElse(lifetimeSeconds); }
  /** The Chat user UUID or null. */
  String chatUserUuidOrNull() { return chatUserUuid; }
  public Map<RtcPrivilege, Long> privilegeLifetimes() { return privilegeLifetimes; }
  public long lifetimeSeconds() { return lifetimeSeconds; }
  public OptionalLong privilegeLifetimeSeconds() { return privilegeLifetimeSeconds; }
  public TokenFormat format() { return format; }
  public boolean includeRtm() { return includeRtm; }
  /** The RTM user id when {@link #includeRtm()}; empty otherwise. */
  public Optional<String> rtmUserId() { return Optional.ofNullable(rtmUserId); }
  /** The RTM login privilege's lifetime when {@link #includeRtm()}: its own, or the token's. */
  public long rtmLoginSeconds() { return rtmLoginLifetimeSeconds.orElse(lifetimeSeconds); }
  /** The Chat user the token also grants login to ("007"); empty for RTC (and RTM) only. */
  public Optional<String> chatUserUuid() { return Optional.ofNullable(chatUserUuid); }
  public IssueOverrides overrides() { return overrides; }

  /** Mutable, single-use. */
  public static final class Builder {
    private String channelName;
    private RtcUser user;
    private RtcRole role;
    /** Empty until the first explicit privilege (role requests never allocate one). */
    private Map<RtcPrivilege, Long> privilegeLifetimes = Map.of();
    private long lifetimeSeconds;
    private OptionalLong privilegeLifetimeSeconds = OptionalLong.empty();
    private TokenFormat format = TokenFormat.AGORA_007;
    private boolean includeRtm;
    private String rtmUserId;
    private OptionalLong rtmLoginLifetimeSeconds = OptionalLong.empty();
    private String chatUserUuid;
    private IssueOverrides overrides = IssueOverrides.NONE;

    private Builder() {}

    public Builder channelName(String channelName) { this.channelName = channelName; return this; }
    public Builder uid(long uid) { this.user = RtcUser.uid(uid); return this; }
    public Builder userAccount(String account) { this.user = RtcUser.account(account); return this; }
    public Builder user(RtcUser user) { this.user = user; return this; }
    public Builder role(RtcRole role) { this.role = role; return this; }
    /** An explicit privilege lifetime, instead of a role. */
    public Builder privilegeLifetime(RtcPrivilege privilege, long seconds) {
      if (privilegeLifetimes.isEmpty()) {
        privilegeLifetimes = new EnumMap<>(RtcPrivilege.class);
      }
      privilegeLifetimes.put(privilege, seconds);
      return this;
    }
    public Builder lifetimeSeconds(long seconds) { this.lifetimeSeconds = seconds; return this; }
    public Builder privilegeLifetimeSeconds(long seconds) {
      this.privilegeLifetimeSeconds = OptionalLong.of(seconds);
      return this;
    }
    public Builder format(TokenFormat format) { this.format = format; return this; }
    public Builder includeRtm(boolean includeRtm) { this.includeRtm = includeRtm; return this; }
    public Builder rtmUserId(String rtmUserId) { this.rtmUserId = rtmUserId; return this; }
    /** The RTM login's own lifetime (0 = no own limit); without it, the token's. */
    public Builder rtmLoginLifetimeSeconds(OptionalLong seconds) { this.rtmLoginLifetimeSeconds = seconds; return this; }
    /** Also grant Chat login to the user with this UUID ("007" only). */
    public Builder chatUserUuid(String uuid) { this.chatUserUuid = uuid; return this; }
    public Builder overrides(IssueOverrides overrides) { this.overrides = overrides; return this; }

    public RtcTokenRequest build() {
      return new RtcTokenRequest(this);
    }
  }
}
