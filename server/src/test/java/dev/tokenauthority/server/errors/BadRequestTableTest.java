package dev.tokenauthority.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcPrivilegeLifetimes;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcUser;
import dev.tokenauthority.core.agora007.AccessToken2Builder;
import dev.tokenauthority.core.agora007.RtcService;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-request table: each request with its exact status code, ErrorInfo reason and BadRequest
 * field (empty when the error names no field). Plaintext on loopback with a restrictive policy for
 * the fixed identity "local".
 */
@ExtendWith(LogCapture.class)
class BadRequestTableTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  static final SecureRandom RANDOM = new SecureRandom();
  @TempDir static Path dir;
  static TestServer server;
  static TokenAuthorityServiceBlockingStub stub;
  static AgoraApp rtc;
  static AgoraApp rtc2;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = Map.of("RTC", TestCredentials.hex32(), "RTC2", TestCredentials.hex32(),
        "ZEGO", TestCredentials.hex32(), "EM", TestCredentials.easemobSecret());
    String yaml = """
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {env: RTC}}
          rtc2: {vendor: agora, app_id: %s, certificate: {env: RTC2}}
          zim: {vendor: zego, app_id: 42, server_secret: {env: ZEGO}}
          im: {vendor: easemob, app_key: org#im, client_id: cid, client_secret: {env: EM}}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: ["*"]
            token_kinds: [rtc, rtm, chat_user, easemob_user, zim]
            rtc_roles: [subscriber, custom]
            max_lifetime_seconds: 3600
            default_lifetime_seconds: 600
            channel_pattern: "[a-z0-9/-]+"
            user_pattern: "[a-z0-9_. -]*"
        renewal: {grace_seconds: 60}
        """.formatted(TestCredentials.hex32(), TestCredentials.hex32());
    server = TestServer.start(yaml, env, dir, CLOCK);
    stub = server.stub(server.plaintextChannel());
    rtc = (AgoraApp) server.config().apps().get("rtc");
    rtc2 = (AgoraApp) server.config().apps().get("rtc2");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static IssueRtcTokenRequest.Builder rtcReq() {
    return IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("room-1").setUid(7)
        .setRole(RtcRole.RTC_ROLE_SUBSCRIBER);
  }

  static IssueChatTokenRequest.Builder easemob(EasemobUser.Builder u) {
    return IssueChatTokenRequest.newBuilder().setApp("im").setEasemobUser(u);
  }

  /** A 007 RTC token for app {@code appId}, signed with {@code cert}, issued {@code ago} seconds ago. */
  static String token007(String appId, Secret cert, long ago, long lifetime, RtcPrivilege... privileges) {
    Map<RtcPrivilege, Long> p = new java.util.EnumMap<>(RtcPrivilege.class);
    for (RtcPrivilege x : privileges) {
      p.put(x, lifetime);
    }
    return AccessToken2Builder.create(Clock.fixed(CLOCK.instant(), ZoneOffset.UTC), RANDOM).appId(appId)
        .issueTs(CLOCK.instant().getEpochSecond() - ago).expire(lifetime)
        .addService(RtcService.of("room-1", RtcUser.uid(7), p)).sign(cert).token();
  }

  /**
   * An Easemob dynamic token for app "im", signed the vendor's way by hand: the core's builder
   * refuses what these cases need (an issue time ahead of now, a ttl above the accepted maximum).
   */
  static String dynamicToken(long curTime, long ttl) {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String secret = ((dev.tokenauthority.server.config.EasemobApp) server.config().apps().get("im")).primary().reveal();
    String signature = java.util.HexFormat.of().formatHex(sha.digest(("cidorg#imu" + curTime + ttl + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String json = "dt-{\"signature\":\"" + signature + "\",\"appkey\":\"org#im\",\"userId\":\"u\",\"curTime\":"
        + curTime + ",\"ttl\":" + ttl + "}";
    return java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String validToken() {
    return stub.issueRtcToken(rtcReq().setLifetimeSeconds(600).build()).getIssuedToken().getToken();
  }

  static String legacyToken() {
    return stub.issueRtcToken(rtcReq().setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build()).getIssuedToken()
        .getToken();
  }

  record Case(String name, Function<TokenAuthorityServiceBlockingStub, Object> call, Code code, String reason,
      String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, Function<TokenAuthorityServiceBlockingStub, Object> call, Code code, String reason,
      String field) {
    return new Case(name, call, code, reason, field);
  }

  static List<Case> cases() {
    String s65 = "a".repeat(65);
    List<Case> t = new ArrayList<>();
    // IssueRtcToken
    t.add(c("rtc: no app", s -> s.issueRtcToken(rtcReq().setApp("").build()), Code.INVALID_ARGUMENT, "APP_REQUIRED", "app"));
    t.add(c("rtc: unknown app", s -> s.issueRtcToken(rtcReq().setApp("nope").build()), Code.NOT_FOUND, "APP_NOT_FOUND", "app"));
    t.add(c("rtc: vendor mismatch", s -> s.issueRtcToken(rtcReq().setApp("zim").build()), Code.INVALID_ARGUMENT, "APP_VENDOR_MISMATCH", "app"));
    t.add(c("rtc: empty channel", s -> s.issueRtcToken(rtcReq().setChannelName("").build()), Code.INVALID_ARGUMENT, "CHANNEL_NAME_EMPTY", "channel_name"));
    t.add(c("rtc: channel too long", s -> s.issueRtcToken(rtcReq().setChannelName(s65).build()), Code.INVALID_ARGUMENT, "CHANNEL_NAME_TOO_LONG", "channel_name"));
    t.add(c("rtc: channel charset", s -> s.issueRtcToken(rtcReq().setChannelName("a/b").build()), Code.INVALID_ARGUMENT, "CHANNEL_NAME_CHARSET", "channel_name"));
    t.add(c("rtc: uid negative", s -> s.issueRtcToken(rtcReq().setUid(-1).build()), Code.INVALID_ARGUMENT, "UID_OUT_OF_RANGE", "uid"));
    t.add(c("rtc: uid above u32", s -> s.issueRtcToken(rtcReq().setUid(4294967296L).build()), Code.INVALID_ARGUMENT, "UID_OUT_OF_RANGE", "uid"));
    t.add(c("rtc: no user", s -> s.issueRtcToken(rtcReq().clearUser().build()), Code.INVALID_ARGUMENT, "USER_REQUIRED", "user"));
    t.add(c("rtc: empty account", s -> s.issueRtcToken(rtcReq().setUserAccount("").build()), Code.INVALID_ARGUMENT, "ACCOUNT_EMPTY", "user_account"));
    t.add(c("rtc: account too long", s -> s.issueRtcToken(rtcReq().setUserAccount("a".repeat(256)).build()), Code.INVALID_ARGUMENT, "ACCOUNT_TOO_LONG", "user_account"));
    t.add(c("rtc: no role", s -> s.issueRtcToken(rtcReq().clearRole().build()), Code.INVALID_ARGUMENT, "ROLE_REQUIRED", "role"));
    t.add(c("rtc: unknown role", s -> s.issueRtcToken(rtcReq().setRoleValue(99).build()), Code.INVALID_ARGUMENT, "ROLE_UNKNOWN", "role"));
    t.add(c("rtc: role and privileges", s -> s.issueRtcToken(rtcReq().setPrivilegeLifetimes(
        RtcPrivilegeLifetimes.newBuilder().setJoinChannelSeconds(10)).build()), Code.INVALID_ARGUMENT, "ROLE_AND_PRIVILEGES_EXCLUSIVE", "privilege_lifetimes"));
    t.add(c("rtc: empty privileges", s -> s.issueRtcToken(rtcReq().clearRole().setPrivilegeLifetimes(
        RtcPrivilegeLifetimes.getDefaultInstance()).build()), Code.INVALID_ARGUMENT, "PRIVILEGES_EMPTY", "privilege_lifetimes"));
    t.add(c("rtc: negative privilege", s -> s.issueRtcToken(rtcReq().clearRole().setPrivilegeLifetimes(
        RtcPrivilegeLifetimes.newBuilder().setJoinChannelSeconds(-1)).build()), Code.INVALID_ARGUMENT, "PRIVILEGE_LIFETIME_NEGATIVE", "privilege_lifetimes.join_channel_seconds"));
    t.add(c("rtc: privilege outlives token", s -> s.issueRtcToken(rtcReq().setLifetimeSeconds(100)
        .setPrivilegeLifetimeSeconds(101).build()), Code.INVALID_ARGUMENT, "PRIVILEGE_LIFETIME_EXCEEDS_TOKEN", "privilege_lifetime_seconds"));
    t.add(c("rtc: lifetime 0", s -> s.issueRtcToken(rtcReq().setLifetimeSeconds(0).build()), Code.INVALID_ARGUMENT, "LIFETIME_NOT_POSITIVE", "lifetime_seconds"));
    t.add(c("rtc: lifetime negative", s -> s.issueRtcToken(rtcReq().setLifetimeSeconds(-5).build()), Code.INVALID_ARGUMENT, "LIFETIME_NOT_POSITIVE", "lifetime_seconds"));
    t.add(c("rtc: lifetime over the cap", s -> s.issueRtcToken(rtcReq().setLifetimeSeconds(3601).build()), Code.INVALID_ARGUMENT, "LIFETIME_EXCEEDS_POLICY", "lifetime_seconds"));
    t.add(c("rtc: zego format", s -> s.issueRtcToken(rtcReq().setFormat(TokenFormat.TOKEN_FORMAT_ZEGO_04).build()), Code.INVALID_ARGUMENT, "FORMAT_NOT_SUPPORTED", "format"));
    t.add(c("rtc: rtm in 006", s -> s.issueRtcToken(rtcReq().setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006)
        .setIncludeRtm(true).build()), Code.INVALID_ARGUMENT, "RTM_REQUIRES_007", "include_rtm"));
    t.add(c("rtc: rtm user without rtm", s -> s.issueRtcToken(rtcReq().setRtmUserId("x").build()), Code.INVALID_ARGUMENT, "RTM_USER_ID_WITHOUT_INCLUDE_RTM", "rtm_user_id"));
    t.add(c("rtc: rtm for uid 0", s -> s.issueRtcToken(rtcReq().setUid(0).setIncludeRtm(true).build()), Code.INVALID_ARGUMENT, "RTM_USER_ID_REQUIRED", "rtm_user_id"));
    t.add(c("rtc: publisher not allowed", s -> s.issueRtcToken(rtcReq().setRole(RtcRole.RTC_ROLE_PUBLISHER).build()), Code.PERMISSION_DENIED, "RTC_ROLE_NOT_ALLOWED", "role"));
    t.add(c("rtc: channel outside pattern", s -> s.issueRtcToken(rtcReq().setChannelName("ROOM").build()), Code.PERMISSION_DENIED, "CHANNEL_NOT_ALLOWED", "channel_name"));
    t.add(c("rtc: user outside pattern", s -> s.issueRtcToken(rtcReq().setUserAccount("Mallory").build()), Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "user_account"));
    // IssueRtmToken
    t.add(c("rtm: empty user", s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").build()), Code.INVALID_ARGUMENT, "USER_ID_REQUIRED", "user_id"));
    t.add(c("rtm: user too long", s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId(s65).build()), Code.INVALID_ARGUMENT, "USER_ID_TOO_LONG", "user_id"));
    t.add(c("rtm: user charset", s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("a\u0001").build()), Code.INVALID_ARGUMENT, "USER_ID_CHARSET", "user_id"));
    t.add(c("rtm: vendor mismatch", s -> s.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("im").setUserId("u").build()), Code.INVALID_ARGUMENT, "APP_VENDOR_MISMATCH", "app"));
    // IssueChatToken
    t.add(c("chat: no kind", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc").build()), Code.INVALID_ARGUMENT, "CHAT_KIND_REQUIRED", "kind"));
    t.add(c("chat: agora user on easemob app", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("im")
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("u")).build()), Code.INVALID_ARGUMENT, "APP_VENDOR_MISMATCH", "app"));
    t.add(c("chat: easemob user on agora app", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setEasemobUser(EasemobUser.newBuilder().setUserId("u")).build()), Code.INVALID_ARGUMENT, "APP_VENDOR_MISMATCH", "app"));
    t.add(c("chat: empty uuid", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("")).build()), Code.INVALID_ARGUMENT, "USER_UUID_REQUIRED", "agora_user.user_uuid"));
    t.add(c("chat: uuid charset", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("bad uuid")).build()), Code.INVALID_ARGUMENT, "USER_UUID_CHARSET", "agora_user.user_uuid"));
    t.add(c("chat: no user", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setAgoraUser(AgoraChatUser.getDefaultInstance()).build()), Code.INVALID_ARGUMENT, "USER_REQUIRED", "agora_user.user"));
    t.add(c("chat: by user name needs the bridge", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setAgoraUser(AgoraChatUser.newBuilder().setUserName("alice")).build()), Code.UNIMPLEMENTED, "VENDOR_BRIDGE_NOT_AVAILABLE", "agora_user.user_name"));
    t.add(c("chat: app token kind not allowed", s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc")
        .setAgoraApp(AgoraChatApp.getDefaultInstance()).build()), Code.PERMISSION_DENIED, "TOKEN_KIND_NOT_ALLOWED", ""));
    t.add(c("chat: easemob empty user", s -> s.issueChatToken(easemob(EasemobUser.newBuilder()).build()), Code.INVALID_ARGUMENT, "USER_ID_REQUIRED", "easemob_user.user_id"));
    t.add(c("chat: easemob user charset", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("a b")).build()), Code.INVALID_ARGUMENT, "USER_ID_CHARSET", "easemob_user.user_id"));
    t.add(c("chat: easemob lifetime 0", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("u")).setLifetimeSeconds(0).build()), Code.INVALID_ARGUMENT, "LIFETIME_NOT_POSITIVE", "lifetime_seconds"));
    t.add(c("chat: password grant without password", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("u")
        .setGrant(EasemobGrant.EASEMOB_GRANT_PASSWORD)).build()), Code.INVALID_ARGUMENT, "PASSWORD_REQUIRED", "easemob_user.password"));
    t.add(c("chat: password grant needs the bridge", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("u")
        .setGrant(EasemobGrant.EASEMOB_GRANT_PASSWORD).setPassword("pw")).build()), Code.UNIMPLEMENTED, "VENDOR_BRIDGE_NOT_AVAILABLE", "easemob_user.grant"));
    t.add(c("chat: auto-create not allowed", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("u")
        .setGrant(EasemobGrant.EASEMOB_GRANT_INHERIT).setAutoCreateUser(true)).build()), Code.PERMISSION_DENIED, "REGISTRATION_NOT_ALLOWED", "easemob_user.auto_create_user"));
    t.add(c("chat: password on dynamic grant", s -> s.issueChatToken(easemob(EasemobUser.newBuilder().setUserId("u")
        .setPassword("pw")).build()), Code.INVALID_ARGUMENT, "FIELD_NOT_FOR_DYNAMIC_GRANT", "easemob_user.password"));
    // IssueZimToken
    t.add(c("zim: empty user", s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").build()), Code.INVALID_ARGUMENT, "USER_ID_REQUIRED", "user_id"));
    t.add(c("zim: user too long", s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u".repeat(33)).build()), Code.INVALID_ARGUMENT, "USER_ID_TOO_LONG", "user_id"));
    t.add(c("zim: empty room id", s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u")
        .setRoom(ZegoRoomPrivileges.newBuilder().setCanLogin(true)).build()), Code.INVALID_ARGUMENT, "ROOM_ID_REQUIRED", "room.room_id"));
    t.add(c("zim: room outside pattern", s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u")
        .setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("ROOM")).build()), Code.PERMISSION_DENIED, "CHANNEL_NOT_ALLOWED", "room.room_id"));
    t.add(c("zim: vendor mismatch", s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("rtc").setUserId("u").build()), Code.INVALID_ARGUMENT, "APP_VENDOR_MISMATCH", "app"));
    // RenewToken
    t.add(c("renew: empty token", s -> s.renewToken(RenewTokenRequest.getDefaultInstance()), Code.INVALID_ARGUMENT, "TOKEN_REQUIRED", "token"));
    t.add(c("renew: unknown format", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken("hello").build()), Code.INVALID_ARGUMENT, "UNKNOWN_FORMAT", "token"));
    t.add(c("renew: bad base64", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken("007abc").build()), Code.INVALID_ARGUMENT, "BAD_BASE64", "token"));
    t.add(c("renew: truncated", s -> {
      String v = validToken();
      return s.renewToken(RenewTokenRequest.newBuilder().setToken(v.substring(0, v.length() - 8)).build());
    }, Code.INVALID_ARGUMENT, "ZLIB_TRUNCATED", "token"));
    t.add(c("renew: forged signature", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(token007(rtc.appId(), Secret.of(TestCredentials.hex32()), 0, 600, RtcPrivilege.JOIN_CHANNEL)).build()),
        Code.PERMISSION_DENIED, "SIGNATURE_MISMATCH", "token"));
    t.add(c("renew: token of another app", s -> s.renewToken(RenewTokenRequest.newBuilder().setApp("rtc")
        .setToken(token007(rtc2.appId(), rtc2.primary(), 0, 600, RtcPrivilege.JOIN_CHANNEL)).build()),
        Code.PERMISSION_DENIED, "TOKEN_APP_MISMATCH", "token"));
    t.add(c("renew: app id not configured", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(token007(TestCredentials.hex32(), rtc.primary(), 0, 600, RtcPrivilege.JOIN_CHANNEL)).build()),
        Code.NOT_FOUND, "APP_NOT_FOUND", "token"));
    t.add(c("renew: expired past grace", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(token007(rtc.appId(), rtc.primary(), 4000, 3600, RtcPrivilege.JOIN_CHANNEL)).build()),
        Code.FAILED_PRECONDITION, "TOKEN_EXPIRED", "token"));
    t.add(c("renew: easemob issued after now plus skew", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(dynamicToken(CLOCK.instant().getEpochSecond() + 301, 600)).build()),
        Code.FAILED_PRECONDITION, "TOKEN_NOT_YET_VALID", "token"));
    t.add(c("renew: easemob ttl above 30 days", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(dynamicToken(CLOCK.instant().getEpochSecond(), 30L * 86400 + 1)).build()),
        Code.PERMISSION_DENIED, "TTL_TOO_LONG", "token"));
    t.add(c("renew: 006 without binding", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken(legacyToken()).build()),
        Code.INVALID_ARGUMENT, "LEGACY_BINDING_REQUIRED", "legacy_binding"));
    t.add(c("renew: 006 wrong binding", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken(legacyToken())
        .setLegacyBinding(Legacy006Binding.newBuilder().setChannelName("other").setUid("7")).build()),
        Code.INVALID_ARGUMENT, "BINDING_MISMATCH", "legacy_binding"));
    t.add(c("renew: lifetime over the cap", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken(validToken())
        .setLifetimeSeconds(3601).build()), Code.INVALID_ARGUMENT, "LIFETIME_EXCEEDS_POLICY", "lifetime_seconds"));
    t.add(c("renew: lifetime 0", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken(validToken())
        .setLifetimeSeconds(0).build()), Code.INVALID_ARGUMENT, "LIFETIME_NOT_POSITIVE", "lifetime_seconds"));
    t.add(c("renew: publisher token re-checked against policy", s -> s.renewToken(RenewTokenRequest.newBuilder()
        .setToken(token007(rtc.appId(), rtc.primary(), 0, 600, RtcPrivilege.values())).build()),
        Code.PERMISSION_DENIED, "RTC_ROLE_NOT_ALLOWED", "token"));
    t.add(c("renew: unknown app named", s -> s.renewToken(RenewTokenRequest.newBuilder().setToken(validToken())
        .setApp("nope").build()), Code.NOT_FOUND, "APP_NOT_FOUND", "app"));
    // InspectToken
    t.add(c("inspect: empty token", s -> s.inspectToken(InspectTokenRequest.getDefaultInstance()), Code.INVALID_ARGUMENT, "TOKEN_REQUIRED", "token"));
    t.add(c("inspect: unknown format", s -> s.inspectToken(InspectTokenRequest.newBuilder().setToken("xyz").build()), Code.INVALID_ARGUMENT, "UNKNOWN_FORMAT", "token"));
    t.add(c("inspect: unknown app", s -> s.inspectToken(InspectTokenRequest.newBuilder().setToken(validToken()).setApp("nope").build()), Code.NOT_FOUND, "APP_NOT_FOUND", "app"));
    return t;
  }

  static Stream<Arguments> table() {
    return cases().stream().map(Arguments::of);
  }

  @Test
  void theTableHasAtLeastFortyCases() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void exactStatusReasonAndField(Case k) {
    StatusRuntimeException e;
    try {
      k.call().apply(stub);
      throw new AssertionError(k.name() + ": the call succeeded");
    } catch (StatusRuntimeException sre) {
      e = sre;
    }
    Errors.Seen seen = Errors.of(e);
    assertThat(seen.code()).as(k.name() + " code (" + seen.message() + ")").isEqualTo(k.code());
    assertThat(seen.reason()).as(k.name() + " reason").isEqualTo(k.reason());
    assertThat(seen.domain()).isEqualTo("tokenauthority.dev");
    if (k.field().isEmpty()) {
      assertThat(seen.field()).as(k.name() + " field").isEmpty();
    } else {
      assertThat(seen.field()).as(k.name() + " field").contains(k.field());
    }
    assertThat(seen.message()).doesNotContain(rtc.primary().reveal()).doesNotContain("Exception");
  }
}
