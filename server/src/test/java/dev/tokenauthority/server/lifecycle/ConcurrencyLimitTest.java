package dev.tokenauthority.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * limits.max_concurrent_calls over a real socket: with N calls blocked in a handler, call N+1 gets
 * RESOURCE_EXHAUSTED SERVER_BUSY at once (docs/errors.md), whatever the handler pool size, health
 * still answers, and permits come back when calls finish or are cancelled.
 */
@ExtendWith(LogCapture.class)
class ConcurrencyLimitTest {

  @ParameterizedTest(name = "handler_threads={0}, max_concurrent_calls={1}")
  @CsvSource({"8, 3", "2, 2", "1, 1"})
  void theCallBeyondTheCapIsRefusedWithServerBusy(int threads, int cap) throws Exception {
    try (BlockingChatServer s = new BlockingChatServer(new ServerConfig.Limits(threads, cap, 64 * 1024),
        BlockingChatServer.shutdown(Duration.ofSeconds(1)))) {
      ManagedChannel ch = s.channel();
      List<ListenableFuture<IssueChatTokenResponse>> blocked = new ArrayList<>();
      for (int i = 0; i < cap; i++) {
        blocked.add(s.chatByName(ch, "user" + i));
      }
      assertThat(s.directory.awaitEntered(cap)).as("%d calls blocked in the handler", cap).isTrue();

      // Health runs beside the handler pool, so a saturated server still answers its probes.
      assertThat(HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);

      StatusRuntimeException busy = catchThrowableOfType(StatusRuntimeException.class, () -> rtm(ch));
      assertThat(busy).as("call %d is refused", cap + 1).isNotNull();
      Errors.Seen seen = Errors.of(busy);
      assertThat(seen.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(seen.reason()).isEqualTo("SERVER_BUSY");
      assertThat(seen.field()).isEmpty();
      // The refusal also holds for a call on another connection.
      ManagedChannel other = s.channel();
      assertThat(Errors.of(catchThrowableOfType(StatusRuntimeException.class, () -> rtm(other))).reason())
          .isEqualTo("SERVER_BUSY");

      // A cancelled call gives its permit back.
      blocked.get(0).cancel(true);
      BlockingChatServer.BlockingDirectory d = s.directory;
      GracefulShutdownTest.awaitValue(d.cancelled::get, 1);
      assertThat(awaitAdmitted(ch)).isTrue();

      s.directory.releaseAll();
      for (ListenableFuture<IssueChatTokenResponse> f : blocked.subList(1, blocked.size())) {
        assertThat(f.get(20, TimeUnit.SECONDS).getIssuedToken().getToken()).isNotEmpty();
      }
      // Every permit comes back: cap calls can run at once again. (The server returns a permit when
      // the call completes on its side, which can be just after the client has the response.)
      assertThat(awaitBatchAdmitted(s, ch, cap)).as("%d calls at once after the others finished", cap).isTrue();
    }
  }

  private static void rtm(ManagedChannel ch) {
    // A deadline well past "at once", so a call that merely queued shows up as DEADLINE_EXCEEDED.
    TokenAuthorityServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
        .issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP).setUserId("u").build());
  }

  /** Sends {@code n} calls at once until none is refused as SERVER_BUSY (bounded); other failures fail the test. */
  private static boolean awaitBatchAdmitted(BlockingChatServer s, ManagedChannel ch, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<ListenableFuture<IssueChatTokenResponse>> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        batch.add(s.chatByName(ch, "again" + i));
      }
      boolean busy = false;
      for (ListenableFuture<IssueChatTokenResponse> f : batch) {
        try {
          assertThat(f.get(20, TimeUnit.SECONDS).getUserUuid()).startsWith("uuid-again");
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof StatusRuntimeException sre) || !"SERVER_BUSY".equals(Errors.of(sre).reason())) {
            throw e;
          }
          busy = true;
        }
      }
      if (!busy) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The server releases the cancelled call's permit when the cancellation reaches it; retry until then. */
  private static boolean awaitAdmitted(ManagedChannel ch) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        rtm(ch);
        return true;
      } catch (StatusRuntimeException e) {
        if (!"SERVER_BUSY".equals(Errors.of(e).reason())) {
          throw e;
        }
      }
      Thread.sleep(20);
    }
    return false;
  }
}
