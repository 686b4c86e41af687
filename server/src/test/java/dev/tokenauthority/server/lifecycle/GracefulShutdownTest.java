package dev.tokenauthority.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.server.TokenAuthorityServer;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SIGTERM path ({@link TokenAuthorityServer#stop()}, what the shutdown hook runs) with a call
 * in flight, over a real socket: health turns NOT_SERVING, new calls are refused with UNAVAILABLE,
 * the call in flight completes if it finishes within the grace and is cancelled if it does not,
 * and the server terminates either way.
 */
@ExtendWith(LogCapture.class)
class GracefulShutdownTest {
  static final String SERVICE = TokenAuthorityServer.SERVICE_NAME;

  @Test
  void aCallInFlightCompletesWithinTheGraceWhileNewCallsAreRefused() throws Exception {
    try (BlockingChatServer s = new BlockingChatServer(defaultLimits(),
        BlockingChatServer.shutdown(Duration.ofSeconds(30)))) {
      ManagedChannel ch = s.channel();
      ManagedChannel health = s.healthChannel();
      int port = s.server.port();
      BlockingQueue<ServingStatus> watched = new LinkedBlockingQueue<>();
      Context.CancellableContext watch = watchHealth(ch, watched);
      assertThat(watched.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

      ListenableFuture<IssueChatTokenResponse> inFlight = s.chatByName(ch, "alice");
      assertThat(s.directory.awaitEntered(1)).as("the call reached the handler").isTrue();
      int logMark = LogCapture.lines().size();

      Thread stopper = new Thread(s.server::stop, "test-sigterm"); // what the shutdown hook runs
      stopper.start();

      assertThat(watched.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
      watch.cancel(null); // the watch is itself a call in flight; only the chat call should remain
      assertThat(HealthGrpc.newBlockingStub(health).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(SERVICE).build()).getStatus())
          .as("the health-only listener (probes) during the drain").isEqualTo(ServingStatus.NOT_SERVING);

      assertThat(awaitRefused(s, port, null)).as("a new connection").isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(awaitRefused(s, port, ch)).as("a new call on the draining connection")
          .isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(inFlight.isDone()).as("the call in flight is still running").isFalse();
      assertThat(stopper.isAlive()).as("stop() waits for it").isTrue();

      s.directory.releaseAll();
      IssueChatTokenResponse r = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(r.getUserUuid()).isEqualTo(BlockingChatServer.uuidOf("alice"));
      AccessToken2 t = new AccessToken2Verifier(Clock.systemUTC())
          .verify(r.getIssuedToken().getToken(), s.agora().credentials()).claims();
      assertThat(t.chat().orElseThrow().userId()).isEqualTo(BlockingChatServer.uuidOf("alice"));

      stopper.join(30_000);
      assertThat(stopper.isAlive()).isFalse();
      assertThat(s.server.isTerminated()).isTrue();
      List<String> logged = LogCapture.lines().subList(logMark, LogCapture.lines().size());
      assertThat(logged).anySatisfy(l -> assertThat(l).contains("draining: health NOT_SERVING"));
      assertThat(logged).anySatisfy(l -> assertThat(l).contains(TokenAuthorityServer.class.getName() + ": stopped"));
      assertThat(logged).noneSatisfy(l -> assertThat(l).contains("cancelling them"));
      assertThat(s.directory.cancelled).hasValue(0);
    }
  }

  @Test
  void aCallStillRunningPastTheGraceIsCancelledAndTheServerTerminates() throws Exception {
    try (BlockingChatServer s = new BlockingChatServer(defaultLimits(),
        BlockingChatServer.shutdown(Duration.ofSeconds(1)))) {
      ManagedChannel ch = s.channel();
      ListenableFuture<IssueChatTokenResponse> inFlight = s.chatByName(ch, "bob");
      assertThat(s.directory.awaitEntered(1)).isTrue();
      int logMark = LogCapture.lines().size();

      Thread stopper = new Thread(s.server::stop, "test-sigterm");
      stopper.start();
      stopper.join(30_000); // never released: stop() must give up on it after the grace
      assertThat(stopper.isAlive()).as("stop() returned").isFalse();
      assertThat(s.server.isTerminated()).isTrue();

      ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> inFlight.get(20, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
      assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
          .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
      // The handler saw its Context cancelled (how bridges stop their outbound calls), no answer went out.
      awaitValue(() -> s.directory.cancelled.get(), 1);
      assertThat(s.directory.completed).hasValue(0);
      List<String> logged = LogCapture.lines().subList(logMark, LogCapture.lines().size());
      assertThat(logged).anySatisfy(l -> assertThat(l)
          .contains("calls still running after the 1 s grace; cancelling them"));
      assertThat(logged).anySatisfy(l -> assertThat(l).contains(TokenAuthorityServer.class.getName() + ": stopped"));
    }
  }

  static ServerConfig.Limits defaultLimits() {
    return new ServerConfig.Limits(4, 256, 64 * 1024);
  }

  /**
   * Sends a cheap call until the server refuses it: between NOT_SERVING and the listener closing a
   * call may still be accepted (and answered); anything but OK or UNAVAILABLE fails the test.
   */
  static Status.Code awaitRefused(BlockingChatServer s, int port, ManagedChannel existing) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      ManagedChannel ch = existing != null ? existing : io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", port,
          io.grpc.InsecureChannelCredentials.create()).build();
      try {
        TokenAuthorityServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
            .issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP).setUserId("u")
                .build());
      } catch (StatusRuntimeException e) {
        return e.getStatus().getCode();
      } finally {
        if (existing == null) {
          ch.shutdownNow();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("new calls were still accepted 10 s into the drain");
      }
      Thread.sleep(20);
    }
  }

  static void awaitValue(java.util.function.IntSupplier value, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (value.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(value.getAsInt()).isEqualTo(expected);
  }

  static Context.CancellableContext watchHealth(ManagedChannel ch, BlockingQueue<ServingStatus> seen) {
    Context.CancellableContext watch = Context.current().withCancellation();
    watch.run(() -> HealthGrpc.newStub(ch).watch(HealthCheckRequest.newBuilder().setService(SERVICE).build(),
        new StreamObserver<HealthCheckResponse>() {
          @Override
          public void onNext(HealthCheckResponse r) {
            seen.add(r.getStatus());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    return watch;
  }
}
