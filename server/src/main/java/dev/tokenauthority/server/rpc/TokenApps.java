package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.policy.CallScope;
import java.util.List;
import java.util.Optional;

/** Which configured app a token belongs to, for RenewToken and InspectToken. */
final class TokenApps {
  private TokenApps() {}

  /** Apps whose vendor app id is the token's and whose vendor speaks the token's format, in name order. */
  static List<AppConfig> matching(CallScope scope, TokenClaims claims) {
    return scope.config().apps().values().stream()
        .filter(a -> a.tokenAppId().equals(claims.appId()) && fits(a, claims.format()))
        .sorted((x, y) -> x.name().compareTo(y.name()))
        .toList();
  }

  /** The first matching app the caller may use. */
  static Optional<AppConfig> visible(CallScope scope, TokenClaims claims) {
    return matching(scope, claims).stream().filter(scope::canSee).findFirst();
  }

  static boolean belongs(AppConfig app, TokenClaims claims) {
    return app.tokenAppId().equals(claims.appId()) && fits(app, claims.format());
  }

  static boolean fits(AppConfig app, TokenFormat format) {
    return switch (format) {
      case AGORA_007, AGORA_006 -> app.vendor() == AppConfig.Vendor.AGORA;
      case ZEGO_04 -> app.vendor() == AppConfig.Vendor.ZEGO;
      case EASEMOB_DT -> app.vendor() == AppConfig.Vendor.EASEMOB;
    };
  }
}
