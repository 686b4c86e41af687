package dev.tokenauthority.server.rpc;

import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.audit.VendorCallTrail;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Recoverable;
import dev.tokenauthority.server.policy.CallScope;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one unary handler: deadline check, audit line, and every failure as a precise status (an
 * unexpected one, stack overflow included, as INTERNAL; see {@link Recoverable}).
 */
final class UnaryCalls {
  private static final Logger LOG = LoggerFactory.getLogger(UnaryCalls.class);

  /** A handler body; it fills the audit builder as it learns app, subject, lifetime and token. */
  @FunctionalInterface
  interface Body<Q, R> {
    R handle(Q request, CallScope scope, AuditEvent.Builder audit);
  }

  private final AuditLog audit;

  UnaryCalls(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * {@link #run} on {@code executor}, in the call's Context. A full executor (only when shutting
   * down: admission bounds the calls in progress below the pool's queue) refuses with SERVER_BUSY.
   */
  <Q, R> void runOn(Executor executor, Q request, StreamObserver<R> out, Body<Q, R> body) {
    try {
      executor.execute(Context.current().wrap(() -> {
        try {
          run(request, out, body);
        } catch (RuntimeException e) { // the answer could not be sent: the transport is gone (shutdown)
          LOG.debug("answer not delivered", e);
        }
      }));
    } catch (RejectedExecutionException e) {
      CallScope scope = CallScope.current();
      audit.record(AuditEvent.builder(scope.rpc(), scope.caller().id())
          .failed(Status.Code.RESOURCE_EXHAUSTED, "SERVER_BUSY"));
      out.onError(ApiException.of(Status.Code.RESOURCE_EXHAUSTED, null, "SERVER_BUSY",
          "too many calls in progress; retry with backoff").toStatusRuntimeException());
    }
  }

  <Q, R> void run(Q request, StreamObserver<R> out, Body<Q, R> body) {
    CallScope scope = CallScope.current();
    AuditEvent.Builder event = AuditEvent.builder(scope.rpc(), scope.caller().id());
    if (Context.current().isCancelled()) {
      // Deadline passed or the client gave up while the call was queued: do no work.
      audit.record(event.failed(Status.Code.CANCELLED, "CALL_CANCELLED"));
      return;
    }
    R response;
    // The vendor bridges find the call's trail here and list their REST calls on its audit line.
    Context withTrail = Context.current().withValue(VendorCallTrail.KEY, event.vendorCalls());
    Context previous = withTrail.attach();
    try {
      response = body.handle(request, scope, event);
    } catch (ApiException e) {
      audit.record(event.failed(e.code(), e.reason()));
      out.onError(e.toStatusRuntimeException());
      return;
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("unexpected failure in " + scope.rpc(), Recoverable.forLog(e));
      audit.record(event.failed(Status.Code.INTERNAL, "INTERNAL"));
      out.onError(Status.INTERNAL.withDescription("internal error; the server log has the details")
          .asRuntimeException());
      return;
    } finally {
      withTrail.detach(previous);
    }
    audit.record(event.ok());
    out.onNext(response);
    out.onCompleted();
  }
}
