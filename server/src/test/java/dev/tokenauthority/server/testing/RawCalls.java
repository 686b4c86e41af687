package dev.tokenauthority.server.testing;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls to the real token-service methods with raw request bytes (each message is framed by gRPC
 * as usual), and with full control over messages and half-close: for malformed requests and
 * streams that never send their request.
 */
public final class RawCalls {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawCalls() {}

  public static MethodDescriptor<byte[], byte[]> method(String rpc) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        // Bidi on this side only (the server dispatches by name): grpc-java holds back a unary
        // call's headers until its message, and these calls must be able to send headers alone.
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(TokenAuthorityServiceGrpc.SERVICE_NAME, rpc))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** Starts a call (headers only, deadline 30 s); send messages and half-close through the result. */
  public static Call start(Channel channel, String rpc) {
    ClientCall<byte[], byte[]> call = channel.newCall(method(rpc), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    Call c = new Call(call);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        c.closed.complete(status.asRuntimeException(trailers));
      }
    }, new Metadata());
    call.request(2);
    return c;
  }

  /** A unary call with the given messages (none, one or several), then half-closed; the status it ended with. */
  public static Errors.Seen unary(Channel channel, String rpc, byte[]... messages) throws Exception {
    Call c = start(channel, rpc);
    for (byte[] m : messages) {
      c.send(m);
    }
    c.halfClose();
    return Errors.of(c.awaitClose());
  }

  /** One raw call in progress. */
  public static final class Call {
    private final ClientCall<byte[], byte[]> call;
    private final CompletableFuture<StatusRuntimeException> closed = new CompletableFuture<>();

    private Call(ClientCall<byte[], byte[]> call) {
      this.call = call;
    }

    public void send(byte[] message) {
      call.sendMessage(message);
    }

    public void halfClose() {
      call.halfClose();
    }

    public void cancel() {
      call.cancel("test", null);
    }

    public boolean isClosed() {
      return closed.isDone();
    }

    /** The status the call ended with (OK included), waiting at most 30 s. */
    public StatusRuntimeException awaitClose() throws Exception {
      return closed.get(30, TimeUnit.SECONDS);
    }
  }
}
