package dev.tokenauthority.server.audit;

import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.server.errors.Echo;
import io.grpc.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One audited call. Carries identities, names and numbers only: the token appears as a short
 * fingerprint ({@link TokenFingerprint}), never in full.
 *
 * @param outcome "ok", "denied" (PERMISSION_DENIED), or the failure's status code name
 *     ("INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "UNAVAILABLE", "INTERNAL", ...)
 * @param code the gRPC status code name ("OK", "PERMISSION_DENIED", ...)
 * @param reason the ErrorInfo reason when the call failed
 * @param tokenFingerprint the token issued, or on a failure the token submitted
 * @param renewedFromFingerprint a successful renewal's submitted token, linking it to its issue
 * @param vendorCalls the vendor REST attempts the call made, in order (empty for most RPCs)
 * @param vendorCallsOmitted attempts beyond the trail's bound, counted but not listed
 */
public record AuditEvent(
    String rpc,
    String caller,
    Optional<String> app,
    Optional<String> kind,
    Optional<String> subject,
    Optional<Long> lifetimeSeconds,
    String outcome,
    String code,
    Optional<String> reason,
    Optional<String> tokenFingerprint,
    Optional<String> renewedFromFingerprint,
    List<VendorCall> vendorCalls,
    int vendorCallsOmitted) {

  public AuditEvent {
    vendorCalls = List.copyOf(Objects.requireNonNull(vendorCalls, "vendorCalls"));
    // Caller-supplied values are bounded here, once, for every audit line.
    caller = Echo.of(caller);
    app = app.map(Echo::of);
    kind = kind.map(Echo::of);
    subject = subject.map(Echo::of);
  }

  public static Builder builder(String rpc, String caller) {
    return new Builder(rpc, caller);
  }

  /** Collects what a handler learns as it goes, so a failure can still be audited with what is known. */
  public static final class Builder {
    private final String rpc;
    private final String caller;
    private String app;
    private String kind;
    private String subject;
    private Long lifetimeSeconds;
    // What the fingerprints are taken of (a TokenClaims or a token's text), taken once when the
    // event is built: a renewal names the submitted token first and the issued one later, and
    // each fingerprint costs a SHA-256 over the claims.
    private Object fingerprintOf;
    private Object renewedFromFingerprintOf;
    private final VendorCallTrail vendorCalls = new VendorCallTrail();

    private Builder(String rpc, String caller) {
      this.rpc = rpc;
      this.caller = caller;
    }

    public Builder app(String v) {
      this.app = v == null || v.isEmpty() ? null : v;
      return this;
    }

    public Builder kind(String v) {
      this.kind = v;
      return this;
    }

    public Builder subject(String v) {
      this.subject = v;
      return this;
    }

    public Builder lifetimeSeconds(long v) {
      this.lifetimeSeconds = v;
      return this;
    }

    /** Records the fingerprint of a token (never the token). */
    public Builder token(String token) {
      this.fingerprintOf = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Records the fingerprint of a token's claims (issued, or read from a submitted token). */
    public Builder token(TokenClaims claims) {
      this.fingerprintOf = Objects.requireNonNull(claims, "claims");
      return this;
    }

    /** Records the fingerprint of the verified claims of the token a renewal replaces. */
    public Builder renewedFrom(TokenClaims claims) {
      this.renewedFromFingerprintOf = Objects.requireNonNull(claims, "claims");
      return this;
    }

    /** Records the fingerprint of the token a renewal replaces (never the token). */
    public Builder renewedFrom(String token) {
      this.renewedFromFingerprintOf = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Where the vendor bridges record the REST calls made for this call (see {@link VendorCallTrail#KEY}). */
    public VendorCallTrail vendorCalls() {
      return vendorCalls;
    }

    public AuditEvent ok() {
      return build("ok", "OK", null);
    }

    /**
     * A failed call. Its outcome is "denied" for PERMISSION_DENIED (what audits search for), else
     * the status code's name, so a vendor timeout (DEADLINE_EXCEEDED) or an expired certificate
     * (UNAUTHENTICATED) is not filed as the caller's invalid input.
     */
    public AuditEvent failed(Status.Code code, String reason) {
      return build(code == Status.Code.PERMISSION_DENIED ? "denied" : code.name(), code.name(), reason);
    }

    private AuditEvent build(String outcome, String code, String reason) {
      return new AuditEvent(rpc, caller, Optional.ofNullable(app), Optional.ofNullable(kind),
          Optional.ofNullable(subject), Optional.ofNullable(lifetimeSeconds), outcome, code,
          Optional.ofNullable(reason), fingerprint(fingerprintOf),
          fingerprint(renewedFromFingerprintOf), vendorCalls.snapshot(), vendorCalls.omitted());
    }

    private static Optional<String> fingerprint(Object of) {
      if (of instanceof TokenClaims claims) {
        return Optional.of(TokenFingerprint.of(claims));
      }
      return of instanceof String token ? Optional.of(TokenFingerprint.of(token)) : Optional.empty();
    }
  }
}
