package dev.tokenauthority.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks server reflection (v1) one question over its bidirectional stream, with a deadline. */
public final class Reflection {
  private Reflection() {}

  public static ServerReflectionResponse ask(ManagedChannel ch, ServerReflectionRequest req) throws Exception {
    CompletableFuture<ServerReflectionResponse> first = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(ch)
        .withDeadlineAfter(10, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            first.complete(r);
          }

          @Override
          public void onError(Throwable t) {
            first.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(req);
    ServerReflectionResponse r = first.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return r;
  }
}
