package dev.tokenauthority.server.protocol;

import com.google.protobuf.Message;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Echo;
import dev.tokenauthority.server.errors.Refusal;
import dev.tokenauthority.server.policy.CallScope;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Precise answers for requests that never become a request: bytes that do not parse (invalid
 * UTF-8 or a lone surrogate in a string, a truncated message, a malformed varint, unknown groups
 * nested too deep) and unary calls half-closed without a request or sending two. grpc-java answers
 * these UNKNOWN (with a stack trace in the log) or INTERNAL; here they are INVALID_ARGUMENT
 * MALFORMED_REQUEST, audited once and logged in one line.
 *
 * <p>How: each unary method's request marshaller is made total (a parse failure yields null, never
 * an exception, so grpc-java's own handling never runs), and its handler is wrapped by a listener
 * that answers for a null message and for a wrong number of messages before the generated unary
 * handler sees them; a request that parses is held to {@link FieldLengths} there too (FIELD_TOO_LONG),
 * before any handler looks a value up. The wrapper is the innermost layer, so identity and policy have run and
 * refused calls never get here.
 */
public final class MalformedRequests {
  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);
  static final String REASON = "MALFORMED_REQUEST";

  /**
   * Why the last parse on this thread failed. grpc-java parses a message and hands the result to
   * the call's listener in one synchronous step on one thread, so the guard reads it right after.
   */
  private static final ThreadLocal<String> PARSE_FAILURE = new ThreadLocal<>();

  private MalformedRequests() {}

  /** {@code service} with every unary method guarded; the schema (for reflection) is kept. */
  public static ServerServiceDefinition guard(ServerServiceDefinition service, Consumer<Refusal> onRefused) {
    ServiceDescriptor old = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      methods.add(m.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY ? guard(m, onRefused) : m);
    }
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> m, Consumer<Refusal> onRefused) {
    MethodDescriptor<Q, R> method = m.getMethodDescriptor();
    MethodDescriptor<Q, R> tolerant = method.toBuilder(new Total<>(method.getRequestMarshaller()),
        method.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = m.getServerCallHandler();
    return ServerMethodDefinition.create(tolerant,
        (call, headers) -> new Guard<>(handler.startCall(call, headers), call, CallScope.current(), onRefused));
  }

  /** A request marshaller whose parse never throws: null stands for "did not parse". */
  private static final class Total<Q> implements MethodDescriptor.Marshaller<Q> {
    private final MethodDescriptor.Marshaller<Q> delegate;

    Total(MethodDescriptor.Marshaller<Q> delegate) {
      this.delegate = Objects.requireNonNull(delegate);
    }

    @Override
    public InputStream stream(Q value) {
      return delegate.stream(value);
    }

    @Override
    public Q parse(InputStream stream) {
      try {
        return delegate.parse(stream);
      } catch (RuntimeException e) {
        // The protobuf parser's messages name the rule broken ("Protocol message had invalid
        // UTF-8."), never the bytes.
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        PARSE_FAILURE.set(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        return null;
      }
    }
  }

  /** Answers for a message that did not parse and for a unary call without exactly one request. */
  private static final class Guard<Q, R> extends SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final CallScope scope;
    private final Consumer<Refusal> onRefused;
    // Listener events of one call never run concurrently (grpc-java serializes them).
    private int messages;
    private boolean closed;

    Guard(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, CallScope scope, Consumer<Refusal> onRefused) {
      super(delegate);
      this.call = call;
      this.scope = scope;
      this.onRefused = onRefused;
    }

    @Override
    public void onMessage(Q message) {
      if (closed) {
        return;
      }
      if (message == null) {
        String why = PARSE_FAILURE.get();
        PARSE_FAILURE.remove();
        refuse("the request message is not a valid " + requestName() + ": "
            + (why == null ? "it does not parse" : why));
      } else if (++messages > 1) {
        refuse(scope.rpc() + " is unary: send exactly one request message, not several");
      } else {
        Optional<ApiException> tooLong = message instanceof Message m ? FieldLengths.check(m) : Optional.empty();
        if (tooLong.isPresent()) {
          refuse(tooLong.get());
        } else {
          super.onMessage(message);
        }
      }
    }

    @Override
    public void onHalfClose() {
      if (closed) {
        return;
      }
      if (messages == 0) {
        refuse("the call was half-closed without a request message; send exactly one");
      } else {
        super.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!closed) {
        super.onReady();
      }
    }

    private String requestName() {
      String full = call.getMethodDescriptor().getFullMethodName();
      return full.substring(full.lastIndexOf('/') + 1) + "Request";
    }

    private void refuse(String message) {
      ApiException e = ApiException.of(Status.Code.INVALID_ARGUMENT, null, REASON, message);
      LOG.info("refused a malformed request: caller " + Echo.of(scope.caller().id()) + ", " + scope.rpc() + ": " + message);
      refuse(e);
    }

    private void refuse(ApiException e) {
      closed = true;
      onRefused.accept(new Refusal(scope.caller().id(), scope.rpc(), e));
      var sre = e.toStatusRuntimeException();
      call.close(sre.getStatus(), sre.getTrailers());
    }
  }
}
