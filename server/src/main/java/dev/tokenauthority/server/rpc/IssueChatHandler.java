package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.bridge.Vendor;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.bridges.VendorBridges;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.policy.TokenKind;
import dev.tokenauthority.server.tokens.ChatAppGrant;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.ChatUserGrant;
import dev.tokenauthority.server.tokens.EasemobDynamicGrant;
import dev.tokenauthority.server.tokens.EasemobTokenGrants;
import dev.tokenauthority.server.tokens.Grant;
import dev.tokenauthority.server.tokens.Minted;
import dev.tokenauthority.server.tokens.TokenEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * IssueChatToken: Agora Chat user (by UUID; by name through {@link ChatUserDirectory}) and app
 * tokens, Easemob dynamic tokens, and Easemob REST grants through {@link EasemobTokenGrants}.
 */
final class IssueChatHandler {
  static final Map<String, String> FIELDS = Map.of(
      "useruuid", "agora_user.user_uuid", "uuid", "agora_user.user_uuid",
      "userid", "easemob_user.user_id", "user", "easemob_user.user_id",
      "expire", "lifetime_seconds", "lifetime", "lifetime_seconds", "ttl", "lifetime_seconds");

  private final TokenEngine engine;
  private final ChatUserDirectory directory;
  private final EasemobTokenGrants grants;
  private final Clock clock;

  IssueChatHandler(TokenEngine engine, ChatUserDirectory directory, EasemobTokenGrants grants, Clock clock) {
    this.engine = engine;
    this.directory = directory;
    this.grants = grants;
    this.clock = clock;
  }

  /**
   * Whether this request may wait for a vendor's REST API (an Agora Chat user by name, an Easemob
   * password or inherit grant); every other chat token is minted locally without blocking.
   */
  static boolean needsVendor(IssueChatTokenRequest req) {
    return switch (req.getKindCase()) {
      case AGORA_USER -> req.getAgoraUser().getUserCase() == AgoraChatUser.UserCase.USER_NAME;
      case EASEMOB_USER -> req.getEasemobUser().getGrant() == EasemobGrant.EASEMOB_GRANT_PASSWORD
          || req.getEasemobUser().getGrant() == EasemobGrant.EASEMOB_GRANT_INHERIT;
      default -> false;
    };
  }

  IssueChatTokenResponse handle(IssueChatTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    audit.app(req.getApp());
    AppConfig app = scope.app("app", req.getApp());
    Duration lifetime;
    switch (req.getKindCase()) {
      case AGORA_USER -> {
        audit.kind(TokenKind.CHAT_USER.id());
        AgoraApp agora = Apps.require(app, AgoraApp.class, "agora_user needs an agora app");
        scope.requireKind(TokenKind.CHAT_USER);
        lifetime = lifetime(req, scope, audit);
        AgoraChatUser u = req.getAgoraUser();
        String uuid;
        switch (u.getUserCase()) {
          case USER_UUID -> {
            if (u.getRegisterIfMissing()) {
              throw ApiException.invalidArgument("agora_user.register_if_missing", "REGISTER_NEEDS_USER_NAME",
                  "register_if_missing applies to user_name only");
            }
            uuid = u.getUserUuid();
            if (uuid.isEmpty()) {
              throw ApiException.invalidArgument("agora_user.user_uuid", "USER_UUID_REQUIRED",
                  "agora_user.user_uuid must not be empty");
            }
            audit.subject(uuid);
            scope.requireUser("agora_user.user_uuid", uuid);
          }
          case USER_NAME -> {
            if (u.getUserName().isEmpty()) {
              throw ApiException.invalidArgument("agora_user.user_name", "USER_NAME_REQUIRED",
                  "agora_user.user_name must not be empty");
            }
            audit.subject(u.getUserName());
            // The bridge folds case before the vendor sees the name (vendor names are
            // case-insensitive): policy must judge that same name, or "ADMIN" passes "(?!admin).*".
            String name = VendorBridges.canonicalUserName(Vendor.AGORA_CHAT, u.getUserName(), "agora_user.user_name");
            audit.subject(name);
            scope.requireUser("agora_user.user_name", name);
            if (u.getRegisterIfMissing() && !scope.policy().mayRegisterUsers()) {
              throw ApiException.permissionDenied("agora_user.register_if_missing", "REGISTRATION_NOT_ALLOWED",
                  "caller " + scope.caller().id() + " may not register chat users");
            }
            uuid = directory.resolveUuid(agora, name, u.getRegisterIfMissing());
          }
          default -> throw ApiException.invalidArgument("agora_user.user", "USER_REQUIRED",
              "give agora_user.user_uuid or agora_user.user_name");
        }
        return respond(agora, new ChatUserGrant(uuid), lifetime, audit, uuid);
      }
      case AGORA_APP -> {
        audit.kind(TokenKind.CHAT_APP.id());
        AgoraApp agora = Apps.require(app, AgoraApp.class, "agora_app needs an agora app");
        scope.requireKind(TokenKind.CHAT_APP);
        lifetime = lifetime(req, scope, audit);
        return respond(agora, new ChatAppGrant(), lifetime, audit, "");
      }
      case EASEMOB_USER -> {
        audit.kind(TokenKind.EASEMOB_USER.id());
        EasemobApp easemob = Apps.require(app, EasemobApp.class, "easemob_user needs an easemob app");
        scope.requireKind(TokenKind.EASEMOB_USER);
        EasemobUser u = req.getEasemobUser();
        if (u.getUserId().isEmpty()) {
          throw ApiException.invalidArgument("easemob_user.user_id", "USER_ID_REQUIRED",
              "easemob_user.user_id must not be empty");
        }
        audit.subject(u.getUserId());
        lifetime = lifetime(req, scope, audit);
        String user = u.getUserId();
        if (u.getGrant() == EasemobGrant.EASEMOB_GRANT_PASSWORD || u.getGrant() == EasemobGrant.EASEMOB_GRANT_INHERIT) {
          // REST grants: the bridge folds case before Easemob sees the name; judge that name.
          user = VendorBridges.canonicalUserName(Vendor.EASEMOB, user, "easemob_user.user_id");
          audit.subject(user);
        }
        // Dynamic tokens carry the id as sent, and Easemob folds its case at login.
        scope.requireCaseInsensitiveUser("easemob_user.user_id", user);
        return easemob(easemob, u, user, lifetime, scope, audit);
      }
      default -> throw ApiException.invalidArgument("kind", "CHAT_KIND_REQUIRED",
          "set one of agora_user, agora_app or easemob_user");
    }
  }

  private IssueChatTokenResponse easemob(
      EasemobApp app, EasemobUser u, String user, Duration lifetime, CallScope scope, AuditEvent.Builder audit) {
    switch (u.getGrant()) {
      case EASEMOB_GRANT_UNSPECIFIED, EASEMOB_GRANT_DYNAMIC -> {
        if (!u.getPassword().isEmpty() || u.getAutoCreateUser()) {
          throw ApiException.invalidArgument(u.getPassword().isEmpty() ? "easemob_user.auto_create_user"
                  : "easemob_user.password", "FIELD_NOT_FOR_DYNAMIC_GRANT",
              "password and auto_create_user apply to REST grants only");
        }
        return respond(app, new EasemobDynamicGrant(u.getUserId()), lifetime, audit, "");
      }
      case EASEMOB_GRANT_PASSWORD -> {
        if (u.getPassword().isEmpty()) {
          throw ApiException.invalidArgument("easemob_user.password", "PASSWORD_REQUIRED",
              "easemob_user.password is required for EASEMOB_GRANT_PASSWORD");
        }
        return granted(app, grants.passwordGrant(app, user, u.getPassword(), lifetime), audit);
      }
      case EASEMOB_GRANT_INHERIT -> {
        if (!u.getPassword().isEmpty()) {
          throw ApiException.invalidArgument("easemob_user.password", "FIELD_NOT_FOR_INHERIT_GRANT",
              "the inherit grant takes no password");
        }
        if (u.getAutoCreateUser() && !scope.policy().mayRegisterUsers()) {
          throw ApiException.permissionDenied("easemob_user.auto_create_user", "REGISTRATION_NOT_ALLOWED",
              "caller " + scope.caller().id() + " may not create Easemob users");
        }
        return granted(app, grants.inheritGrant(app, user, u.getAutoCreateUser(), lifetime), audit);
      }
      default -> throw ApiException.invalidArgument("easemob_user.grant", "GRANT_UNKNOWN",
          "unknown grant value " + u.getGrantValue());
    }
  }

  private static Duration lifetime(IssueChatTokenRequest req, CallScope scope, AuditEvent.Builder audit) {
    Duration d = scope.lifetime("lifetime_seconds",
        IssueRtcHandler.optional(req.hasLifetimeSeconds(), req.getLifetimeSeconds()));
    audit.lifetimeSeconds(d.getSeconds());
    return d;
  }

  private IssueChatTokenResponse respond(
      AppConfig app, Grant grant, Duration lifetime, AuditEvent.Builder audit, String uuid) {
    Minted minted;
    try {
      minted = engine.mint(app, grant, clock.instant(), lifetime);
    } catch (TokenException e) {
      throw CoreErrors.toApi(e, FIELDS);
    }
    audit.token(minted.claims());
    return IssueChatTokenResponse.newBuilder()
        .setIssuedToken(ProtoMapping.issued(app.name(), minted.token(), minted.claims()))
        .setUserUuid(uuid)
        .build();
  }

  private static IssueChatTokenResponse granted(
      EasemobApp app, EasemobTokenGrants.Granted g, AuditEvent.Builder audit) {
    audit.token(g.accessToken());
    return IssueChatTokenResponse.newBuilder()
        .setIssuedToken(IssuedToken.newBuilder()
            .setToken(g.accessToken())
            .setFormat(TokenFormat.TOKEN_FORMAT_EASEMOB_USER)
            .setIssuedAt(ProtoMapping.timestamp(g.issuedAt()))
            .setExpiresAt(ProtoMapping.timestamp(g.expiresAt()))
            .setEarliestExpiry(ProtoMapping.timestamp(g.expiresAt()))
            .setApp(app.name()))
        .setUserUuid(g.userUuid())
        .build();
  }
}
