package dev.tokenauthority.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.PerCallDeadline;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StackOverflowError is INTERNAL with the generic message, never UNKNOWN: a caller policy pattern
 * that backtracks recursively overflows the handler thread's stack on a long user id (checked
 * before the core's length rules for Chat user UUIDs). The server answers the next call as usual.
 */
class StackOverflowIsInternalTest {
  @TempDir Path dir;

  @Test
  void aLongUserIdNeverReachesARecursivePolicyPattern() throws Exception {
    String yaml = """
        apps:
          chat: {vendor: agora, app_id: %s, certificate: {env: CERT}}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: ["*"]
            user_pattern: "(a|b)*"
        """.formatted(TestCredentials.hex32());
    try (TestServer server = TestServer.start(yaml, Map.of("CERT", TestCredentials.hex32()), dir,
        Clock.systemUTC())) {
      ManagedChannel channel = server.plaintextChannel();
      TokenAuthorityServiceBlockingStub stub = server.stub(channel);
      // The server's first length check on every request field refuses the input before the
      // pattern could recurse on it (it overflowed the stack here before that check existed).
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.issueChatToken(chatUser("ab".repeat(30_000))));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(Errors.of(e).reason()).isEqualTo("FIELD_TOO_LONG");

      assertThat(stub.issueChatToken(chatUser("abab")).getIssuedToken().getToken()).startsWith("007");
      channel.shutdownNow();
    }
  }

  private static IssueChatTokenRequest chatUser(String uuid) {
    return IssueChatTokenRequest.newBuilder().setApp("chat")
        .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid(uuid)).build();
  }

  @Test
  void aStackOverflowEscapingAHandlerIsInternal() throws Exception {
    String name = InProcessServerBuilder.generateName();
    var service = new TokenAuthorityServiceGrpc.TokenAuthorityServiceImplBase() {
      @Override
      public void issueRtmToken(IssueRtmTokenRequest req, StreamObserver<IssueRtmTokenResponse> out) {
        recurse(req.getUserId().length());
      }
    };
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, new UnexpectedErrorInterceptor())).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor()
        .intercept(PerCallDeadline.standard()).build();
    try {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> TokenAuthorityServiceGrpc.newBlockingStub(ch)
              .issueRtmToken(IssueRtmTokenRequest.newBuilder().setUserId("u").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(e.getStatus().getDescription()).isEqualTo(UnexpectedErrorInterceptor.GENERIC_MESSAGE);
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
  }

  private static long recurse(long n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void aStackOverflowIsLoggedWithItsFirstAndLastFramesOnly() {
    StackOverflowError e = catchThrowableOfType(StackOverflowError.class, () -> recurse(0));
    Throwable logged = Recoverable.forLog(e);
    StackTraceElement[] frames = e.getStackTrace();
    assertThat(logged.getStackTrace()).hasSize(Recoverable.HEAD_FRAMES + Recoverable.TAIL_FRAMES)
        .startsWith(frames[0]).endsWith(frames[frames.length - 1]);
    IllegalStateException other = new IllegalStateException("x");
    assertThat(Recoverable.forLog(other)).isSameAs(other);
  }
}
