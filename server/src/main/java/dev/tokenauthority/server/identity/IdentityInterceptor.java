package dev.tokenauthority.server.identity;

import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.errors.ApiException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the caller's {@link CallerIdentity} into the gRPC Context. Over TLS it comes from the
 * client certificate the handshake already verified; without TLS (which the configuration only
 * allows on loopback) every caller is {@value DevelopmentConfig#LOCAL_IDENTITY}. A call without an identity is
 * closed with UNAUTHENTICATED and never reaches a handler.
 */
public final class IdentityInterceptor implements ServerInterceptor {
  private final boolean plaintextLocal;

  /** @param plaintextLocal true when the server listens without TLS, on loopback only */
  public IdentityInterceptor(boolean plaintextLocal) {
    this.plaintextLocal = plaintextLocal;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<CallerIdentity> identity = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (identity.isEmpty()) {
      ApiException e = ApiException.of(Status.Code.UNAUTHENTICATED, null, "CLIENT_CERTIFICATE_REQUIRED",
          "a verified client certificate with a SPIFFE id, DNS name or common name is required");
      var sre = e.toStatusRuntimeException();
      call.close(sre.getStatus(), sre.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = identity.get().attachTo(Context.current());
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  Optional<CallerIdentity> identify(SSLSession session) {
    if (session == null) {
      return plaintextLocal
          ? Optional.of(new CallerIdentity(DevelopmentConfig.LOCAL_IDENTITY, CallerIdentity.Source.DEVELOPMENT))
          : Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return CertificateIdentities.of(leaf);
  }
}
