package dev.tokenauthority.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.Reflection;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reflection (v1 and v1alpha) lists the service and its methods; health goes NOT_SERVING on shutdown. */
@ExtendWith(LogCapture.class)
class ReflectionAndHealthTest {
  static final String SERVICE = "tokenauthority.v1.TokenAuthorityService";

  @Test
  void reflectionV1ListsTheServiceAndDescribesItsMethods() throws Exception {
    try (TestServer server = TestServer.start(DevelopmentConfig.create(new SecureRandom()), Clock.systemUTC())) {
      ManagedChannel ch = server.plaintextChannel();
      List<ServerReflectionResponse> list = reflectV1(ch,
          ServerReflectionRequest.newBuilder().setListServices("").build());
      List<String> services = list.get(0).getListServicesResponse().getServiceList().stream()
          .map(s -> s.getName()).toList();
      assertThat(services).contains(SERVICE, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

      ServerReflectionResponse file = reflectV1(ch,
          ServerReflectionRequest.newBuilder().setFileContainingSymbol(SERVICE).build()).get(0);
      List<String> methods = new ArrayList<>();
      for (var bytes : file.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto fd = FileDescriptorProto.parseFrom(bytes);
        for (ServiceDescriptorProto sd : fd.getServiceList()) {
          if ((fd.getPackage() + "." + sd.getName()).equals(SERVICE)) {
            sd.getMethodList().stream().map(MethodDescriptorProto::getName).forEach(methods::add);
          }
        }
      }
      assertThat(methods).containsExactlyInAnyOrder("IssueRtcToken", "IssueRtmToken", "IssueChatToken",
          "IssueZimToken", "RenewToken", "InspectToken");
    }
  }

  @Test
  void reflectionV1alphaListsTheServiceForOlderTools() throws Exception {
    try (TestServer server = TestServer.start(DevelopmentConfig.create(new SecureRandom()), Clock.systemUTC())) {
      var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(server.plaintextChannel());
      CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> first = new CompletableFuture<>();
      var requests = stub.serverReflectionInfo(new StreamObserver<>() {
        @Override
        public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse r) {
          first.complete(r);
        }

        @Override
        public void onError(Throwable t) {
          first.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
      });
      requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
      var r = first.get(10, TimeUnit.SECONDS);
      requests.onCompleted();
      assertThat(r.getListServicesResponse().getServiceList()).extracting(s -> s.getName()).contains(SERVICE);
    }
  }

  @Test
  void healthIsServingThenNotServingWhileDraining() throws Exception {
    TestServer server = TestServer.start(DevelopmentConfig.create(new SecureRandom()), Clock.systemUTC());
    ManagedChannel ch = server.plaintextChannel();
    int port = server.port();
    BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
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
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

    Thread stopper = new Thread(() -> server.server().stop()); // as the SIGTERM hook does
    stopper.start();
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
    watch.cancel(null); // the watch is the last call in flight; the server may now finish
    stopper.join(30_000);
    assertThat(stopper.isAlive()).isFalse();
    assertThat(server.server().isTerminated()).isTrue();

    ManagedChannel late = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", port,
        io.grpc.InsecureChannelCredentials.create()).build();
    try {
      var stub = dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.newBlockingStub(late)
          .withDeadlineAfter(5, TimeUnit.SECONDS);
      StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("agora").setUserId("u").build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      late.shutdownNow();
      server.close();
    }
  }

  private static List<ServerReflectionResponse> reflectV1(ManagedChannel ch, ServerReflectionRequest req)
      throws Exception {
    return List.of(Reflection.ask(ch, req));
  }
}
