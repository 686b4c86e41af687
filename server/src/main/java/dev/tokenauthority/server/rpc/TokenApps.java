package dev.tokenauthority.server.rpc;

import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.tokens.LegacyBinding;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.util.List;
import java.util.Optional;

/**
 * Which configured app a token belongs to, for RenewToken and InspectToken. Tokens with a clear app
 * id match by id; a ZEGO token (encrypted) belongs to the first visible ZEGO app whose secret
 * decrypts it.
 */
final class TokenApps {
  private TokenApps() {}

  /** Apps of the token's vendor whose app id is the token's (any, when the id is not in the clear). */
  static List<AppConfig> matching(CallScope scope, AnyToken token) {
    return scope.config().apps().values().stream()
        .filter(a -> belongs(a, token))
        .sorted((x, y) -> x.name().compareTo(y.name()))
        .toList();
  }

  /** The first matching app the caller may use and (for ZEGO) whose secret opens the token. */
  static Optional<AppConfig> visible(
      CallScope scope, AnyToken token, TokenEngine engine, Optional<LegacyBinding> binding) {
    for (AppConfig app : matching(scope, token)) {
      if (!scope.canSee(app)) {
        continue;
      }
      if (token.appId().isPresent()) {
        return Optional.of(app);
      }
      try {
        engine.authenticate(token, app, binding);
        return Optional.of(app);
      } catch (TokenVerificationException e) {
        if (!e.reason().equals(TokenVerificationException.SIGNATURE_MISMATCH)) {
          return Optional.of(app); // decrypted, then failed a later check: it is this app's token
        }
      } catch (TokenException e) {
        return Optional.of(app);
      }
    }
    return Optional.empty();
  }

  static boolean belongs(AppConfig app, AnyToken token) {
    return fits(app, token.format()) && token.appId().map(app.tokenAppId()::equals).orElse(true);
  }

  static boolean fits(AppConfig app, TokenFormat format) {
    return switch (format) {
      case AGORA_007, AGORA_006 -> app.vendor() == AppConfig.Vendor.AGORA;
      case ZEGO_04 -> app.vendor() == AppConfig.Vendor.ZEGO;
      case EASEMOB_DT -> app.vendor() == AppConfig.Vendor.EASEMOB;
    };
  }
}
