package dev.tokenauthority.bridge.easemob;

import static dev.tokenauthority.bridge.BridgeFixture.failure;
import static dev.tokenauthority.bridge.BridgeFixture.value;
import static dev.tokenauthority.bridge.FakeVendor.APP_TOKEN;
import static dev.tokenauthority.bridge.FakeVendor.INHERIT_GRANT;
import static dev.tokenauthority.bridge.FakeVendor.PASSWORD_GRANT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenauthority.bridge.BridgeFixture;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.bridge.Json;
import dev.tokenauthority.bridge.VendorCallException;
import dev.tokenauthority.bridge.VendorErrorCategory;
import dev.tokenauthority.bridge.VendorReason;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.server.testing.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EasemobTokenClientTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private BridgeFixture fx;
  private FakeVendor vendor;
  private EasemobTokenClient client;

  @BeforeEach
  void setUp() throws Exception {
    fx = new BridgeFixture("emorg", "emapp");
    vendor = fx.vendor;
    client = new EasemobTokenClient(config(TtlUnit.SECONDS), fx.http);
    LogCapture.registerSecret("client-secret-do-not-log");
    LogCapture.registerSecret("correct horse");
    vendor.users.put("alice", new FakeVendor.User("uuid-alice", "correct horse", true));
  }

  private EasemobAppConfig config(TtlUnit unit) {
    return EasemobAppConfig.builder()
        .restBaseUrl(vendor.baseUrl())
        .appKey("emorg#emapp")
        .clientId("client-id-1")
        .clientSecret(Secret.of("client-secret-do-not-log"))
        .ttlUnit(unit)
        .appTokenTtl(Duration.ofHours(2))
        .build();
  }

  @AfterEach
  void tearDown() {
    assertThat(vendor.violations()).as("requests that broke the documented contract").isEmpty();
    assertThat(fx.events.toString())
        .doesNotContain("client-secret-do-not-log").doesNotContain("correct horse").doesNotContain("YWMt");
    fx.close();
  }

  private Instant deadline() {
    return fx.roomyDeadline();
  }

  private static JsonNode body(FakeVendor.Call c) throws Exception {
    return Json.MAPPER.readTree(c.body());
  }

  // ---- password grant ----

  @Test
  void passwordGrantSendsThePasswordOnlyInTheBodyAndNoAppToken() throws Exception {
    EasemobUserToken t = value(client.passwordGrant("Alice", new Secret("password", "correct horse"), HOUR, deadline()));

    assertThat(t.userUuid()).isEqualTo("uuid-alice");
    assertThat(t.userName()).isEqualTo("alice");
    assertThat(t.accessToken()).startsWith("YWMt-user-");
    assertThat(t.expiresIn()).isEqualTo(HOUR);
    assertThat(t.expiresAt()).contains(fx.clock.instant().plus(HOUR));
    assertThat(t.toString()).doesNotContain(t.accessToken());
    FakeVendor.Call call = vendor.calls(PASSWORD_GRANT).get(0);
    assertThat(call.path()).isEqualTo("/emorg/emapp/token");
    assertThat(call.authorization()).isNull();
    JsonNode b = body(call);
    assertThat(b.path("username").asText()).isEqualTo("alice");
    assertThat(b.path("password").asText()).isEqualTo("correct horse");
    assertThat(b.path("ttl").asLong()).isEqualTo(3600);
    assertThat(vendor.count(APP_TOKEN)).isZero();
  }

  @Test
  void passwordGrantErrorsFromTheSimulatedVendor() throws Exception {
    VendorCallException wrong = failure(client.passwordGrant("alice", Secret.of("not-the-password"), HOUR, deadline()));
    assertThat(wrong.reason()).isEqualTo(VendorReason.EASEMOB_INVALID_PASSWORD);
    assertThat(wrong.category()).isEqualTo(VendorErrorCategory.UNAUTHENTICATED);
    assertThat(wrong.getMessage()).doesNotContain("not-the-password");

    VendorCallException missing = failure(client.passwordGrant("bob", Secret.of("bobs-password"), HOUR, deadline()));
    assertThat(missing.reason()).isEqualTo(VendorReason.CHAT_USER_NOT_FOUND);
    assertThat(missing.category()).isEqualTo(VendorErrorCategory.NOT_FOUND);

    vendor.users.put("banned", new FakeVendor.User("uuid-b", "banned-password", false));
    VendorCallException banned = failure(client.passwordGrant("banned", Secret.of("banned-password"), HOUR, deadline()));
    assertThat(banned.reason()).isEqualTo(VendorReason.CHAT_USER_BANNED);
    assertThat(banned.category()).isEqualTo(VendorErrorCategory.FAILED_PRECONDITION);
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(3);
  }

  /** Seed 004's error table, row by row, plus what the bridges add for other statuses. */
  static Stream<Arguments> seedErrorTable() {
    return Stream.of(
        Arguments.of(400, "illegal_argument", "username [XXX] is not legal", VendorReason.CHAT_USER_NAME_INVALID, VendorErrorCategory.INVALID_ARGUMENT),
        Arguments.of(400, "illegal_argument", "USERNAME_TOO_LONG", VendorReason.EASEMOB_USERNAME_TOO_LONG, VendorErrorCategory.INVALID_ARGUMENT),
        Arguments.of(400, "invalid_grant", "user not activated", VendorReason.CHAT_USER_BANNED, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(400, "invalid_grant", "invalid password", VendorReason.EASEMOB_INVALID_PASSWORD, VendorErrorCategory.UNAUTHENTICATED),
        Arguments.of(401, "unauthorized", "Unable to authenticate (OAuth)", VendorReason.VENDOR_UNAUTHORIZED, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(401, "auth_bad_access_token", "Unable to authenticate due to corrupt access token", VendorReason.VENDOR_UNAUTHORIZED, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(404, "invalid_grant", "user not found", VendorReason.CHAT_USER_NOT_FOUND, VendorErrorCategory.NOT_FOUND),
        Arguments.of(404, "organization_application_not_found", "Could not find application for XXX/XXX from URI: XXX/XXX/users", VendorReason.VENDOR_APP_NOT_FOUND, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(404, "entity_not_found", "User null not found", VendorReason.CHAT_USER_NOT_FOUND, VendorErrorCategory.NOT_FOUND),
        Arguments.of(409, "concurrent_operation_error", "concurrency create app user failed", VendorReason.VENDOR_CONCURRENT_OPERATION, VendorErrorCategory.ABORTED),
        Arguments.of(403, "forbidden_op", "forbidden", VendorReason.VENDOR_FORBIDDEN, VendorErrorCategory.PERMISSION_DENIED),
        Arguments.of(400, "json_parse", "Unexpected character", VendorReason.VENDOR_REJECTED, VendorErrorCategory.FAILED_PRECONDITION));
  }

  @ParameterizedTest
  @MethodSource("seedErrorTable")
  void passwordGrantMapsEachDocumentedError(int status, String error, String description,
      VendorReason reason, VendorErrorCategory category) throws Exception {
    vendor.script(PASSWORD_GRANT, FakeVendor.error(status, error, description));

    VendorCallException e = failure(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.category()).isEqualTo(category);
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(1);
  }

  /** Seed 004's rows for grant_type=inherit with autoCreateUser=true (user creation at the vendor). */
  static Stream<Arguments> seedAutoCreateRows() {
    return Stream.of(
        Arguments.of(400, "illegal_argument", "username [XXX] is not legal", VendorReason.CHAT_USER_NAME_INVALID, VendorErrorCategory.INVALID_ARGUMENT),
        Arguments.of(400, "illegal_argument", "USERNAME_TOO_LONG", VendorReason.EASEMOB_USERNAME_TOO_LONG, VendorErrorCategory.INVALID_ARGUMENT),
        Arguments.of(400, "invalid_grant", "user not activated", VendorReason.CHAT_USER_BANNED, VendorErrorCategory.FAILED_PRECONDITION),
        // The community edition's cap on registered users: a quota, so it is not retried.
        Arguments.of(429, "resource_limited",
            "You have exceeded the limit of the community edition,Please upgrade to the enterprise edition",
            VendorReason.VENDOR_QUOTA_EXCEEDED, VendorErrorCategory.RESOURCE_EXHAUSTED));
  }

  @ParameterizedTest
  @MethodSource("seedAutoCreateRows")
  void inheritGrantWithAutoCreateMapsEachDocumentedError(int status, String error, String description,
      VendorReason reason, VendorErrorCategory category) throws Exception {
    vendor.script(INHERIT_GRANT, FakeVendor.error(status, error, description));

    VendorCallException e = failure(client.inheritGrant("newcomer", true, HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.category()).isEqualTo(category);
    assertThat(e.httpStatus()).hasValue(status);
    assertThat(body(vendor.calls(INHERIT_GRANT).get(0)).path("autoCreateUser").asBoolean()).isTrue();
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(1);
    assertThat(fx.delayer.delays).isEmpty();
  }

  @Test
  void persistentServerErrorsAreUnavailableAfterAllAttempts() throws Exception {
    for (int i = 0; i < 10; i++) {
      vendor.script(INHERIT_GRANT, FakeVendor.error(503, "service_unavailable", "busy"));
    }
    VendorCallException e = failure(client.inheritGrant("alice", true, HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAVAILABLE);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.UNAVAILABLE);
    assertThat(e.httpStatus()).hasValue(503);
    int attempts = fx.http.retryPolicy().maxAttempts();
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(attempts);
    assertThat(fx.delayer.delays).hasSize(attempts - 1);
  }

  @Test
  void nonJsonErrorBodiesAreRejectedByStatusAlone() throws Exception {
    vendor.script(PASSWORD_GRANT, FakeVendor.json(400, "<html><body>400 Bad Request</body></html>"));
    vendor.script(INHERIT_GRANT, FakeVendor.json(400, "{\"error\": "));

    VendorCallException password = failure(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));
    VendorCallException inherit = failure(client.inheritGrant("alice", true, HOUR, deadline()));

    for (VendorCallException e : List.of(password, inherit)) {
      assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_REJECTED);
      assertThat(e.category()).isEqualTo(VendorErrorCategory.FAILED_PRECONDITION);
      assertThat(e.getMessage()).doesNotContain("html").doesNotContain("{");
    }
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(1);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(1);
  }

  @Test
  void malformedInheritGrantAnswerIsABadResponse() throws Exception {
    vendor.script(INHERIT_GRANT, FakeVendor.json(200, "not json"),
        FakeVendor.json(201, "{\"access_token\":\"YWMt-x\",\"expires_in\":60,\"user\":{}}"));

    assertThat(failure(client.inheritGrant("alice", true, HOUR, deadline())).reason())
        .isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    VendorCallException noUuid = failure(client.inheritGrant("alice", true, HOUR, deadline()));
    assertThat(noUuid.reason()).isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    assertThat(noUuid.getMessage()).doesNotContain("YWMt");
  }

  @Test
  void rateLimitIsRetriedThenResourceExhausted() throws Exception {
    for (int i = 0; i < 10; i++) {
      vendor.script(PASSWORD_GRANT, FakeVendor.error(429, "too_many_requests", "slow down"));
    }
    VendorCallException e = failure(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_RATE_LIMITED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.RESOURCE_EXHAUSTED);
    int attempts = fx.http.retryPolicy().maxAttempts();
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(attempts);
    assertThat(fx.delayer.delays).hasSize(attempts - 1);
    // Exponential: each ceiling doubles (100, 200, 400 ms), each delay at least half its ceiling.
    for (int i = 0; i < fx.delayer.delays.size(); i++) {
      long ceiling = 100L << i;
      assertThat(fx.delayer.delays.get(i).toMillis()).isBetween(ceiling / 2, ceiling);
    }
  }

  @Test
  void serverErrorsAreRetriedUntilSuccess() throws Exception {
    vendor.script(PASSWORD_GRANT, FakeVendor.error(500, "internal", "x"), FakeVendor.error(502, "bad_gateway", "x"));

    assertThat(value(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline())).userUuid())
        .isEqualTo("uuid-alice");
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(3);
  }

  @Test
  void malformedSuccessBodiesAreBadResponses() throws Exception {
    vendor.script(PASSWORD_GRANT, FakeVendor.json(200, "not json"),
        FakeVendor.json(200, "{\"access_token\":\"YWMt-x\",\"expires_in\":60}"));

    assertThat(failure(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline())).reason())
        .isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    VendorCallException noUuid = failure(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));
    assertThat(noUuid.reason()).isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    assertThat(noUuid.category()).isEqualTo(VendorErrorCategory.UNAVAILABLE);
  }

  @Test
  void droppedConnectionIsRetried() throws Exception {
    vendor.script(PASSWORD_GRANT, new FakeVendor.Drop());

    assertThat(value(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline())).userUuid())
        .isEqualTo("uuid-alice");
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(2);
  }

  @Test
  void passwordGrantDeadlineShorterThanTheVendorFailsFast() throws Exception {
    vendor.script(PASSWORD_GRANT, FakeVendor.delay(Duration.ofSeconds(10)));

    CompletableFuture<EasemobUserToken> f =
        client.passwordGrant("alice", Secret.of("correct horse"), HOUR, fx.deadlineIn(Duration.ofMillis(300)));
    assertThat(f).isNotDone();
    VendorCallException e = failure(f);

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.DEADLINE_EXCEEDED);
    assertThat(vendor.count(PASSWORD_GRANT)).isEqualTo(1);
    assertThat(BridgeFixture.threadsInBridgeCode()).isEmpty();
  }

  @Test
  void namesAreCheckedBeforeAnyCall() throws Exception {
    assertThat(failure(client.passwordGrant("x".repeat(65), Secret.of("p"), HOUR, deadline())).reason())
        .isEqualTo(VendorReason.EASEMOB_USERNAME_TOO_LONG);
    assertThat(failure(client.inheritGrant("a/b", true, HOUR, deadline())).reason())
        .isEqualTo(VendorReason.CHAT_USER_NAME_INVALID);
    assertThat(vendor.calls()).isEmpty();
  }

  // ---- app token and inherit grant ----

  @Test
  void inheritGrantFetchesTheAppTokenOnceAndReusesIt() throws Exception {
    EasemobUserToken t1 = value(client.inheritGrant("alice", false, HOUR, deadline()));
    EasemobUserToken t2 = value(client.inheritGrant("alice", false, HOUR, deadline()));

    assertThat(t1.userUuid()).isEqualTo("uuid-alice");
    assertThat(t2.accessToken()).isNotEqualTo(t1.accessToken());
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(1);
    JsonNode cc = body(vendor.calls(APP_TOKEN).get(0));
    assertThat(cc.path("client_id").asText()).isEqualTo("client-id-1");
    assertThat(cc.path("client_secret").asText()).isEqualTo("client-secret-do-not-log");
    assertThat(cc.path("ttl").asLong()).isEqualTo(7200);
    String appToken = vendor.easemobAppTokens.iterator().next();
    assertThat(vendor.calls(INHERIT_GRANT)).extracting(FakeVendor.Call::authorization)
        .containsOnly("Bearer " + appToken);
    JsonNode ib = body(vendor.calls(INHERIT_GRANT).get(0));
    assertThat(ib.path("autoCreateUser").asBoolean(true)).isFalse();
    assertThat(ib.path("ttl").asLong()).isEqualTo(3600);
  }

  @Test
  void appTokenIsRefreshedShortlyBeforeItExpires() throws Exception {
    vendor.appTokenExpiresIn = 3600; // margin: min(5 min, 6 min) = 5 min, so refresh after 55 min
    value(client.inheritGrant("alice", false, HOUR, deadline()));
    fx.clock.advance(Duration.ofMinutes(54));
    value(client.inheritGrant("alice", false, HOUR, deadline()));
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(1);

    fx.clock.advance(Duration.ofMinutes(2));
    value(client.inheritGrant("alice", false, HOUR, deadline()));
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(2);
  }

  @Test
  void concurrentCallersShareOneAppTokenRefresh() throws Exception {
    vendor.script(APP_TOKEN, FakeVendor.delay(Duration.ofMillis(300)));
    List<CompletableFuture<EasemobUserToken>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(client.inheritGrant("alice", false, HOUR, deadline()));
    }
    for (CompletableFuture<EasemobUserToken> f : all) {
      assertThat(value(f).userUuid()).isEqualTo("uuid-alice");
    }
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(1);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(30);
  }

  @Test
  void a401DropsTheAppTokenAndRetriesOnceWithAFreshOne() throws Exception {
    value(client.inheritGrant("alice", false, HOUR, deadline()));
    vendor.easemobAppTokens.clear(); // the vendor forgets (revokes) the token we cached

    assertThat(value(client.inheritGrant("alice", false, HOUR, deadline())).userUuid()).isEqualTo("uuid-alice");
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(2);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(3);
    List<String> issued = vendor.issuedAppTokens();
    assertThat(issued).hasSize(2).doesNotHaveDuplicates();
    assertThat(vendor.calls(INHERIT_GRANT)).extracting(FakeVendor.Call::authorization)
        .as("the retry carries the freshly fetched app token")
        .containsExactly("Bearer " + issued.get(0), "Bearer " + issued.get(0), "Bearer " + issued.get(1));
  }

  @Test
  void secondConsecutive401IsVendorUnauthorized() throws Exception {
    vendor.script(INHERIT_GRANT, FakeVendor.error(401, "auth_bad_access_token", "corrupt"),
        FakeVendor.error(401, "auth_bad_access_token", "corrupt"));

    VendorCallException e = failure(client.inheritGrant("alice", false, HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAUTHORIZED);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(2);
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(2);
    List<String> issued = vendor.issuedAppTokens();
    assertThat(vendor.calls(INHERIT_GRANT)).extracting(FakeVendor.Call::authorization)
        .containsExactly("Bearer " + issued.get(0), "Bearer " + issued.get(1));
  }

  @Test
  void rejectedClientCredentialsAreVendorUnauthorized() throws Exception {
    vendor.clientSecret = "rotated-elsewhere";

    VendorCallException e = failure(client.inheritGrant("alice", false, HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAUTHORIZED);
    assertThat(e.getMessage()).doesNotContain("client-secret-do-not-log");
    assertThat(vendor.count(INHERIT_GRANT)).isZero();
  }

  @Test
  void unreadableAppTokenAnswerIsABadResponse() throws Exception {
    vendor.script(APP_TOKEN, FakeVendor.json(200, "{\"access_token\":"));

    assertThat(failure(client.inheritGrant("alice", false, HOUR, deadline())).reason())
        .isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    // Not cached: the next call fetches again and succeeds.
    assertThat(value(client.inheritGrant("alice", false, HOUR, deadline())).userUuid()).isEqualTo("uuid-alice");
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(2);
  }

  @Test
  void autoCreateUserCreatesAMissingUser() throws Exception {
    assertThat(failure(client.inheritGrant("newbie", false, HOUR, deadline())).reason())
        .isEqualTo(VendorReason.CHAT_USER_NOT_FOUND);

    EasemobUserToken t = value(client.inheritGrant("newbie", true, HOUR, deadline()));

    assertThat(t.userUuid()).isEqualTo(vendor.users.get("newbie").uuid());
    assertThat(body(vendor.calls(INHERIT_GRANT).get(1)).path("autoCreateUser").asBoolean()).isTrue();
  }

  @Test
  void conflictDuringAutoCreateIsRetriedOnce() throws Exception {
    vendor.script(INHERIT_GRANT, FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));

    assertThat(value(client.inheritGrant("zed", true, HOUR, deadline())).userUuid())
        .isEqualTo(vendor.users.get("zed").uuid());
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(2);
    assertThat(fx.delayer.delays).hasSize(1);
  }

  @Test
  void secondConflictDuringAutoCreateIsAborted() throws Exception {
    vendor.script(INHERIT_GRANT,
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"),
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));

    VendorCallException e = failure(client.inheritGrant("zed", true, HOUR, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_CONCURRENT_OPERATION);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.ABORTED);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(2);
  }

  @Test
  void conflictWithoutAutoCreateIsNotRetried() throws Exception {
    vendor.script(INHERIT_GRANT, FakeVendor.error(409, "concurrent_operation_error", "x"));

    assertThat(failure(client.inheritGrant("alice", false, HOUR, deadline())).category())
        .isEqualTo(VendorErrorCategory.ABORTED);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(1);
  }

  @Test
  void aPatientCallerJoiningAHastyCallersAppTokenRefreshKeepsItsOwnDeadline() throws Exception {
    vendor.script(APP_TOKEN, FakeVendor.delay(Duration.ofSeconds(1)));

    CompletableFuture<EasemobUserToken> hasty =
        client.inheritGrant("alice", false, HOUR, fx.deadlineIn(Duration.ofMillis(200)));
    fx.awaitCalls(APP_TOKEN, 1); // the hasty caller's refresh is in flight
    CompletableFuture<EasemobUserToken> patient =
        client.inheritGrant("alice", false, HOUR, fx.deadlineIn(Duration.ofSeconds(10)));

    assertThat(failure(hasty).reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(value(patient).userUuid()).isEqualTo("uuid-alice");
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(1);
    assertThat(vendor.count(INHERIT_GRANT)).isEqualTo(1);
  }

  @Test
  void inheritGrantDeadlineCoversASlowAppTokenFetch() throws Exception {
    vendor.script(APP_TOKEN, FakeVendor.delay(Duration.ofSeconds(10)));

    CompletableFuture<EasemobUserToken> f = client.inheritGrant("alice", false, HOUR, fx.deadlineIn(Duration.ofMillis(300)));
    VendorCallException e = failure(f);

    assertThat(e.category()).isEqualTo(VendorErrorCategory.DEADLINE_EXCEEDED);
    assertThat(vendor.count(INHERIT_GRANT)).isZero();
    assertThat(BridgeFixture.threadsInBridgeCode()).isEmpty();
  }

  @Test
  void millisecondClustersGetTtlAndExpiryInMilliseconds() throws Exception {
    client = new EasemobTokenClient(config(TtlUnit.MILLISECONDS), fx.http);
    vendor.appTokenExpiresIn = 7_200_000;

    EasemobUserToken t = value(client.inheritGrant("alice", false, Duration.ofSeconds(90), deadline()));

    assertThat(body(vendor.calls(APP_TOKEN).get(0)).path("ttl").asLong()).isEqualTo(7_200_000);
    assertThat(body(vendor.calls(INHERIT_GRANT).get(0)).path("ttl").asLong()).isEqualTo(90_000);
    assertThat(t.expiresIn()).isEqualTo(Duration.ofSeconds(90));
    // 7 200 000 ms is 2 h: the app token stays cached for 1 h 55 min, not 83 days or 2 s.
    fx.clock.advance(Duration.ofMinutes(100));
    value(client.inheritGrant("alice", false, Duration.ofSeconds(90), deadline()));
    assertThat(vendor.count(APP_TOKEN)).isEqualTo(1);
  }

  @Test
  void neverExpiringTokensHaveNoExpiryInstant() throws Exception {
    vendor.userTokenExpiresIn = 0L;

    EasemobUserToken t = value(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));

    assertThat(t.expiresAt()).isEmpty();
    assertThat(t.expiresIn()).isZero();
  }

  @Test
  void subSecondTtlIsNeverSentAsZero() {
    assertThat(TtlUnit.SECONDS.toWire(Duration.ofMillis(10))).isEqualTo(1);
    assertThat(TtlUnit.MILLISECONDS.toWire(Duration.ofSeconds(2))).isEqualTo(2000);
    assertThat(TtlUnit.MILLISECONDS.fromWire(1500)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void retryAfterHeaderIsHonoured() throws Exception {
    vendor.script(PASSWORD_GRANT, new FakeVendor.Json(503, "{}", Map.of("Retry-After", "2")));

    value(client.passwordGrant("alice", Secret.of("correct horse"), HOUR, deadline()));

    assertThat(fx.delayer.delays).singleElement().isEqualTo(Duration.ofSeconds(2));
  }
}
