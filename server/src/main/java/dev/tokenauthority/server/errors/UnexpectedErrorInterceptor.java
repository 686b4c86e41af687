package dev.tokenauthority.server.errors;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last line of defence: an exception (or stack overflow, see {@link Recoverable}) that escapes a
 * handler or interceptor becomes INTERNAL with a generic message (logged here with its stack
 * trace, server-side only), and no call ever ends with UNKNOWN. {@link ApiException} and {@link
 * StatusRuntimeException} keep their status.
 */
public final class UnexpectedErrorInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorInterceptor.class);
  static final String GENERIC_MESSAGE = "internal error; the server log has the details";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    GuardedCall<Q, R> guarded = new GuardedCall<>(call);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(guarded, headers);
    } catch (RuntimeException | StackOverflowError e) {
      guarded.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException | StackOverflowError e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException | StackOverflowError e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException | StackOverflowError e) {
          guarded.fail(e);
        }
      }
    };
  }

  /** Remembers whether the call was closed, and rewrites UNKNOWN into INTERNAL. */
  private static final class GuardedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final AtomicBoolean closed = new AtomicBoolean();

    GuardedCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (status.getCode() == Status.Code.UNKNOWN) {
        LOG.error("call " + getMethodDescriptor().getFullMethodName()
            + " ended with UNKNOWN; answering INTERNAL", status.getCause());
        status = Status.INTERNAL.withDescription(GENERIC_MESSAGE);
        trailers = new Metadata();
      }
      super.close(status, trailers);
    }

    void fail(Throwable e) {
      if (closed.get()) {
        return;
      }
      StatusRuntimeException sre;
      if (e instanceof ApiException api) {
        sre = api.toStatusRuntimeException();
      } else if (e instanceof StatusRuntimeException s) {
        sre = s;
      } else {
        LOG.error("unexpected failure in " + getMethodDescriptor().getFullMethodName(),
            Recoverable.forLog(e));
        sre = Status.INTERNAL.withDescription(GENERIC_MESSAGE).asRuntimeException();
      }
      Metadata trailers = sre.getTrailers() == null ? new Metadata() : sre.getTrailers();
      close(sre.getStatus(), trailers);
    }
  }
}
