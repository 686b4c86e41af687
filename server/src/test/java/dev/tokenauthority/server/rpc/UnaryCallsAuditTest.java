package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.identity.CallerIdentity;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The audit line's outcome is "ok", "denied", or the failure's gRPC status code name. */
@ExtendWith(LogCapture.class)
class UnaryCallsAuditTest {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "PERMISSION_DENIED, denied",
      "INVALID_ARGUMENT, INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED, DEADLINE_EXCEEDED",
      "UNAVAILABLE, UNAVAILABLE",
      "RESOURCE_EXHAUSTED, RESOURCE_EXHAUSTED",
      "NOT_FOUND, NOT_FOUND",
      "FAILED_PRECONDITION, FAILED_PRECONDITION",
      "ABORTED, ABORTED",
  })
  void apiFailuresAreAuditedWithTheirStatusCodeName(Status.Code code, String outcome) {
    Status seen = run((q, s, a) -> {
      throw ApiException.of(code, "user_id", "SOME_REASON", "failed");
    });
    assertThat(seen.getCode()).isEqualTo(code);
    assertThat(lines).singleElement().asString()
        .contains("\"outcome\":\"" + outcome + "\"")
        .contains("\"code\":\"" + code.name() + "\"")
        .contains("\"reason\":\"SOME_REASON\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"unexpected", "ok"})
  void unexpectedFailuresAreInternalAndSuccessIsOk(String what) {
    Status seen = run((q, s, a) -> {
      if (what.equals("unexpected")) {
        throw new IllegalStateException("bug");
      }
      return "response";
    });
    String expected = what.equals("ok") ? "ok" : "INTERNAL";
    assertThat(seen.getCode()).isEqualTo(what.equals("ok") ? Status.Code.OK : Status.Code.INTERNAL);
    assertThat(lines).singleElement().asString().contains("\"outcome\":\"" + expected + "\"");
  }

  private Status run(UnaryCalls.Body<String, String> body) {
    ServerConfig config = DevelopmentConfig.create(new SecureRandom());
    LogCapture.registerSecrets(config);
    CallScope scope = new CallScope(config,
        new CallerIdentity(DevelopmentConfig.LOCAL_IDENTITY, CallerIdentity.Source.DEVELOPMENT),
        config.caller(DevelopmentConfig.LOCAL_IDENTITY).orElseThrow(), "IssueRtmToken");
    Status[] result = {null};
    StreamObserver<String> out = new StreamObserver<>() {
      @Override
      public void onNext(String value) {}

      @Override
      public void onError(Throwable t) {
        result[0] = Status.fromThrowable(t);
      }

      @Override
      public void onCompleted() {
        result[0] = Status.OK;
      }
    };
    scope.attachTo(Context.current()).run(() -> new UnaryCalls(new AuditLog(Clock.systemUTC(), lines::add, e -> {})).run("q", out, body));
    return result[0];
  }
}
