package dev.tokenauthority.server.bridges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.bridge.BridgeSettings;
import dev.tokenauthority.bridge.Delayer;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.bridge.VendorCallEvent;
import dev.tokenauthority.bridge.VendorHttp;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.server.TokenAuthorityServer;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IssueChatToken through the real gRPC server (plaintext, loopback) with the bridges wired in,
 * against fake Agora Chat and Easemob REST services. Chat app tokens are minted by the real token
 * engine and the fake only accepts a genuine chat app token signed with the app's certificate.
 */
class IssueChatTokenBridgeEndToEndTest {
  private static final String APP_ID = "0123456789abcdef0123456789abcdef";
  private static final String CERT = "fedcba9876543210fedcba9876543210";
  private static final String CLIENT_SECRET = "YXA6-client-secret-e2e";

  private FakeVendor chat;
  private FakeVendor easemob;
  private TokenAuthorityServer server;
  private ManagedChannel channel;
  private TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub;
  private final List<VendorCallEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    chat = new FakeVendor("org1", "chatapp");
    chat.acceptChatAppToken = IssueChatTokenBridgeEndToEndTest::isGenuineChatAppToken;
    easemob = new FakeVendor("emorg", "emapp");
    easemob.clientId = "em-client";
    easemob.clientSecret = CLIENT_SECRET;

    String yaml = """
        listen: {address: 127.0.0.1, port: 0}
        apps:
          chat:
            vendor: agora
            app_id: %s
            certificate: {env: CHAT_CERT}
            chat_rest_base: %s
            chat_app_key: org1#chatapp
          chat-norest:
            vendor: agora
            app_id: %s
            certificate: {env: CHAT_CERT}
          im:
            vendor: easemob
            app_key: emorg#emapp
            client_id: em-client
            client_secret: {env: EM_SECRET}
            rest_base: %s
            rest_ttl_unit: seconds
        callers:
          - identity: local
            apps: ["*"]
            rpcs: ["*"]
            max_lifetime_seconds: 7200
            may_register_users: true
        """.formatted(APP_ID, chat.baseUrl(), APP_ID, easemob.baseUrl());
    ServerConfig cfg = new ConfigLoader(Map.of("CHAT_CERT", CERT, "EM_SECRET", CLIENT_SECRET)::get)
        .parse(yaml, null);

    VendorHttp http = new VendorHttp(VendorHttp.newHttpClient(BridgeSettings.DEFAULT), BridgeSettings.DEFAULT,
        Clock.systemUTC(), new Random(5), Delayer.system(), events::add);
    CoreTokenEngine engine = new CoreTokenEngine();
    VendorBridges bridges = new VendorBridges(engine, http, new SecureRandom(), Duration.ofSeconds(10));
    server = TokenAuthorityServer.builder(cfg, engine)
        .chatUserDirectory(bridges)
        .easemobTokenGrants(bridges)
        .build()
        .start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();
    stub = TokenAuthorityServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
    assertThat(chat.violations()).isEmpty();
    assertThat(easemob.violations()).isEmpty();
    assertThat(events.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(CERT).doesNotContain("YWMt");
    chat.close();
    easemob.close();
  }

  private TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub() {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static IssueChatTokenRequest byName(String app, String name, boolean register) {
    return IssueChatTokenRequest.newBuilder().setApp(app).setLifetimeSeconds(600)
        .setAgoraUser(AgoraChatUser.newBuilder().setUserName(name).setRegisterIfMissing(register))
        .build();
  }

  private static IssueChatTokenRequest easemobUser(String user, EasemobGrant grant, String password, boolean create) {
    return IssueChatTokenRequest.newBuilder().setApp("im").setLifetimeSeconds(1200)
        .setEasemobUser(EasemobUser.newBuilder().setUserId(user).setGrant(grant).setPassword(password)
            .setAutoCreateUser(create))
        .build();
  }

  @Test
  void chatTokenByUserNameIsBoundToTheUuidTheVendorKnows() {
    chat.users.put("alice", new FakeVendor.User("6f1c2a40-0000-4000-8000-00000000a11c", "pw", true));

    IssueChatTokenResponse r = stub().issueChatToken(byName("chat", "alice", false));

    assertThat(r.getUserUuid()).isEqualTo("6f1c2a40-0000-4000-8000-00000000a11c");
    VerifiedToken<AccessToken2> v = new AccessToken2Verifier(Clock.systemUTC())
        .verify(r.getIssuedToken().getToken(), List.of(Secret.of(CERT)));
    ChatService svc = v.claims().chat().orElseThrow();
    assertThat(svc.userId()).isEqualTo("6f1c2a40-0000-4000-8000-00000000a11c");
    assertThat(svc.privileges()).containsOnlyKeys(ChatService.USER);
    assertThat(chat.count(FakeVendor.GET_USER)).isEqualTo(1);

    stub().issueChatToken(byName("chat", "alice", false));
    assertThat(chat.count(FakeVendor.GET_USER)).as("second login served from the cache").isEqualTo(1);
  }

  @Test
  void registersAMissingChatUserWhenAskedAndAllowed() {
    IssueChatTokenResponse r = stub().issueChatToken(byName("chat", "newcomer", true));

    assertThat(r.getUserUuid()).isEqualTo(chat.users.get("newcomer").uuid());
    assertThat(chat.count(FakeVendor.REGISTER_USER)).isEqualTo(1);
  }

  @Test
  void unknownChatUserIsNotFoundNamingTheField() throws Exception {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().issueChatToken(byName("chat", "ghost", false)));

    assertError(e, Status.Code.NOT_FOUND, "CHAT_USER_NOT_FOUND", "agora_user.user_name");
  }

  @Test
  void bannedChatUserIsFailedPrecondition() throws Exception {
    chat.users.put("banned", new FakeVendor.User("u-b", "pw", false));
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().issueChatToken(byName("chat", "banned", true)));

    assertError(e, Status.Code.FAILED_PRECONDITION, "CHAT_USER_BANNED", "agora_user.user_name");
  }

  @Test
  void rateLimitedVendorIsResourceExhausted() throws Exception {
    for (int i = 0; i < 10; i++) {
      chat.script(FakeVendor.GET_USER, FakeVendor.error(429, "resource_limited", "slow down"));
    }
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().issueChatToken(byName("chat", "alice", false)));

    assertError(e, Status.Code.RESOURCE_EXHAUSTED, "VENDOR_RATE_LIMITED", null);
    assertThat(chat.count(FakeVendor.GET_USER)).isEqualTo(4);
  }

  @Test
  void appWithoutChatRestSettingsIsFailedPrecondition() throws Exception {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub().issueChatToken(byName("chat-norest", "alice", false)));

    assertError(e, Status.Code.FAILED_PRECONDITION, "CHAT_REST_NOT_CONFIGURED", "agora_user.user_name");
    assertThat(chat.calls()).isEmpty();
  }

  @Test
  void callDeadlineBoundsTheVendorCallAndFreesTheHandlerThread() throws Exception {
    chat.users.put("slow", new FakeVendor.User("u-s", "pw", true));
    chat.script(FakeVendor.GET_USER, FakeVendor.delay(Duration.ofSeconds(3)));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.withDeadlineAfter(500, TimeUnit.MILLISECONDS).issueChatToken(byName("chat", "slow", false)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    assertThat(handlerThreadsWaitingOnVendors()).isEmpty();
    // The vendor is still sitting on the first request; the next call joins that lookup (it is
    // not cut short by the first caller's deadline) and gets its answer.
    assertThat(stub().issueChatToken(byName("chat", "slow", false)).getUserUuid()).isEqualTo("u-s");
    assertThat(chat.count(FakeVendor.GET_USER)).isEqualTo(1);
  }

  @Test
  void easemobPasswordGrantReturnsTheVendorToken() {
    easemob.users.put("bob", new FakeVendor.User("uuid-bob", "hunter2-long", true));

    IssueChatTokenResponse r = stub().issueChatToken(
        easemobUser("bob", EasemobGrant.EASEMOB_GRANT_PASSWORD, "hunter2-long", false));

    assertThat(r.getUserUuid()).isEqualTo("uuid-bob");
    assertThat(r.getIssuedToken().getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_EASEMOB_USER);
    assertThat(r.getIssuedToken().getToken()).startsWith("YWMt-user-");
    long lifetime = r.getIssuedToken().getExpiresAt().getSeconds() - r.getIssuedToken().getIssuedAt().getSeconds();
    assertThat(lifetime).isBetween(1199L, 1201L);
    assertThat(easemob.calls(FakeVendor.PASSWORD_GRANT).get(0).body()).contains("\"ttl\":1200");
  }

  @Test
  void easemobWrongPasswordIsUnauthenticatedOnThePasswordField() throws Exception {
    easemob.users.put("bob", new FakeVendor.User("uuid-bob", "hunter2-long", true));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
        easemobUser("bob", EasemobGrant.EASEMOB_GRANT_PASSWORD, "wrong-password", false)));

    assertError(e, Status.Code.UNAUTHENTICATED, "EASEMOB_INVALID_PASSWORD", "easemob_user.password");
    assertThat(e.getStatus().getDescription()).doesNotContain("wrong-password");
  }

  @Test
  void easemobInheritGrantWithAutoCreate() {
    IssueChatTokenResponse r = stub().issueChatToken(
        easemobUser("carol", EasemobGrant.EASEMOB_GRANT_INHERIT, "", true));

    assertThat(r.getUserUuid()).isEqualTo(easemob.users.get("carol").uuid());
    assertThat(easemob.count(FakeVendor.APP_TOKEN)).isEqualTo(1);
    stub().issueChatToken(easemobUser("carol", EasemobGrant.EASEMOB_GRANT_INHERIT, "", false));
    assertThat(easemob.count(FakeVendor.APP_TOKEN)).as("app token cached").isEqualTo(1);
  }

  @Test
  void easemobSecondConflictIsAborted() throws Exception {
    easemob.script(FakeVendor.INHERIT_GRANT,
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"),
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
        easemobUser("dora", EasemobGrant.EASEMOB_GRANT_INHERIT, "", true)));

    assertError(e, Status.Code.ABORTED, "VENDOR_CONCURRENT_OPERATION", null);
  }

  private static void assertError(StatusRuntimeException e, Status.Code code, String reason, String field)
      throws InvalidProtocolBufferException {
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    com.google.rpc.Status st = StatusProto.fromThrowable(e);
    assertThat(st).isNotNull();
    ErrorInfo info = null;
    BadRequest bad = null;
    for (com.google.protobuf.Any any : st.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        info = any.unpack(ErrorInfo.class);
      } else if (any.is(BadRequest.class)) {
        bad = any.unpack(BadRequest.class);
      }
    }
    assertThat(info).isNotNull();
    assertThat(info.getReason()).isEqualTo(reason);
    if (field == null) {
      assertThat(bad).isNull();
    } else {
      assertThat(bad).isNotNull();
      assertThat(bad.getFieldViolations(0).getField()).isEqualTo(field);
    }
  }

  private static List<String> handlerThreadsWaitingOnVendors() throws InterruptedException {
    List<String> found = List.of();
    for (int i = 0; i < 60; i++) {
      found = Thread.getAllStackTraces().entrySet().stream()
          .filter(en -> Arrays.stream(en.getValue())
              .anyMatch(f -> f.getClassName().startsWith(VendorBridges.class.getName())))
          .map(en -> en.getKey().getName())
          .toList();
      if (found.isEmpty()) {
        return found;
      }
      Thread.sleep(50);
    }
    return found;
  }

  private static boolean isGenuineChatAppToken(String token) {
    try {
      AccessToken2 t = new AccessToken2Verifier(Clock.systemUTC()).verify(token, List.of(Secret.of(CERT))).claims();
      return t.appId().equals(APP_ID)
          && t.chat().map(c -> c.userId().isEmpty() && c.privileges().containsKey(ChatService.APP)).orElse(false);
    } catch (TokenException e) {
      return false;
    }
  }
}
