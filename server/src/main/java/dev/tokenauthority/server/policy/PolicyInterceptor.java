package dev.tokenauthority.server.policy;

import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Echo;
import dev.tokenauthority.server.errors.Refusal;
import dev.tokenauthority.server.identity.CallerIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Default-deny authorization before any handler runs: the caller must have a policy and the policy
 * must allow the RPC. It also fixes the configuration snapshot for the call ({@link CallScope}).
 * Per-request checks (app, kind, role, lifetime, patterns) happen in the handlers.
 */
public final class PolicyInterceptor implements ServerInterceptor {
  private final ConfigHolder config;
  private final Consumer<Refusal> onDenied;

  /** @param onDenied hears of every call refused here (the audit log) */
  public PolicyInterceptor(ConfigHolder config, Consumer<Refusal> onDenied) {
    this.config = config;
    this.onDenied = onDenied;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    CallerIdentity caller = CallerIdentity.current();
    String rpc = call.getMethodDescriptor().getBareMethodName();
    ServerConfig snapshot = config.get();
    Optional<CallerPolicy> policy = snapshot.caller(caller.id());
    ApiException denied = null;
    if (policy.isEmpty()) {
      denied = ApiException.permissionDenied("CALLER_UNKNOWN",
          "caller " + Echo.of(caller.id()) + " has no policy on this server");
    } else if (!policy.get().allowsRpc(rpc)) {
      denied = ApiException.permissionDenied("RPC_NOT_ALLOWED", "caller " + Echo.of(caller.id()) + " may not call " + rpc);
    }
    if (denied != null) {
      onDenied.accept(new Refusal(caller.id(), rpc, denied));
      var sre = denied.toStatusRuntimeException();
      call.close(sre.getStatus(), sre.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = new CallScope(snapshot, caller, policy.get(), rpc).attachTo(Context.current());
    return Contexts.interceptCall(ctx, call, headers, next);
  }
}
