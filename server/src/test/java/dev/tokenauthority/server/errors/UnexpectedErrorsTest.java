package dev.tokenauthority.server.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.PerCallDeadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An exception escaping a handler becomes INTERNAL with a generic message, never UNKNOWN or a stack trace. */
@ExtendWith(LogCapture.class)
class UnexpectedErrorsTest {
  @Test
  void escapedExceptionsAreInternalAndApiExceptionsKeepTheirStatus() throws Exception {
    String name = InProcessServerBuilder.generateName();
    var service = new TokenAuthorityServiceGrpc.TokenAuthorityServiceImplBase() {
      @Override
      public void issueRtmToken(IssueRtmTokenRequest req, StreamObserver<IssueRtmTokenResponse> out) {
        if (req.getUserId().equals("api")) {
          throw ApiException.invalidArgument("user_id", "USER_ID_REQUIRED", "user_id must not be empty");
        }
        throw new IllegalStateException("secret-ish internal detail");
      }
    };
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, new UnexpectedErrorInterceptor())).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor()
        .intercept(PerCallDeadline.standard()).build();
    try {
      var stub = TokenAuthorityServiceGrpc.newBlockingStub(ch);
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setUserId("boom").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
      assertThat(e.getStatus().getDescription()).isEqualTo(UnexpectedErrorInterceptor.GENERIC_MESSAGE);
      assertThat(String.valueOf(e.getTrailers())).doesNotContain("secret-ish");

      StatusRuntimeException api = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setUserId("api").build()));
      var seen = dev.tokenauthority.server.testing.Errors.of(api);
      assertThat(seen.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(seen.reason()).isEqualTo("USER_ID_REQUIRED");
      assertThat(seen.field()).contains("user_id");
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
  }
}
