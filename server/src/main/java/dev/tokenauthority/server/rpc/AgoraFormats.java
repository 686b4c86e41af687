package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.RtcGrant;
import dev.tokenauthority.server.tokens.RtmGrant;
import java.time.Duration;
import java.util.Optional;

/**
 * The request's format field for Agora tokens: 007 (default) or 006; and the "006" vendor default
 * lifetime.
 */
final class AgoraFormats {
  /** The vendor's 24 h: how long every "006" token lives, and so what its vendor default grants. */
  static final long VENDOR_DEFAULT_SECONDS = 86_400;

  private AgoraFormats() {}

  /**
   * The lifetime to issue an Agora token with. {@code lifetime_seconds = 0} on a "006" request is
   * the vendor default (seeds 001, 002: {@code privilegeExpiredTs = 0}): {@link Duration#ZERO},
   * which the token engine packs as privileges of 0, valid the vendor's 24 h from issue. It passes
   * the policy check a request for 24 h would. Anything else (any format; null for other vendors):
   * {@link CallScope#lifetime}.
   */
  static Duration lifetime(CallScope scope, String field, Optional<Long> requested, TokenFormat format) {
    if (format == TokenFormat.AGORA_006 && requested.isPresent() && requested.get() == 0) {
      scope.lifetime(field, Optional.of(VENDOR_DEFAULT_SECONDS));
      return Duration.ZERO;
    }
    return scope.lifetime(field, requested);
  }

  /** How long privileges may live under a lifetime: the vendor's 24 h for the vendor default. */
  static long privilegeBound(Duration lifetime) {
    return lifetime.isZero() ? VENDOR_DEFAULT_SECONDS : lifetime.getSeconds();
  }

  /** The Agora format of a grant, or empty for other vendors. */
  static Optional<TokenFormat> of(Grant grant) {
    if (grant instanceof RtcGrant rtc) {
      return Optional.of(rtc.format());
    }
    if (grant instanceof RtmGrant rtm) {
      return Optional.of(rtm.format());
    }
    return Optional.empty();
  }

  /** A "006" grant in the vendor default form: every privilege packed with 0. */
  static boolean isVendorDefault(Grant grant) {
    if (grant instanceof RtcGrant rtc) {
      return rtc.format() == TokenFormat.AGORA_006 && !rtc.privilegeSeconds().isEmpty()
          && rtc.privilegeSeconds().values().stream().allMatch(s -> s == 0);
    }
    return grant instanceof RtmGrant rtm && rtm.format() == TokenFormat.AGORA_006
        && rtm.loginSeconds().isPresent() && rtm.loginSeconds().getAsLong() == 0;
  }

  static TokenFormat of(dev.tokenauthority.api.v1.TokenFormat f) {
    return switch (f) {
      case TOKEN_FORMAT_UNSPECIFIED, TOKEN_FORMAT_AGORA_007 -> TokenFormat.AGORA_007;
      case TOKEN_FORMAT_AGORA_006 -> TokenFormat.AGORA_006;
      default -> throw ApiException.invalidArgument("format", "FORMAT_NOT_SUPPORTED",
          "Agora tokens are TOKEN_FORMAT_AGORA_007 or TOKEN_FORMAT_AGORA_006");
    };
  }
}
