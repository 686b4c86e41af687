package dev.tokenauthority.server.identity;

import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.errors.Refusal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the caller's {@link CallerIdentity} into the gRPC Context. Over TLS it comes from the
 * client certificate the handshake already verified; without TLS (which the configuration only
 * allows on loopback) every caller is {@value DevelopmentConfig#LOCAL_IDENTITY}. A call without an identity is
 * closed with UNAUTHENTICATED and never reaches a handler.
 *
 * <p>The handshake checks the certificate's validity once, but a connection lives on, and a
 * resumed TLS session carries the certificate of its original handshake into new connections.
 * So the validity window is checked again on every call, against the wall clock (as the handshake
 * does): an expired certificate gets UNAUTHENTICATED CLIENT_CERTIFICATE_EXPIRED.
 */
public final class IdentityInterceptor implements ServerInterceptor {
  /** The {@link CallerIdentity} read from a session's peer certificate, kept in the session. */
  private static final String SESSION_IDENTITY = IdentityInterceptor.class.getName() + ".identity";
  private final boolean plaintextLocal;
  private final Clock clock;
  private final Consumer<Refusal> onRefused;

  /**
   * @param plaintextLocal true when the server listens without TLS, on loopback only
   * @param clock the wall clock certificate validity is checked against
   * @param onRefused hears of every call refused here (the audit log)
   */
  public IdentityInterceptor(boolean plaintextLocal, Clock clock, Consumer<Refusal> onRefused) {
    this.plaintextLocal = plaintextLocal;
    this.clock = Objects.requireNonNull(clock);
    this.onRefused = Objects.requireNonNull(onRefused);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    CallerIdentity identity;
    try {
      identity = identify(session);
    } catch (ApiException e) {
      onRefused.accept(new Refusal(namedBy(session), call.getMethodDescriptor().getBareMethodName(), e));
      var sre = e.toStatusRuntimeException();
      call.close(sre.getStatus(), sre.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = identity.attachTo(Context.current());
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  /** The caller's identity, or an UNAUTHENTICATED {@link ApiException} saying why there is none. */
  CallerIdentity identify(SSLSession session) {
    if (session == null) {
      if (plaintextLocal) {
        return new CallerIdentity(DevelopmentConfig.LOCAL_IDENTITY, CallerIdentity.Source.DEVELOPMENT);
      }
      throw required();
    }
    X509Certificate leaf = leaf(session).orElseThrow(IdentityInterceptor::required);
    try {
      leaf.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException e) {
      throw ApiException.of(Status.Code.UNAUTHENTICATED, null, "CLIENT_CERTIFICATE_EXPIRED",
          "the client certificate expired at " + leaf.getNotAfter().toInstant()
              + "; reconnect with a current certificate (a new TLS session, not a resumed one)");
    } catch (CertificateNotYetValidException e) {
      throw ApiException.of(Status.Code.UNAUTHENTICATED, null, "CLIENT_CERTIFICATE_NOT_YET_VALID",
          "the client certificate is valid from " + leaf.getNotBefore().toInstant() + " only; check the clocks");
    }
    // The identity depends on the certificate alone, and a session (resumed ones included) keeps
    // its certificate: read the names once per session rather than on every call.
    if (session.getValue(SESSION_IDENTITY) instanceof CallerIdentity cached) {
      return cached;
    }
    CallerIdentity identity = CertificateIdentities.of(leaf).orElseThrow(IdentityInterceptor::required);
    session.putValue(SESSION_IDENTITY, identity);
    return identity;
  }

  /**
   * Who an expired or not-yet-valid certificate names (the handshake verified its chain, so the
   * name is the caller's), for the audit line of the refusal; {@link Refusal#UNAUTHENTICATED} when
   * there is no usable certificate.
   */
  private static String namedBy(SSLSession session) {
    return leaf(session).flatMap(CertificateIdentities::of).map(CallerIdentity::id).orElse(Refusal.UNAUTHENTICATED);
  }

  /** The peer's verified leaf certificate, if the session has one. */
  private static Optional<X509Certificate> leaf(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static ApiException required() {
    return ApiException.of(Status.Code.UNAUTHENTICATED, null, "CLIENT_CERTIFICATE_REQUIRED",
        "a verified client certificate with a SPIFFE id, DNS name or common name is required");
  }
}
