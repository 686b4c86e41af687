package dev.tokenauthority.server.bridges;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.bridge.BridgeSettings;
import dev.tokenauthority.bridge.Delayer;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.bridge.VendorCallEvent;
import dev.tokenauthority.bridge.VendorCallListener;
import dev.tokenauthority.bridge.VendorHttp;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenException;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.server.TokenAuthorityServer;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real gRPC server (plaintext, loopback, caller "local") with the vendor bridges wired to fake
 * Agora Chat and Easemob REST services, under a given caller policy. Chat app tokens are minted by
 * the real token engine and the fake only accepts a genuine chat app token signed with the app's
 * certificate. Every secret in play is registered with {@link LogCapture}.
 */
final class BridgedServer implements AutoCloseable {
  static final String APP_ID = "0123456789abcdef0123456789abcdef";
  static final String CERT = "fedcba9876543210fedcba9876543210";
  static final String CLIENT_SECRET = "YXA6-client-secret-e2e";

  /** Everything allowed, registration included. */
  static final String OPEN_POLICY = """
      callers:
        - identity: local
          apps: ["*"]
          rpcs: ["*"]
          max_lifetime_seconds: 7200
          may_register_users: true
      """;

  private static final VendorCallListener VENDOR_CALL_LOG = VendorCallListener.logging();

  final FakeVendor chat;
  final FakeVendor easemob;
  final TokenAuthorityServer server;
  final ManagedChannel channel;
  final List<VendorCallEvent> events = new CopyOnWriteArrayList<>();
  private final TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub;

  /** @param callers the {@code callers:} block of the configuration */
  BridgedServer(String callers) throws Exception {
    this(callers, Duration.ofSeconds(10), 0);
  }

  /**
   * @param bridgeDefaultTimeout the bridges' deadline for calls that set none
   * @param handlerThreads the server's handler pool size, 0 for the default
   */
  BridgedServer(String callers, Duration bridgeDefaultTimeout, int handlerThreads) throws Exception {
    LogCapture.registerSecret(CERT);
    LogCapture.registerSecret(CLIENT_SECRET);
    chat = new FakeVendor("org1", "chatapp");
    chat.acceptChatAppToken = BridgedServer::isGenuineChatAppToken;
    // Registration passwords the bridge generates and passwords callers send are checked too.
    chat.onSecret = LogCapture::registerSecret;
    easemob = new FakeVendor("emorg", "emapp");
    easemob.clientId = "em-client";
    easemob.clientSecret = CLIENT_SECRET;
    easemob.onSecret = LogCapture::registerSecret;

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
        """.formatted(APP_ID, chat.baseUrl(), APP_ID, easemob.baseUrl())
        + (handlerThreads > 0 ? "limits: {handler_threads: " + handlerThreads + "}\n" : "")
        + callers;
    ServerConfig cfg = new ConfigLoader(Map.of("CHAT_CERT", CERT, "EM_SECRET", CLIENT_SECRET)::get)
        .parse(yaml, null);
    LogCapture.registerSecrets(cfg);

    VendorHttp http = new VendorHttp(VendorHttp.newHttpClient(BridgeSettings.DEFAULT), BridgeSettings.DEFAULT,
        Clock.systemUTC(), new Random(5), Delayer.system(), e -> {
          events.add(e);
          VENDOR_CALL_LOG.onAttempt(e); // as production wires it, so the suite's secret check sees these lines
        });
    CoreTokenEngine engine = new CoreTokenEngine();
    VendorBridges bridges = new VendorBridges(engine, http, new SecureRandom(), bridgeDefaultTimeout);
    server = TokenAuthorityServer.builder(cfg, engine)
        .chatUserDirectory(bridges)
        .easemobTokenGrants(bridges)
        .build()
        .start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();
    stub = TokenAuthorityServiceGrpc.newBlockingStub(channel);
  }

  /** A stub whose calls have a roomy 10 s deadline. */
  TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub() {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** The stub without a deadline, to set one. */
  TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub bareStub() {
    return stub;
  }

  /** Requests either fake vendor has received. */
  int vendorCalls() {
    return chat.calls().size() + easemob.calls().size();
  }

  @Override
  public void close() throws Exception {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop();
      assertThat(chat.violations()).as("chat requests that broke the contract").isEmpty();
      assertThat(easemob.violations()).as("easemob requests that broke the contract").isEmpty();
      assertThat(events.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(CERT).doesNotContain("YWMt");
    } finally {
      chat.close();
      easemob.close();
    }
  }

  static IssueChatTokenRequest byName(String app, String name, boolean register) {
    return IssueChatTokenRequest.newBuilder().setApp(app).setLifetimeSeconds(600)
        .setAgoraUser(AgoraChatUser.newBuilder().setUserName(name).setRegisterIfMissing(register))
        .build();
  }

  static IssueChatTokenRequest easemobUser(String user, EasemobGrant grant, String password, boolean create) {
    return IssueChatTokenRequest.newBuilder().setApp("im").setLifetimeSeconds(1200)
        .setEasemobUser(EasemobUser.newBuilder().setUserId(user).setGrant(grant).setPassword(password)
            .setAutoCreateUser(create))
        .build();
  }

  /** The status code, ErrorInfo reason and BadRequest field (null: no BadRequest) of a failed call. */
  static void assertError(StatusRuntimeException e, Status.Code code, String reason, String field)
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
