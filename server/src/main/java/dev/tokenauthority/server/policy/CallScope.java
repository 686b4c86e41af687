package dev.tokenauthority.server.policy;

import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Echo;
import dev.tokenauthority.server.identity.CallerIdentity;
import io.grpc.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a handler needs to decide one call: the configuration snapshot read when the call
 * started, who is calling, their policy and the RPC name. Its checks throw {@link ApiException}s
 * with stable reasons; handlers call them in the order fields appear in the request.
 */
public record CallScope(ServerConfig config, CallerIdentity caller, CallerPolicy policy, String rpc) {
  static final Context.Key<CallScope> KEY = Context.key("tokenauthority-scope");
  /** The configuration's rule for app references (1-63 characters). */
  static final int MAX_APP_NAME_CHARS = 63;

  public static CallScope current() {
    CallScope scope = KEY.get();
    if (scope == null) {
      throw new IllegalStateException("no call scope; is PolicyInterceptor installed?");
    }
    return scope;
  }

  public Context attachTo(Context context) {
    return context.withValue(KEY, this);
  }

  /** Resolves an app reference the caller may use: empty → INVALID_ARGUMENT, not allowed → PERMISSION_DENIED. */
  public AppConfig app(String field, String name) {
    if (name.isEmpty()) {
      throw ApiException.invalidArgument(field, "APP_REQUIRED", field + " must name a configured app");
    }
    if (name.length() > MAX_APP_NAME_CHARS) { // before any lookup: no configured name is longer
      throw ApiException.invalidArgument(field, "APP_NAME_TOO_LONG", field + " is " + name.length()
          + " characters; app references are at most " + MAX_APP_NAME_CHARS);
    }
    if (!policy.allowsApp(name)) {
      throw ApiException.permissionDenied(field, "APP_NOT_ALLOWED",
          "caller " + Echo.of(caller.id()) + " may not use app '" + Echo.of(name) + "'");
    }
    return config.app(name).orElseThrow(() ->
        ApiException.notFound(field, "APP_NOT_FOUND", "no app '" + Echo.of(name) + "' is configured"));
  }

  /** Whether the caller may see the app at all (InspectToken decides whether to verify). */
  public boolean canSee(AppConfig app) {
    return policy.allowsApp(app.name());
  }

  public void requireKind(TokenKind kind) {
    if (!policy.kinds().contains(kind)) {
      throw ApiException.permissionDenied("TOKEN_KIND_NOT_ALLOWED",
          "caller " + Echo.of(caller.id()) + " may not obtain " + kind.id() + " tokens");
    }
  }

  public void requireRtcRole(String field, RtcRoleRule role) {
    if (!policy.rtcRoles().contains(role)) {
      throw ApiException.permissionDenied(field, "RTC_ROLE_NOT_ALLOWED",
          "caller " + Echo.of(caller.id()) + " may not mint " + role.id() + " RTC tokens");
    }
  }

  public void requireChannel(String field, String channel) {
    Optional<java.util.regex.Pattern> p = policy.channelPattern();
    if (p.isPresent() && !p.get().matcher(channel).matches()) {
      throw ApiException.permissionDenied(field, "CHANNEL_NOT_ALLOWED",
          "caller " + Echo.of(caller.id()) + " may not use this channel or room");
    }
  }

  public void requireUser(String field, String user) {
    Optional<java.util.regex.Pattern> p = policy.userPattern();
    if (p.isPresent() && !p.get().matcher(user).matches()) {
      throw ApiException.permissionDenied(field, "USER_NOT_ALLOWED",
          "caller " + Echo.of(caller.id()) + " may not issue tokens for this user");
    }
  }

  /**
   * As {@link #requireUser}, for a vendor whose user ids are case-insensitive (Easemob folds them to
   * lower case): the id must pass as sent and folded, or "ADMIN" would dodge a pattern like
   * "(?!admin).*" and still log in as admin.
   */
  public void requireCaseInsensitiveUser(String field, String user) {
    requireUser(field, user);
    requireUser(field, user.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The lifetime to issue: the request's if set (must be positive and within the caller's
   * maximum, else INVALID_ARGUMENT), otherwise the caller's default.
   */
  public Duration lifetime(String field, Optional<Long> requested) {
    if (requested.isEmpty()) {
      return Duration.ofSeconds(policy.defaultLifetimeSeconds());
    }
    long s = requested.get();
    if (s <= 0) {
      throw ApiException.invalidArgument(field, "LIFETIME_NOT_POSITIVE", field + " must be at least 1 second");
    }
    if (s > policy.maxLifetimeSeconds()) {
      throw ApiException.invalidArgument(field, "LIFETIME_EXCEEDS_POLICY",
          field + " must not exceed " + policy.maxLifetimeSeconds() + " seconds for this caller");
    }
    return Duration.ofSeconds(s);
  }

  /** Caps a lifetime the caller did not ask for explicitly (a renewal keeping the old one). */
  public Duration capLifetime(Duration d) {
    long s = Math.max(1, Math.min(d.getSeconds(), policy.maxLifetimeSeconds()));
    return Duration.ofSeconds(s);
  }
}
