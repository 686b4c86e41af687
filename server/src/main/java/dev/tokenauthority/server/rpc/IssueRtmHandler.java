package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.policy.TokenKind;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.RtmGrant;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** IssueRtmToken. */
final class IssueRtmHandler {
  static final Map<String, String> FIELDS = Map.of(
      "userid", "user_id", "user", "user_id", "account", "user_id", "useraccount", "user_id",
      "channel", "user_id", "channelname", "user_id", "expire", "lifetime_seconds",
      "tokenexpire", "lifetime_seconds", "lifetime", "lifetime_seconds");

  private final TokenEngine engine;
  private final Clock clock;

  IssueRtmHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  IssueRtmTokenResponse handle(IssueRtmTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    audit.app(req.getApp()).kind(TokenKind.RTM.id()).subject(req.getUserId());
    AgoraApp app = Apps.require(scope.app("app", req.getApp()), AgoraApp.class, "RTM tokens need an agora app");
    scope.requireKind(TokenKind.RTM);
    TokenFormat format = AgoraFormats.of(req.getFormat());
    if (req.getUserId().isEmpty()) {
      throw ApiException.invalidArgument("user_id", "USER_ID_REQUIRED", "user_id must not be empty");
    }
    Duration lifetime = AgoraFormats.lifetime(scope, "lifetime_seconds",
        IssueRtcHandler.optional(req.hasLifetimeSeconds(), req.getLifetimeSeconds()), format);
    audit.lifetimeSeconds(lifetime.getSeconds());
    RtmGrant grant = new RtmGrant(req.getUserId(), format);
    PreparedToken prepared = Minting.prepare(engine, app, grant, clock.instant(), lifetime, FIELDS);
    scope.requireUser("user_id", grant.userId()); // authorise, then sign
    Minted minted = Minting.sign(engine, prepared, FIELDS);
    audit.token(minted.claims());
    return IssueRtmTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .build();
  }
}
