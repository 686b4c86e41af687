package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora.SignedToken;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.ChatTokenRequest;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora.issue.RtmTokenRequest;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.easemobdt.EasemobRules;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoRules;
import dev.tokenauthority.core.zego04.ZegoToken04;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.EasemobApp;
import dev.tokenauthority.server.config.ZegoApp;
import dev.tokenauthority.server.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link TokenEngine} over the token core: Agora tokens through the core's {@link AgoraTokenIssuer}
 * (the same path as the CLI), ZEGO and Easemob through their builders, the {@link AnyToken} parse
 * facade and the per-format verifiers. Stateless and thread-safe; verifiers are made per call with
 * a fixed clock (cheap objects), so "as of now, with this grace" is explicit.
 *
 * <p>The one deliberate difference from the vendor convention is in {@link #privilegeSeconds}.
 */
public final class CoreTokenEngine implements TokenEngine {
  private final AgoraTokenIssuer agora;

  /**
   * Agora salts from each thread's ThreadLocalRandom ({@code ThreadLocalSalts}: a salt is public);
   * the issue time always comes from the caller of mint.
   */
  public CoreTokenEngine() {
    this(AgoraTokenIssuer.withSystemDefaults());
  }

  public CoreTokenEngine(AgoraTokenIssuer agora) {
    this.agora = Objects.requireNonNull(agora, "agora");
  }

  /**
   * Agora requests validate when built; ZEGO and Easemob grants are checked with the core's own
   * rules their builders apply. Signing (HMAC, AES, SHA-256) waits for {@link #sign}.
   */
  @Override
  public PreparedToken prepare(AppConfig app, Grant grant, Instant issuedAt, Duration lifetime) {
    long now = issuedAt.getEpochSecond();
    long life = lifetime.getSeconds();
    IssueOverrides at = IssueOverrides.at(now);
    if (grant instanceof RtcGrant rtc) {
      RtcTokenRequest request = rtcRequest(rtc, life, at);
      return new PreparedToken(() -> minted(agora.issueRtc(credentials(app), request)));
    }
    if (grant instanceof RtmGrant rtm && rtm.format() == TokenFormat.AGORA_006) {
      // "006" has no token expiry besides issue + 24 h: the login privilege's is the lifetime, or
      // for the vendor default (lifetime 0) the login's own (0 unless a renewal kept a shorter one).
      long login = life == 0 ? rtm.loginSeconds().orElse(0)
          : Math.min(life, privilegeSeconds(TokenFormat.AGORA_006, rtm.loginSeconds().orElse(life), life));
      RtmTokenRequest request = new RtmTokenRequest(rtm.userId(), life, rtm.format(), at, OptionalLong.of(login));
      return new PreparedToken(() -> minted(agora.issueRtm(credentials(app), request)));
    }
    // RTM and Chat privileges expire with the token, unless the grant (a renewal of a token built
    // elsewhere) keeps a shorter lifetime of its own.
    if (grant instanceof RtmGrant rtm) {
      RtmTokenRequest request = new RtmTokenRequest(rtm.userId(), life, rtm.format(), at, rtm.loginSeconds());
      return new PreparedToken(() -> minted(agora.issueRtm(credentials(app), request)));
    }
    if (grant instanceof ChatUserGrant chat) {
      ChatTokenRequest request = ChatTokenRequest.user(chat.userUuid(), life).withOverrides(at)
          .withPrivilegeLifetime(chat.privilegeSeconds());
      return new PreparedToken(() -> minted(agora.issueChat(credentials(app), request)));
    }
    if (grant instanceof ChatAppGrant chat) {
      ChatTokenRequest request = ChatTokenRequest.app(life).withOverrides(at)
          .withPrivilegeLifetime(chat.privilegeSeconds());
      return new PreparedToken(() -> minted(agora.issueChat(credentials(app), request)));
    }
    if (grant instanceof ZimGrant zim) {
      ZegoApp zego = (ZegoApp) app;
      ZegoRules.checkUserId(zim.userId());
      var b = ZegoToken04.builder().appId(zego.appId()).serverSecret(zego.primary()).userId(zim.userId())
          .lifetimeSeconds(life).issuedAt(now);
      zim.room().ifPresent(r -> b.room(new ZegoRoomPrivileges(r.roomId(), r.canLogin(), r.canPublish(), r.streamIds())));
      return new PreparedToken(() -> {
        ZegoToken04 t = b.build();
        return new Minted(t.token(), t);
      });
    }
    if (grant instanceof EasemobDynamicGrant dt) {
      EasemobApp easemob = (EasemobApp) app;
      EasemobRules.checkUserId(dt.userId());
      var b = DynamicToken.builder().appKey(easemob.appKey()).clientId(easemob.clientId())
          .clientSecret(easemob.primary()).userId(dt.userId()).ttlSeconds(life).issuedAt(now);
      return new PreparedToken(() -> {
        DynamicToken t = b.build();
        return new Minted(t.token(), t);
      });
    }
    throw new IllegalArgumentException("unsupported grant " + grant.getClass().getSimpleName());
  }

  @Override
  public Minted sign(PreparedToken prepared) {
    return prepared.sign();
  }

  private static AgoraCredentials credentials(AppConfig app) {
    AgoraApp agora = (AgoraApp) app;
    return new AgoraCredentials(agora.appId(), agora.primary());
  }

  /** The grant's explicit privileges (a role is already expanded into them by the handler). */
  private static RtcTokenRequest rtcRequest(RtcGrant g, long life, IssueOverrides at) {
    RtcTokenRequest.Builder b = RtcTokenRequest.builder().user(user(g)).channelName(g.channel())
        .lifetimeSeconds(life).format(g.format()).overrides(at);
    g.privilegeSeconds().forEach((code, seconds) ->
        b.privilegeLifetime(RtcPrivilege.ofCode(code).orElseThrow(), privilegeSeconds(g.format(), seconds, life)));
    g.rtmUserId().ifPresent(id -> b.includeRtm(true).rtmUserId(id).rtmLoginLifetimeSeconds(g.rtmLoginSeconds()));
    return b.build();
  }

  /**
   * The server's one departure from the vendor convention the core (and the CLI) follow: in "006"
   * a privilege lifetime of 0 means "no limit of its own", and 006 has no token expiry besides the
   * vendor's fixed issue + 24 h, so such a privilege would outlive the token lifetime the caller's
   * policy capped. The server packs it as the token lifetime instead. "007" has a token expiry
   * that bounds every privilege, so 0 stays 0 there; so it does in the "006" vendor default (token
   * lifetime 0), which asks for exactly that: privileges of 0, valid the vendor's 24 h.
   */
  static long privilegeSeconds(TokenFormat format, long seconds, long tokenLifetime) {
    return format == TokenFormat.AGORA_006 && seconds == 0 && tokenLifetime > 0 ? tokenLifetime : seconds;
  }

  private static RtcUser user(RtcGrant g) {
    if (g.isAccount()) {
      return RtcUser.account(g.user());
    }
    return RtcUser.uid(g.user().isEmpty() ? 0 : Long.parseLong(g.user()));
  }

  private static Minted minted(SignedToken<? extends TokenClaims> t) {
    return new Minted(t.token(), t.claims());
  }

  @Override
  public AnyToken parse(String token) {
    return AnyToken.parse(token);
  }

  @Override
  public VerifiedToken<? extends TokenClaims> verify(AnyToken token, AppConfig app,
      Optional<LegacyBinding> binding, Instant now, Duration grace, Duration maxClockSkew) {
    return check(token, app, binding, Optional.of(new TimeCheck(Clock.fixed(now, ZoneOffset.UTC), grace, maxClockSkew)));
  }

  @Override
  public VerifiedToken<? extends TokenClaims> authenticate(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding) {
    return check(token, app, binding, Optional.empty());
  }

  /** The clock checks of a verification: as of when, with which expiry grace and clock skew. */
  private record TimeCheck(Clock clock, Duration grace, Duration maxClockSkew) {}

  /** Authenticity with the app's credentials, then the time checks when {@code time} is given. */
  private static VerifiedToken<? extends TokenClaims> check(
      AnyToken token, AppConfig app, Optional<LegacyBinding> binding, Optional<TimeCheck> time) {
    List<Secret> creds = app.credentials();
    // Authentication alone needs no clock; the verifiers want one, so give them any.
    TimeCheck t = time.orElse(new TimeCheck(Clock.systemUTC(), Duration.ZERO, Duration.ZERO));
    switch (token.format()) {
      case AGORA_007 -> {
        AccessToken2 a = token.asAgora007().orElseThrow();
        requireApp(app, a.appId());
        AccessToken2Verifier v = new AccessToken2Verifier(t.clock(), t.maxClockSkew());
        return time.isEmpty() ? v.authenticate(a, creds) : v.verify(a, creds, t.grace());
      }
      case AGORA_006 -> {
        LegacyAccessToken a = token.asAgora006().orElseThrow();
        requireApp(app, a.appId());
        LegacyBinding b = binding.orElseThrow(() -> ApiException.invalidArgument("legacy_binding",
            "LEGACY_BINDING_REQUIRED", "006 tokens need legacy_binding to be verified"));
        LegacyAccessTokenVerifier v = new LegacyAccessTokenVerifier(t.clock(), t.maxClockSkew());
        return time.isEmpty()
            ? v.authenticate(a, b.channelName(), b.uid(), creds)
            : v.verify(a, b.channelName(), b.uid(), creds, t.grace());
      }
      case ZEGO_04 -> {
        ZegoApp zego = (ZegoApp) app;
        Token04Verifier v = Token04Verifier.builder().serverSecrets(creds).clock(t.clock())
            .maxClockSkew(t.maxClockSkew()).expectedAppId(zego.appId()).build();
        var envelope = token.asZego04().orElseThrow();
        return time.isEmpty() ? v.decrypt(envelope) : v.verify(envelope, t.grace());
      }
      case EASEMOB_DT -> {
        EasemobApp easemob = (EasemobApp) app;
        DynamicTokenVerifier v = DynamicTokenVerifier.builder()
            .credentials(creds.stream().map(s -> new ClientCredential(easemob.clientId(), s)).toList())
            .clock(t.clock()).maxClockSkew(t.maxClockSkew()).expectedAppKey(easemob.appKey()).build();
        DynamicToken d = token.asEasemobDynamic().orElseThrow();
        return time.isEmpty() ? v.checkSignature(d) : v.verify(d, t.grace());
      }
      default -> throw new IllegalStateException("unknown format " + token.format());
    }
  }

  private static void requireApp(AppConfig app, String tokenAppId) {
    if (!app.tokenAppId().equals(tokenAppId)) {
      throw new dev.tokenauthority.core.TokenVerificationException("APP_ID_MISMATCH",
          "the token names another app id");
    }
  }

  @Override
  public Grant grantOf(TokenClaims claims) {
    return GrantReader.of(claims);
  }
}
