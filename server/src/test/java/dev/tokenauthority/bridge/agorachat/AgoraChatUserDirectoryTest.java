package dev.tokenauthority.bridge.agorachat;

import static dev.tokenauthority.bridge.BridgeFixture.failure;
import static dev.tokenauthority.bridge.BridgeFixture.value;
import static dev.tokenauthority.bridge.FakeVendor.GET_USER;
import static dev.tokenauthority.bridge.FakeVendor.REGISTER_USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.bridge.BridgeFixture;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.bridge.VendorCallException;
import dev.tokenauthority.bridge.VendorErrorCategory;
import dev.tokenauthority.bridge.VendorReason;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgoraChatUserDirectoryTest {
  private BridgeFixture fx;
  private FakeVendor vendor;
  private final AtomicInteger minted = new AtomicInteger();
  private AgoraChatUserDirectory directory;

  @BeforeEach
  void setUp() throws Exception {
    fx = new BridgeFixture("org1", "chatapp");
    vendor = fx.vendor;
    directory = newDirectory(AgoraChatAppConfig.of(vendor.baseUrl(), "org1#chatapp"));
  }

  private AgoraChatUserDirectory newDirectory(AgoraChatAppConfig cfg) {
    return new AgoraChatUserDirectory(cfg, () -> "chat-app-token-" + minted.incrementAndGet(),
        fx.http, new SecureRandom());
  }

  @AfterEach
  void tearDown() {
    assertThat(vendor.violations()).as("requests that broke the documented contract").isEmpty();
    assertThat(fx.events.toString()).doesNotContain("chat-app-token-").doesNotContain("password");
    fx.close();
  }

  private Instant deadline() {
    return fx.roomyDeadline();
  }

  @Test
  void resolvesAnExistingUserWithTheMintedAppToken() throws Exception {
    vendor.users.put("alice", new FakeVendor.User("uuid-alice", "pw", true));

    ChatUser user = value(directory.resolveUuid("Alice", false, deadline()));

    assertThat(user).isEqualTo(new ChatUser("alice", "uuid-alice", false));
    assertThat(vendor.calls(GET_USER)).singleElement().satisfies(c -> {
      assertThat(c.path()).isEqualTo("/org1/chatapp/users/alice");
      assertThat(c.authorization()).isEqualTo("Bearer chat-app-token-1");
    });
  }

  @Test
  void cachesNameToUuidUntilTheEntryExpires() throws Exception {
    vendor.users.put("bob", new FakeVendor.User("uuid-bob", "pw", true));

    value(directory.resolveUuid("bob", false, deadline()));
    value(directory.resolveUuid("BOB", false, deadline()));
    assertThat(vendor.count(GET_USER)).isEqualTo(1);

    fx.clock.advance(AgoraChatAppConfig.DEFAULT_CACHE_TTL.plusSeconds(1));
    assertThat(value(directory.resolveUuid("bob", false, deadline())).uuid()).isEqualTo("uuid-bob");
    assertThat(vendor.count(GET_USER)).isEqualTo(2);
  }

  @Test
  void cacheIsBounded() throws Exception {
    directory = newDirectory(AgoraChatAppConfig.of(vendor.baseUrl(), "org1#chatapp")
        .withUserCache(2, Duration.ofMinutes(5)));
    for (String n : List.of("u1", "u2", "u3")) {
      vendor.users.put(n, new FakeVendor.User("uuid-" + n, "pw", true));
      value(directory.resolveUuid(n, false, deadline()));
    }
    assertThat(directory.cachedUsers()).isEqualTo(2);
    value(directory.resolveUuid("u1", false, deadline())); // evicted first, so fetched again
    assertThat(vendor.count(GET_USER)).isEqualTo(4);
  }

  @Test
  void missingUserWithoutRegistrationIsNotFound() throws Exception {
    VendorCallException e = failure(directory.resolveUuid("ghost", false, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.CHAT_USER_NOT_FOUND);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.NOT_FOUND);
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
    assertThat(vendor.count(REGISTER_USER)).isZero();
  }

  @Test
  void registersAMissingUserWithAStrongRandomPassword() throws Exception {
    ChatUser carol = value(directory.resolveUuid("carol", true, deadline()));
    ChatUser dave = value(directory.resolveUuid("dave", true, deadline()));

    assertThat(carol.registered()).isTrue();
    assertThat(carol.uuid()).isEqualTo(vendor.users.get("carol").uuid());
    String pw1 = vendor.users.get("carol").password();
    String pw2 = vendor.users.get("dave").password();
    assertThat(pw1).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(pw2);
    assertThat(vendor.calls(REGISTER_USER).get(0).authorization()).startsWith("Bearer chat-app-token-");
    // Cached after registration: no further REST call.
    assertThat(value(directory.resolveUuid("carol", true, deadline())).uuid()).isEqualTo(carol.uuid());
    assertThat(vendor.count(GET_USER)).isEqualTo(2);
    assertThat(fx.events.toString()).doesNotContain(pw1).doesNotContain(pw2);
  }

  @Test
  void registrationRaceUsesTheUserSomeoneElseCreated() throws Exception {
    // Lookup says absent; by the time we register, another instance has created the user.
    vendor.script(GET_USER, FakeVendor.error(404, "service_resource_not_found", "Service resource not found"));
    vendor.users.put("erin", new FakeVendor.User("uuid-erin", "theirs", true));

    ChatUser erin = value(directory.resolveUuid("erin", true, deadline()));

    assertThat(erin.uuid()).isEqualTo("uuid-erin");
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(1);
    assertThat(vendor.count(GET_USER)).isEqualTo(2);
  }

  @Test
  void bannedUserFailsAndIsNotCached() throws Exception {
    vendor.users.put("mallory", new FakeVendor.User("uuid-m", "pw", false));

    VendorCallException e = failure(directory.resolveUuid("mallory", true, deadline()));
    assertThat(e.reason()).isEqualTo(VendorReason.CHAT_USER_BANNED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.FAILED_PRECONDITION);

    vendor.users.put("mallory", new FakeVendor.User("uuid-m", "pw", true));
    assertThat(value(directory.resolveUuid("mallory", false, deadline())).uuid()).isEqualTo("uuid-m");
    assertThat(vendor.count(REGISTER_USER)).isZero();
  }

  @Test
  void a401MintsAFreshAppTokenAndRetriesOnce() throws Exception {
    vendor.users.put("frank", new FakeVendor.User("uuid-f", "pw", true));
    vendor.acceptChatAppToken = t -> !t.equals("chat-app-token-1");

    assertThat(value(directory.resolveUuid("frank", false, deadline())).uuid()).isEqualTo("uuid-f");
    assertThat(vendor.calls(GET_USER)).extracting(FakeVendor.Call::authorization)
        .containsExactly("Bearer chat-app-token-1", "Bearer chat-app-token-2");
  }

  @Test
  void a401AfterTheFreshTokenIsVendorUnauthorized() throws Exception {
    vendor.acceptChatAppToken = t -> false;

    VendorCallException e = failure(directory.resolveUuid("frank", true, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAUTHORIZED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.FAILED_PRECONDITION);
    assertThat(vendor.count(GET_USER)).isEqualTo(2);
    assertThat(vendor.count(REGISTER_USER)).isZero();
  }

  static Stream<Arguments> lookupErrors() {
    return Stream.of(
        Arguments.of(FakeVendor.error(404, "organization_application_not_found", "Could not find application for org1/chatapp"),
            VendorReason.VENDOR_APP_NOT_FOUND, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(FakeVendor.error(403, "forbidden_op", "forbidden operation"),
            VendorReason.VENDOR_FORBIDDEN, VendorErrorCategory.PERMISSION_DENIED),
        Arguments.of(FakeVendor.error(400, "illegal_argument", "username is not legal"),
            VendorReason.CHAT_USER_NAME_INVALID, VendorErrorCategory.INVALID_ARGUMENT),
        Arguments.of(FakeVendor.error(418, "teapot", "?"),
            VendorReason.VENDOR_REJECTED, VendorErrorCategory.FAILED_PRECONDITION),
        // An error body that is not JSON (a proxy's HTML page): the status alone decides.
        Arguments.of(FakeVendor.json(400, "<html><body>Bad Request</body></html>"),
            VendorReason.VENDOR_REJECTED, VendorErrorCategory.FAILED_PRECONDITION),
        Arguments.of(FakeVendor.json(200, "{\"entities\":[{\"uuid\":"),
            VendorReason.VENDOR_BAD_RESPONSE, VendorErrorCategory.UNAVAILABLE),
        Arguments.of(FakeVendor.json(200, "{\"entities\":[{\"username\":\"x\"}]}"),
            VendorReason.VENDOR_BAD_RESPONSE, VendorErrorCategory.UNAVAILABLE));
  }

  @ParameterizedTest
  @MethodSource("lookupErrors")
  void lookupErrorsMapToPreciseReasons(FakeVendor.Reply reply, VendorReason reason, VendorErrorCategory cat)
      throws Exception {
    vendor.script(GET_USER, reply);

    VendorCallException e = failure(directory.resolveUuid("gina", true, deadline()));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.category()).isEqualTo(cat);
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
    assertThat(vendor.count(REGISTER_USER)).isZero();
  }

  @Test
  void unknownOrgIsAppNotFoundFromTheSimulatedVendor() throws Exception {
    directory = newDirectory(AgoraChatAppConfig.of(vendor.baseUrl(), "org1#otherapp"));

    assertThat(failure(directory.resolveUuid("gina", false, deadline())).reason())
        .isEqualTo(VendorReason.VENDOR_APP_NOT_FOUND);
  }

  @Test
  void registrationConflictIsRetriedOnceThenAborted() throws Exception {
    vendor.script(REGISTER_USER, FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));
    assertThat(value(directory.resolveUuid("hank", true, deadline())).registered()).isTrue();
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(2);

    vendor.script(REGISTER_USER,
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"),
        FakeVendor.error(409, "concurrent_operation_error", "concurrency create app user failed"));
    VendorCallException e = failure(directory.resolveUuid("ivan", true, deadline()));
    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_CONCURRENT_OPERATION);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.ABORTED);
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(4);
  }

  @Test
  void invalidRegistrationNameIsInvalidArgument() throws Exception {
    vendor.script(REGISTER_USER, FakeVendor.error(400, "illegal_argument", "username [x] is not legal"));

    assertThat(failure(directory.resolveUuid("judy", true, deadline())).reason())
        .isEqualTo(VendorReason.CHAT_USER_NAME_INVALID);
  }

  @Test
  void rateLimitIsRetriedHonouringRetryAfter() throws Exception {
    vendor.users.put("kim", new FakeVendor.User("uuid-k", "pw", true));
    vendor.script(GET_USER,
        new FakeVendor.Json(429, "{\"error\":\"too_many_requests\"}", Map.of("Retry-After", "3")),
        FakeVendor.error(503, "service_unavailable", "busy"));

    assertThat(value(directory.resolveUuid("kim", false, deadline())).uuid()).isEqualTo("uuid-k");
    assertThat(vendor.count(GET_USER)).isEqualTo(3);
    assertThat(fx.delayer.delays).hasSize(2);
    assertThat(fx.delayer.delays.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(fx.delayer.delays.get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void persistentRateLimitIsResourceExhaustedAfterAllAttempts() throws Exception {
    for (int i = 0; i < 10; i++) {
      vendor.script(GET_USER, FakeVendor.error(429, "too_many_requests", "slow down"));
    }
    VendorCallException e = failure(directory.resolveUuid("kim", false, deadline()));
    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_RATE_LIMITED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.RESOURCE_EXHAUSTED);
    assertThat(vendor.count(GET_USER)).isEqualTo(fx.http.retryPolicy().maxAttempts());
  }

  @Test
  void persistentServerErrorsAreUnavailableAfterAllAttempts() throws Exception {
    for (int i = 0; i < 10; i++) {
      vendor.script(GET_USER, FakeVendor.error(502, "bad_gateway", "upstream"));
    }
    VendorCallException e = failure(directory.resolveUuid("kim", false, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAVAILABLE);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.UNAVAILABLE);
    assertThat(e.httpStatus()).hasValue(502);
    int attempts = fx.http.retryPolicy().maxAttempts();
    assertThat(vendor.count(GET_USER)).isEqualTo(attempts);
    assertThat(fx.delayer.delays).hasSize(attempts - 1);
  }

  @Test
  void malformedRegistrationAnswerIsABadResponseAndNotCached() throws Exception {
    vendor.script(REGISTER_USER, FakeVendor.json(200, "not json"));

    VendorCallException e = failure(directory.resolveUuid("nora", true, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_BAD_RESPONSE);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.UNAVAILABLE);
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(1);
    assertThat(directory.cachedUsers()).isZero();
  }

  @Test
  void registrationPastThePlansUserQuotaIsNotRetried() throws Exception {
    vendor.script(REGISTER_USER, FakeVendor.error(429, "resource_limited",
        "You have exceeded the limit of the community edition,Please upgrade to the enterprise edition"));

    VendorCallException e = failure(directory.resolveUuid("olga", true, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_QUOTA_EXCEEDED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.RESOURCE_EXHAUSTED);
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(1);
    assertThat(fx.delayer.delays).isEmpty();
  }

  @Test
  void retryAfterBeyondTheDeadlineFailsAtOnce() throws Exception {
    vendor.script(GET_USER, new FakeVendor.Json(429, "{}", Map.of("Retry-After", "60")));

    VendorCallException e = failure(directory.resolveUuid("kim", false, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_RATE_LIMITED);
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
    assertThat(fx.delayer.delays).isEmpty();
  }

  @Test
  void droppedConnectionsAreRetriedThenUnavailable() throws Exception {
    vendor.users.put("leo", new FakeVendor.User("uuid-l", "pw", true));
    vendor.script(GET_USER, new FakeVendor.Drop());
    assertThat(value(directory.resolveUuid("leo", false, deadline())).uuid()).isEqualTo("uuid-l");
    assertThat(vendor.count(GET_USER)).isEqualTo(2);

    for (int i = 0; i < 10; i++) {
      vendor.script(GET_USER, new FakeVendor.Drop());
    }
    VendorCallException e = failure(directory.resolveUuid("leo2", false, deadline()));
    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_UNAVAILABLE);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.UNAVAILABLE);
    assertThat(e.httpStatus()).isEmpty();
  }

  @Test
  void concurrentRequestsForOneUserMakeOneCall() throws Exception {
    vendor.users.put("mia", new FakeVendor.User("uuid-mia", "pw", true));
    vendor.script(GET_USER, FakeVendor.delay(Duration.ofMillis(300)));
    int n = 50;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<ChatUser>> results = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        String name = i % 2 == 0 ? "mia" : "MIA";
        results.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return directory.resolveUuid(name, false, deadline());
        }, pool).thenCompose(f -> f));
      }
      start.countDown();
      for (CompletableFuture<ChatUser> r : results) {
        assertThat(value(r).uuid()).isEqualTo("uuid-mia");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
  }

  @Test
  void concurrentRegistrationsForOneNewUserMakeOneRegistration() throws Exception {
    vendor.script(GET_USER, FakeVendor.delay(Duration.ofMillis(200)));
    List<CompletableFuture<ChatUser>> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(directory.resolveUuid("nina", true, deadline()));
    }
    for (CompletableFuture<ChatUser> r : results) {
      assertThat(value(r).uuid()).isEqualTo(vendor.users.get("nina").uuid());
    }
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
    assertThat(vendor.count(REGISTER_USER)).isEqualTo(1);
  }

  @Test
  void deadlineShorterThanTheVendorFailsFastAndLeavesNoThreadWaiting() throws Exception {
    vendor.users.put("oscar", new FakeVendor.User("uuid-o", "pw", true));
    vendor.script(GET_USER, FakeVendor.delay(Duration.ofSeconds(10)));

    CompletableFuture<ChatUser> f = directory.resolveUuid("oscar", false, fx.deadlineIn(Duration.ofMillis(300)));
    assertThat(f).isNotDone(); // the caller's thread was not held
    VendorCallException e = failure(f); // waits at most 15 s; the vendor would answer after 10 s

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(e.category()).isEqualTo(VendorErrorCategory.DEADLINE_EXCEEDED);
    assertThat(BridgeFixture.threadsInBridgeCode()).isEmpty();
    assertThat(fx.delayer.delays).isEmpty();
  }

  @Test
  void joinersKeepTheirOwnDeadline() throws Exception {
    vendor.users.put("pia", new FakeVendor.User("uuid-p", "pw", true));
    vendor.script(GET_USER, FakeVendor.delay(Duration.ofMillis(1500)));

    CompletableFuture<ChatUser> patient = directory.resolveUuid("pia", false, fx.deadlineIn(Duration.ofSeconds(10)));
    CompletableFuture<ChatUser> hasty = directory.resolveUuid("pia", false, fx.deadlineIn(Duration.ofMillis(200)));

    assertThat(failure(hasty).reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(value(patient).uuid()).isEqualTo("uuid-p");
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
  }

  @Test
  void aPatientCallerJoiningAHastyCallersLookupKeepsItsOwnDeadline() throws Exception {
    vendor.users.put("pia", new FakeVendor.User("uuid-p", "pw", true));
    vendor.script(GET_USER, FakeVendor.delay(Duration.ofSeconds(1)));

    CompletableFuture<ChatUser> hasty = directory.resolveUuid("pia", false, fx.deadlineIn(Duration.ofMillis(200)));
    fx.awaitCalls(GET_USER, 1); // the hasty caller's lookup is in flight
    CompletableFuture<ChatUser> patient = directory.resolveUuid("pia", false, fx.deadlineIn(Duration.ofSeconds(10)));

    assertThat(failure(hasty).reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(value(patient).uuid()).isEqualTo("uuid-p");
    assertThat(vendor.count(GET_USER)).isEqualTo(1);
  }

  @Test
  void expiredDeadlineMakesNoCall() throws Exception {
    VendorCallException e = failure(directory.resolveUuid("quinn", false, fx.clock.instant()));
    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_DEADLINE_EXCEEDED);
    assertThat(vendor.calls()).isEmpty();
  }

  @Test
  void invalidNamesAreRejectedWithoutACall() throws Exception {
    for (String bad : List.of("", "a/b", "名字", "x".repeat(65), "a b")) {
      assertThat(failure(directory.resolveUuid(bad, true, deadline())).reason())
          .as(bad).isEqualTo(VendorReason.CHAT_USER_NAME_INVALID);
    }
    assertThat(vendor.calls()).isEmpty();
  }

  @Test
  void failingAppTokenSupplierIsReportedWithoutItsMessage() throws Exception {
    directory = new AgoraChatUserDirectory(AgoraChatAppConfig.of(vendor.baseUrl(), "org1#chatapp"),
        () -> {
          throw new IllegalStateException("certificate s3cr3t is bad");
        }, fx.http, new SecureRandom());

    VendorCallException e = failure(directory.resolveUuid("rita", false, deadline()));

    assertThat(e.reason()).isEqualTo(VendorReason.VENDOR_APP_TOKEN_UNAVAILABLE);
    assertThat(e.getMessage()).doesNotContain("s3cr3t");
    assertThat(vendor.calls()).isEmpty();
  }
}
