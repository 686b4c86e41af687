package dev.tokenauthority.core.testing;

import dev.tokenauthority.core.ClaimsFingerprint;
import dev.tokenauthority.core.TokenClaims;
import java.util.Arrays;
import java.util.Objects;

/** Shared properties of the core's fuzz targets (see docs/fuzzing.md). */
public final class FuzzChecks {
  /** The one Agora certificate and ZEGO secret of the vendor vectors, so vector seeds verify. */
  public static final String AGORA_CERTIFICATE = "5CFd2fd1755d40ecb72977518be15d3b";

  public static final String ZEGO_SECRET = "fa94dd0f974cf2e293728a526b028271";

  private FuzzChecks() {}

  /** Reads every claim, as a caller would after verification: none of it may throw. */
  public static void readAll(TokenClaims claims) {
    Objects.requireNonNull(claims.format());
    Objects.requireNonNull(claims.appId());
    Objects.requireNonNull(claims.subject());
    Objects.requireNonNull(claims.channel());
    Objects.requireNonNull(claims.issuedAt());
    Objects.requireNonNull(claims.earliestExpiry());
    claims.privileges().forEach(Objects::requireNonNull);
    Objects.requireNonNull(claims.toString());
    ClaimsFingerprint.of(claims); // audited for every token that reads, verified or not
  }

  /** What verified once must verify again with the same claims and one fingerprint. */
  public static void sameClaims(TokenClaims first, TokenClaims again) {
    if (!Arrays.equals(ClaimsFingerprint.canonical(first), ClaimsFingerprint.canonical(again))
        || !first.format().equals(again.format())
        || !first.appId().equals(again.appId())
        || !first.issuedAt().equals(again.issuedAt())
        || !first.expiresAt().equals(again.expiresAt())
        || !first.subject().equals(again.subject())
        || !first.channel().equals(again.channel())
        || !first.privileges().equals(again.privileges())) {
      throw new AssertionError("re-verified claims differ: " + first + " vs " + again);
    }
  }
}
