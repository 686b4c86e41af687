package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenResponse;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.ZegoApp;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.policy.TokenKind;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.PreparedToken;
import dev.tokenauthority.server.tokens.TokenEngine;
import dev.tokenauthority.server.tokens.ZimGrant;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** IssueZimToken: ZEGO Token04, optionally with an RTC room payload. */
final class IssueZimHandler {
  static final Map<String, String> FIELDS = Map.of(
      "userid", "user_id", "user", "user_id", "roomid", "room.room_id", "room", "room.room_id",
      "streamid", "room.stream_ids", "streamids", "room.stream_ids", "streamidlist", "room.stream_ids",
      "expire", "lifetime_seconds", "lifetime", "lifetime_seconds", "effectivetimeinseconds", "lifetime_seconds");

  private final TokenEngine engine;
  private final Clock clock;

  IssueZimHandler(TokenEngine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  IssueZimTokenResponse handle(IssueZimTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    audit.app(req.getApp()).kind(TokenKind.ZIM.id()).subject(req.getUserId());
    ZegoApp app = Apps.require(scope.app("app", req.getApp()), ZegoApp.class, "ZIM tokens need a zego app");
    scope.requireKind(TokenKind.ZIM);
    if (req.getUserId().isEmpty()) {
      throw ApiException.invalidArgument("user_id", "USER_ID_REQUIRED", "user_id must not be empty");
    }
    Optional<ZimGrant.Room> room = Optional.empty();
    if (req.hasRoom()) {
      ZegoRoomPrivileges r = req.getRoom();
      if (r.getRoomId().isEmpty()) {
        throw ApiException.invalidArgument("room.room_id", "ROOM_ID_REQUIRED", "room.room_id must not be empty");
      }
      room = Optional.of(new ZimGrant.Room(r.getRoomId(), r.getCanLogin(), r.getCanPublish(), r.getStreamIdsList()));
    }
    Duration lifetime = scope.lifetime("lifetime_seconds",
        IssueRtcHandler.optional(req.hasLifetimeSeconds(), req.getLifetimeSeconds()));
    audit.lifetimeSeconds(lifetime.getSeconds());
    ZimGrant grant = new ZimGrant(req.getUserId(), room);
    PreparedToken prepared = Minting.prepare(engine, app, grant, clock.instant(), lifetime, FIELDS);
    checkPolicy(scope, grant); // authorise, then sign
    Minted minted = Minting.sign(engine, prepared, FIELDS);
    audit.token(minted.claims());
    return IssueZimTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .build();
  }

  static void checkPolicy(CallScope scope, ZimGrant grant) {
    scope.requireUser("user_id", grant.userId());
    if (grant.room().isPresent()) {
      scope.requireChannel("room.room_id", grant.room().get().roomId());
    }
  }
}
