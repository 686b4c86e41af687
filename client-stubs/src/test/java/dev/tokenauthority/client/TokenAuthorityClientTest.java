package dev.tokenauthority.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenAuthorityClientTest {
  private final String serverName = InProcessServerBuilder.generateName();
  private final FakeService service = new FakeService();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private TokenAuthorityClient client(TokenAuthorityClient.Builder builder) throws Exception {
    io.grpc.Server server = InProcessServerBuilder.forName(serverName).directExecutor().addService(service).build().start();
    toClose.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    TokenAuthorityClient client = builder.channelBuilder(InProcessChannelBuilder.forName(serverName)).build();
    toClose.add(0, client);
    return client;
  }

  @Test
  void everyCallGetsTheDefaultDeadline() throws Exception {
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().defaultDeadline(Duration.ofSeconds(7)));

    client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance());

    Deadline seen = service.deadlines.poll();
    assertThat(seen).as("server-side deadline").isNotNull();
    assertThat(seen.timeRemaining(TimeUnit.MILLISECONDS)).isPositive().isLessThanOrEqualTo(7000);
  }

  @Test
  void clientCallMetricsAreOptIn() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build()) {
      TokenAuthorityClient client = client(TokenAuthorityClient.builder().openTelemetry(sdk));

      client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance());

      var metrics = reader.collectAllMetrics();
      assertThat(metrics).anySatisfy(m -> {
        assertThat(m.getName()).isEqualTo("grpc.client.attempt.started");
        assertThat(m.getLongSumData().getPoints()).singleElement().satisfies(p -> {
          assertThat(p.getValue()).isEqualTo(1);
          assertThat(p.getAttributes().get(AttributeKey.stringKey("grpc.method")))
              .isEqualTo("tokenauthority.v1.TokenAuthorityService/IssueRtmToken");
        });
      });
      assertThat(metrics).anySatisfy(m -> assertThat(m.getName()).isEqualTo("grpc.client.call.duration"));
    }
  }

  @Test
  void aCallersOwnDeadlineWins() throws Exception {
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().defaultDeadline(Duration.ofSeconds(7)));

    client.stub().withDeadlineAfter(1, TimeUnit.HOURS).issueRtmToken(IssueRtmTokenRequest.getDefaultInstance());

    assertThat(service.deadlines.poll().timeRemaining(TimeUnit.SECONDS)).isGreaterThan(60);
  }

  @Test
  void aHangingServerEndsInDeadlineExceeded() throws Exception {
    service.hang = true;
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().defaultDeadline(Duration.ofMillis(300)));

    assertThatThrownBy(() -> client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void unavailableIsRetriedUntilItSucceeds() throws Exception {
    service.failuresToServe.add(Status.UNAVAILABLE);
    service.failuresToServe.add(Status.UNAVAILABLE);
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().retryPolicy(fastRetries(4)));

    IssueRtcTokenResponse response = client.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp("rtc").build());

    assertThat(service.calls).hasValue(3);
    assertThat(response.getIssuedToken().getToken()).isEqualTo("rtc-token");
  }

  @Test
  void retriesStopAtMaxAttempts() throws Exception {
    for (int i = 0; i < 10; i++) {
      service.failuresToServe.add(Status.UNAVAILABLE);
    }
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().retryPolicy(fastRetries(3)));

    assertThatThrownBy(() -> client.issueRtcToken(IssueRtcTokenRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(service.calls).hasValue(3);
  }

  @Test
  void otherFailuresAreNotRetried() throws Exception {
    service.failuresToServe.add(Status.PERMISSION_DENIED.withDescription("policy"));
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().retryPolicy(fastRetries(4)));

    assertThatThrownBy(() -> client.issueRtcToken(IssueRtcTokenRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void noRetryPolicyMeansOneAttempt() throws Exception {
    service.failuresToServe.add(Status.UNAVAILABLE);
    TokenAuthorityClient client = client(TokenAuthorityClient.builder().retryPolicy(RetryPolicy.NONE));

    assertThatThrownBy(() -> client.issueRtcToken(IssueRtcTokenRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(service.calls).hasValue(1);
  }

  @Test
  void eachConvenienceMethodCallsItsRpc() throws Exception {
    TokenAuthorityClient client = client(TokenAuthorityClient.builder());

    assertThat(client.issueRtcToken(IssueRtcTokenRequest.getDefaultInstance()).getIssuedToken().getToken()).isEqualTo("rtc-token");
    assertThat(client.issueRtmToken(IssueRtmTokenRequest.getDefaultInstance()).getIssuedToken().getToken()).isEqualTo("rtm-token");
    assertThat(client.issueChatToken(IssueChatTokenRequest.getDefaultInstance()).getIssuedToken().getToken()).isEqualTo("chat-token");
    assertThat(client.issueZimToken(IssueZimTokenRequest.getDefaultInstance()).getIssuedToken().getToken()).isEqualTo("zim-token");
    assertThat(client.inspectToken(InspectTokenRequest.newBuilder().setToken("abc").build()).getSubject()).isEqualTo("inspected:abc");
    IssuedToken renewed = client.renew(IssuedToken.newBuilder().setToken("old").setApp("demo").build());
    assertThat(renewed.getToken()).isEqualTo("renewed:old@demo");
    assertThat(client.renewToken(RenewTokenRequest.newBuilder().setToken("x").build()).getIssuedToken().getToken())
        .isEqualTo("renewed:x@");
  }

  @Test
  void builderInsistsOnExactlyOneTransport() {
    assertThatThrownBy(() -> TokenAuthorityClient.builder().target("localhost:1").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TokenAuthorityClient.builder().plaintext().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TokenAuthorityClient.builder().target("localhost:1").plaintext()
        .channelBuilder(InProcessChannelBuilder.forName("x")).build())
        .isInstanceOf(IllegalStateException.class);
  }

  private static RetryPolicy fastRetries(int attempts) {
    return new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofMillis(50), 2.0);
  }

  /** Answers each RPC with a recognisable token; can fail the first calls or hang. */
  static final class FakeService extends TokenAuthorityServiceGrpc.TokenAuthorityServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();
    final Queue<Status> failuresToServe = new ConcurrentLinkedQueue<>();
    final Queue<Deadline> deadlines = new ConcurrentLinkedQueue<>();
    volatile boolean hang;

    private <T> boolean fail(StreamObserver<T> observer) {
      calls.incrementAndGet();
      Deadline deadline = Context.current().getDeadline();
      if (deadline != null) {
        deadlines.add(deadline);
      }
      if (hang) {
        return true; // never answers; the client's deadline ends the call
      }
      Status failure = failuresToServe.poll();
      if (failure != null) {
        observer.onError(failure.asRuntimeException());
        return true;
      }
      return false;
    }

    private static IssuedToken token(String value) {
      return IssuedToken.newBuilder().setToken(value).build();
    }

    @Override
    public void issueRtcToken(IssueRtcTokenRequest request, StreamObserver<IssueRtcTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(IssueRtcTokenResponse.newBuilder().setIssuedToken(token("rtc-token")).build());
        observer.onCompleted();
      }
    }

    @Override
    public void issueRtmToken(IssueRtmTokenRequest request, StreamObserver<IssueRtmTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(IssueRtmTokenResponse.newBuilder().setIssuedToken(token("rtm-token")).build());
        observer.onCompleted();
      }
    }

    @Override
    public void issueChatToken(IssueChatTokenRequest request, StreamObserver<IssueChatTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(IssueChatTokenResponse.newBuilder().setIssuedToken(token("chat-token")).build());
        observer.onCompleted();
      }
    }

    @Override
    public void issueZimToken(IssueZimTokenRequest request, StreamObserver<IssueZimTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(IssueZimTokenResponse.newBuilder().setIssuedToken(token("zim-token")).build());
        observer.onCompleted();
      }
    }

    @Override
    public void renewToken(RenewTokenRequest request, StreamObserver<RenewTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(RenewTokenResponse.newBuilder()
            .setIssuedToken(token("renewed:" + request.getToken() + "@" + request.getApp())).build());
        observer.onCompleted();
      }
    }

    @Override
    public void inspectToken(InspectTokenRequest request, StreamObserver<InspectTokenResponse> observer) {
      if (!fail(observer)) {
        observer.onNext(InspectTokenResponse.newBuilder().setSubject("inspected:" + request.getToken()).build());
        observer.onCompleted();
      }
    }
  }
}
