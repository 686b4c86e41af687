package dev.tokenauthority.server.bridges;

import static dev.tokenauthority.server.bridges.BridgedServer.CERT;
import static dev.tokenauthority.server.bridges.BridgedServer.assertError;
import static dev.tokenauthority.server.bridges.BridgedServer.byName;
import static dev.tokenauthority.server.bridges.BridgedServer.easemobUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IssueChatToken through the real gRPC server (plaintext, loopback) with the bridges wired in,
 * against fake Agora Chat and Easemob REST services ({@link BridgedServer}), open policy.
 */
@ExtendWith(LogCapture.class)
class IssueChatTokenBridgeEndToEndTest {
  private BridgedServer bs;
  private FakeVendor chat;
  private FakeVendor easemob;

  @BeforeEach
  void setUp() throws Exception {
    bs = new BridgedServer(BridgedServer.OPEN_POLICY);
    chat = bs.chat;
    easemob = bs.easemob;
  }

  @AfterEach
  void tearDown() throws Exception {
    bs.close();
  }

  private TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub stub() {
    return bs.stub();
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
      chat.script(FakeVendor.GET_USER, FakeVendor.error(429, "too_many_requests", "slow down"));
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
        () -> bs.bareStub().withDeadlineAfter(500, TimeUnit.MILLISECONDS).issueChatToken(byName("chat", "slow", false)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

    assertThat(handlerThreadsWaitingOnVendors()).isEmpty();
    // The vendor is still sitting on the first request; the next call joins that lookup (it is
    // not cut short by the first caller's deadline) and gets its answer.
    assertThat(stub().issueChatToken(byName("chat", "slow", false)).getUserUuid()).isEqualTo("u-s");
    assertThat(chat.count(FakeVendor.GET_USER)).isEqualTo(1);
  }

  @Test
  void aCallerWithADeadlineHearsTheBridgesReasonBeforeItsOwnTimeout() throws Exception {
    chat.users.put("slow", new FakeVendor.User("u-s", "pw", true));
    Duration hang = Duration.ofSeconds(6);
    // Every attempt hangs (a retry of a timed-out attempt would otherwise be answered at once).
    chat.script(FakeVendor.GET_USER, FakeVendor.delay(hang), FakeVendor.delay(hang), FakeVendor.delay(hang),
        FakeVendor.delay(hang), FakeVendor.delay(hang), FakeVendor.delay(hang));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> bs.bareStub().withDeadlineAfter(3, TimeUnit.SECONDS).issueChatToken(byName("chat", "slow", false)));
    // The bridge gives up a little before the caller's deadline, so the answer is ours, with its reason.
    assertError(e, Status.Code.DEADLINE_EXCEEDED, "VENDOR_DEADLINE_EXCEEDED", null);
    assertThat(auditLine("slow").path("reason").asText()).isEqualTo("VENDOR_DEADLINE_EXCEEDED");
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
  void aGrantedTokenLivingLongerThanAskedIsNeverHandedOut() throws Exception {
    easemob.users.put("bob", new FakeVendor.User("uuid-bob", "hunter2-long", true));
    // As a cluster that reads the ttl in another unit would answer: 1200 asked, 1 200 000 granted.
    easemob.userTokenExpiresIn = 1_200_000L;

    for (EasemobGrant grant : new EasemobGrant[] {EasemobGrant.EASEMOB_GRANT_PASSWORD, EasemobGrant.EASEMOB_GRANT_INHERIT}) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
          easemobUser("bob", grant, grant == EasemobGrant.EASEMOB_GRANT_PASSWORD ? "hunter2-long" : "", false)));
      assertError(e, Status.Code.FAILED_PRECONDITION, "EASEMOB_TTL_NOT_HONOURED", "easemob_user.grant");
      assertThat(e.getStatus().getDescription()).contains("rest_ttl_unit").doesNotContain("YWMt");
    }

    easemob.userTokenExpiresIn = 1_260L; // within the slack for clocks and rounding
    assertThat(stub().issueChatToken(easemobUser("bob", EasemobGrant.EASEMOB_GRANT_PASSWORD, "hunter2-long", false))
        .getIssuedToken().getToken()).startsWith("YWMt-user-");
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
  void easemobUserQuotaIsResourceExhaustedAtOnce() throws Exception {
    easemob.script(FakeVendor.INHERIT_GRANT, FakeVendor.error(429, "resource_limited",
        "You have exceeded the limit of the community edition,Please upgrade to the enterprise edition"));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
        easemobUser("one-too-many", EasemobGrant.EASEMOB_GRANT_INHERIT, "", true)));

    assertError(e, Status.Code.RESOURCE_EXHAUSTED, "VENDOR_QUOTA_EXCEEDED", null);
    assertThat(easemob.count(FakeVendor.INHERIT_GRANT)).as("a quota is not retried").isEqualTo(1);
  }

  @Test
  void bannedEasemobUserHasTheSameReasonAsABannedChatUser() throws Exception {
    easemob.users.put("banned-em", new FakeVendor.User("uuid-be", "banned-password", false));

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
        easemobUser("banned-em", EasemobGrant.EASEMOB_GRANT_PASSWORD, "banned-password", false)));

    assertError(e, Status.Code.FAILED_PRECONDITION, "CHAT_USER_BANNED", "easemob_user.user_id");
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

  @Test
  @Timeout(60) // the call below has no deadline of its own: the server's must end it
  void theBridgesOwnDeadlineAnswersWithItsReasonAndFreesTheOnlyHandlerThread() throws Exception {
    // One handler thread, and a 1 s bridge deadline for calls that set none: here the server's
    // deadline is the one that fires, so its status and ErrorInfo are what the caller sees.
    try (BridgedServer tight = new BridgedServer(BridgedServer.OPEN_POLICY, Duration.ofSeconds(1), 1)) {
      tight.chat.users.put("hung", new FakeVendor.User("u-hung", "pw", true));
      tight.chat.users.put("quick", new FakeVendor.User("u-quick", "pw", true));
      tight.chat.script(FakeVendor.GET_USER, FakeVendor.delay(Duration.ofSeconds(30)));

      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> tight.bareStub().issueChatToken(byName("chat", "hung", false)));

      assertError(e, Status.Code.DEADLINE_EXCEEDED, "VENDOR_DEADLINE_EXCEEDED", null);
      assertThat(auditLine("hung").path("reason").asText()).isEqualTo("VENDOR_DEADLINE_EXCEEDED");
      assertThat(handlerThreadsWaitingOnVendors()).isEmpty();
      // The only handler thread serves the next call while the vendor still sits on the first.
      assertThat(tight.stub().issueChatToken(byName("chat", "quick", false)).getUserUuid()).isEqualTo("u-quick");
      assertThat(tight.chat.delaying()).as("the vendor still holds the first request").isEqualTo(1);
    }
  }

  // ---- audit: the RPC's audit line lists its vendor calls, and no secret ----

  @Test
  void auditLineListsTheLookupAndBothRegistrationAttemptsWithoutAnySecret() throws Exception {
    chat.script(FakeVendor.REGISTER_USER,
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));

    IssueChatTokenResponse r = stub().issueChatToken(byName("chat", "audited-newcomer", true));

    JsonNode line = auditLine("audited-newcomer");
    assertThat(line.path("outcome").asText()).isEqualTo("ok");
    assertThat(vendorCalls(line)).containsExactly(
        "chat.get_user 404 HTTP_ERROR", "chat.register_user 409 HTTP_ERROR", "chat.register_user 200 OK");
    assertThat(line.path("vendor_calls").get(0).path("elapsed_ms").isIntegralNumber()).isTrue();
    List<String> secrets = new ArrayList<>(List.of(CERT, r.getIssuedToken().getToken()));
    for (FakeVendor.Call c : chat.calls()) {
      secrets.add(c.authorization().substring("Bearer ".length())); // the chat app tokens we minted
      if (c.operation().equals(FakeVendor.REGISTER_USER)) {
        secrets.add(JSON.readTree(c.body()).get(0).path("password").asText()); // the random password
      }
    }
    assertThat(secrets).hasSize(2 + 3 + 2);
    assertThat(line.toString()).doesNotContain(secrets);
  }

  @Test
  void auditLineListsRetriesAndAppTokenRefreshesOfAnInheritGrantWithoutAnySecret() throws Exception {
    easemob.script(FakeVendor.INHERIT_GRANT, FakeVendor.error(503, "service_unavailable", "x"),
        FakeVendor.error(401, "unauthorized", "Unable to authenticate (OAuth)"));

    IssueChatTokenResponse r = stub().issueChatToken(
        easemobUser("audited-inherit", EasemobGrant.EASEMOB_GRANT_INHERIT, "", true));

    JsonNode line = auditLine("audited-inherit");
    assertThat(vendorCalls(line)).containsExactly(
        "easemob.app_token 200 OK",
        "easemob.inherit_grant 503 RETRY",
        "easemob.inherit_grant 401 HTTP_ERROR",
        "easemob.app_token 200 OK",
        "easemob.inherit_grant 200 OK");
    assertThat(easemob.issuedAppTokens()).hasSize(2);
    assertThat(line.toString()).doesNotContain(BridgedServer.CLIENT_SECRET, r.getIssuedToken().getToken())
        .doesNotContain(easemob.issuedAppTokens());
  }

  @Test
  void failedPasswordGrantAuditLineNamesTheCallAndItsOutcomeButNotThePassword() throws Exception {
    easemob.users.put("audited-bob", new FakeVendor.User("uuid-ab", "the-right-password", true));

    catchThrowableOfType(StatusRuntimeException.class, () -> stub().issueChatToken(
        easemobUser("audited-bob", EasemobGrant.EASEMOB_GRANT_PASSWORD, "a-wrong-password", false)));

    JsonNode line = auditLine("audited-bob");
    assertThat(line.path("reason").asText()).isEqualTo("EASEMOB_INVALID_PASSWORD");
    assertThat(vendorCalls(line)).containsExactly("easemob.password_grant 400 HTTP_ERROR");
    assertThat(line.toString()).doesNotContain("a-wrong-password", "the-right-password");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The last IssueChatToken audit line for this subject, from the captured log. */
  private static JsonNode auditLine(String subject) throws Exception {
    JsonNode found = null;
    for (String l : LogCapture.lines()) {
      if (l.startsWith("{") && l.contains("\"rpc\":\"IssueChatToken\"")) {
        JsonNode n = JSON.readTree(l);
        if (subject.equals(n.path("subject").asText())) {
          found = n;
        }
      }
    }
    assertThat(found).as("audit line for " + subject).isNotNull();
    return found;
  }

  /** "call status outcome" per listed vendor call. */
  private static List<String> vendorCalls(JsonNode line) {
    List<String> out = new ArrayList<>();
    line.path("vendor_calls").forEach(c -> out.add(c.path("call").asText() + " "
        + (c.has("status") ? c.path("status").asText() : "-") + " " + c.path("outcome").asText()));
    return out;
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
}
