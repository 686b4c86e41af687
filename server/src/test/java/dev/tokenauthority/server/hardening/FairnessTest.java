package dev.tokenauthority.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.PerCallDeadline;
import dev.tokenauthority.server.testing.RawCalls;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fairness over real mTLS sockets: streams that send headers and never their request are cancelled
 * (DEADLINE_EXCEEDED REQUEST_MESSAGE_TIMEOUT), one caller at its own cap (CALLER_BUSY) does not
 * deny another, and per-caller rates answer RATE_LIMITED with a RetryInfo delay. Time-dependent
 * limits run on a hand-moved clock; waits are bounded polls for an outcome, never sleeps.
 */
@ExtendWith(LogCapture.class)
class FairnessTest {
  @TempDir Path dir;

  @Test
  void aCallerAtItsCapIsRefusedWhileAnotherIsServedAndHealthAnswers() throws Exception {
    MtlsCallers callers = new MtlsCallers(dir);
    String yaml = callers.yaml("limits: {max_concurrent_calls: 10, per_caller: {max_concurrent_calls: 5}}",
        MtlsCallers.caller("hog", "    limits: {max_concurrent_calls: 2}\n") + MtlsCallers.caller("victim", ""));
    MutableClock frozen = new MutableClock(Instant.parse("2026-01-01T00:00:00Z")); // deadlines never pass
    List<String> heard = new CopyOnWriteArrayList<>();
    try (TestServer server = TestServer.start(new ConfigLoader(callers.env()::get).parse(yaml, dir),
        Clock.systemUTC(), b -> b.limitsTime(frozen).admissionListener((reason, caller) -> heard.add(reason + " " + caller)))) {
      ManagedChannel hog = callers.channel(server, "hog");
      // Connected first, so the held streams go straight onto the connection in order. The server
      // starts calls in the order their headers arrive, on the connection's thread (inline
      // methods such as IssueRtmToken are admitted there): once the health check that follows them
      // is answered, both hold their permits, and no token call of the hog raced them for one.
      assertServing(hog);
      List<RawCalls.Call> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(RawCalls.start(hog, "IssueRtmToken")); // headers, never a message
      }
      assertServing(hog);
      assertThat(held).noneMatch(RawCalls.Call::isClosed);
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> MtlsCallers.rtm(server.stub(hog), "h"));
      assertThat(refused).as("the hog's third call").isNotNull();
      Errors.Seen busy = Errors.of(refused);
      assertThat(busy.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(busy.reason()).isEqualTo("CALLER_BUSY");
      assertThat(held).noneMatch(RawCalls.Call::isClosed);
      assertThat(heard).contains("CALLER_BUSY spiffe://test.example/hog"); // the hook metrics will count

      ManagedChannel victim = callers.channel(server, "victim");
      assertThat(MtlsCallers.rtm(server.stub(victim), "v")).startsWith("007");
      assertServing(hog);
      assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
          .contains("\"caller\":\"spiffe://test.example/hog\"", "\"reason\":\"CALLER_BUSY\""));

      // A stream that ends gives its place back.
      held.get(0).cancel();
      assertThat(awaitServed(() -> MtlsCallers.rtm(server.stub(hog), "h"))).startsWith("007");
      held.get(1).cancel();
    }
  }

  @Test
  void aCallerOverItsRateIsToldWhenToRetry() throws Exception {
    MtlsCallers callers = new MtlsCallers(dir);
    String yaml = callers.yaml("limits: {per_caller: {calls_per_second: 1000}}",
        MtlsCallers.caller("limited", "    limits: {calls_per_second: 2, burst: 3}\n") + MtlsCallers.caller("other", ""));
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestServer server = TestServer.start(new ConfigLoader(callers.env()::get).parse(yaml, dir),
        Clock.systemUTC(), b -> b.limitsTime(clock))) {
      ManagedChannel limited = callers.channel(server, "limited");
      for (int i = 0; i < 3; i++) {
        assertThat(MtlsCallers.rtm(server.stub(limited), "l" + i)).startsWith("007");
      }
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> MtlsCallers.rtm(server.stub(limited), "l3"));
      assertThat(e).isNotNull();
      assertThat(Errors.of(e).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(Errors.of(e).reason()).isEqualTo("RATE_LIMITED");
      assertThat(retryDelay(e)).isEqualTo(Duration.ofMillis(500)); // one token at 2 per second
      assertThat(LogCapture.lines()).anySatisfy(l -> assertThat(l)
          .contains("\"caller\":\"spiffe://test.example/limited\"", "\"reason\":\"RATE_LIMITED\""));

      // Another caller has a bucket of its own.
      assertThat(MtlsCallers.rtm(server.stub(callers.channel(server, "other")), "o")).startsWith("007");

      clock.advance(Duration.ofMillis(499));
      StatusRuntimeException early = catchThrowableOfType(StatusRuntimeException.class,
          () -> MtlsCallers.rtm(server.stub(limited), "l4"));
      assertThat(retryDelay(early)).isEqualTo(Duration.ofMillis(1));
      clock.advance(Duration.ofMillis(1));
      assertThat(MtlsCallers.rtm(server.stub(limited), "l5")).startsWith("007");
    }
  }

  @Test
  void streamsThatNeverSendTheirRequestAreCancelledAndAudited() throws Exception {
    MtlsCallers callers = new MtlsCallers(dir);
    // The hog may take every permit: only the request-message deadline gives them back.
    String yaml = callers.yaml("limits: {max_concurrent_calls: 3, request_message_timeout_ms: 200}",
        MtlsCallers.caller("hog", "    limits: {max_concurrent_calls: 3}\n") + MtlsCallers.caller("victim", ""));
    try (TestServer server = TestServer.start(new ConfigLoader(callers.env()::get).parse(yaml, dir),
        Clock.systemUTC())) {
      ManagedChannel hog = callers.channel(server, "hog");
      List<RawCalls.Call> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(RawCalls.start(hog, "IssueRtmToken"));
      }
      for (RawCalls.Call c : held) {
        Errors.Seen seen = Errors.of(c.awaitClose());
        assertThat(seen.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(seen.reason()).isEqualTo("REQUEST_MESSAGE_TIMEOUT");
      }
      assertThat(LogCapture.lines()).filteredOn(l -> l.contains("\"caller\":\"spiffe://test.example/hog\"")
          && l.contains("\"code\":\"DEADLINE_EXCEEDED\"") && l.contains("\"reason\":\"REQUEST_MESSAGE_TIMEOUT\""))
          .hasSizeGreaterThanOrEqualTo(3);
      ManagedChannel victim = callers.channel(server, "victim");
      assertThat(awaitServed(() -> MtlsCallers.rtm(server.stub(victim), "v"))).startsWith("007");
      // A call that sends its request in time is unaffected.
      assertThat(MtlsCallers.rtm(server.stub(hog), "h")).startsWith("007");
    }
  }

  static Duration retryDelay(StatusRuntimeException e) throws Exception {
    for (Any d : StatusProto.fromThrowable(e).getDetailsList()) {
      if (d.is(RetryInfo.class)) {
        com.google.protobuf.Duration p = d.unpack(RetryInfo.class).getRetryDelay();
        return Duration.ofSeconds(p.getSeconds(), p.getNanos());
      }
    }
    throw new AssertionError("no RetryInfo in " + e);
  }

  private static void assertServing(ManagedChannel channel) {
    assertThat(HealthGrpc.newBlockingStub(channel).withInterceptors(PerCallDeadline.standard())
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  /** Calls until one succeeds (bounded), tolerating only refusals for being busy while permits come back. */
  private static <T> T awaitServed(Supplier<T> call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        assertThat(Errors.of(e).reason()).isIn("SERVER_BUSY", "CALLER_BUSY");
        last = e;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("never served", last);
  }
}
