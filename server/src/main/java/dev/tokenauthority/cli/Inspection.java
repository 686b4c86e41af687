package dev.tokenauthority.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code inspect} reports about one token. Holds decoded claims and the verification verdict,
 * never the token or a secret. Fields unknown without a credential (e.g. a ZEGO plaintext) are null.
 */
final class Inspection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenFormat format;
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private Boolean verified;
  private String matchedCredential;
  private String verificationError;

  Inspection(TokenFormat format) {
    this.format = format;
  }

  /** Fills the format-neutral fields from decoded claims. */
  Inspection claims(TokenClaims claims) {
    fields.put("app_id", claims.appId());
    fields.put("issued_at", claims.issuedAt().getEpochSecond());
    fields.put("expires_at", claims.expiresAt().getEpochSecond());
    fields.put("subject", claims.subject());
    fields.put("channel", claims.channel().orElse(null));
    List<Map<String, Object>> privileges = new ArrayList<>();
    for (Privilege p : claims.privileges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", p.service());
      m.put("name", p.name());
      m.put("code", p.code());
      m.put("expires_at", p.expiresAt().map(Instant::getEpochSecond).orElse(null));
      privileges.add(m);
    }
    fields.put("privileges", privileges);
    fields.put("earliest_expiry", claims.earliestExpiry().getEpochSecond());
    return this;
  }

  /** Only the expiry is readable (ZEGO without its secret). */
  Inspection expiryOnly(Instant expiresAt) {
    fields.put("app_id", null);
    fields.put("issued_at", null);
    fields.put("expires_at", expiresAt.getEpochSecond());
    fields.put("subject", null);
    fields.put("channel", null);
    fields.put("privileges", null);
    fields.put("earliest_expiry", null);
    return this;
  }

  Inspection detail(String key, Object value) {
    details.put(key, value);
    return this;
  }

  void verified(String label) {
    verified = true;
    matchedCredential = label;
    verificationError = null;
  }

  void notVerified(String reason) {
    verified = false;
    verificationError = reason;
  }

  boolean failedVerification() {
    return Boolean.FALSE.equals(verified);
  }

  String verificationError() {
    return verificationError;
  }

  private Map<String, Object> asMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", format.id());
    out.putAll(fields);
    out.put("details", details);
    out.put("verified", verified);
    out.put("matched_credential", matchedCredential);
    out.put("verification_error", verificationError);
    return out;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(asMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render inspection", e);
    }
  }

  /** "key: value" lines; times also as ISO-8601 for people. */
  String toText() {
    StringBuilder out = new StringBuilder();
    asMap().forEach((k, v) -> {
      Object shown = v;
      if (v instanceof Long seconds && (k.endsWith("_at") || k.equals("earliest_expiry"))) {
        shown = seconds + " (" + Instant.ofEpochSecond(seconds) + ")";
      } else if (v == null) {
        shown = "-";
      }
      out.append(k).append(": ").append(shown).append(System.lineSeparator());
    });
    return out.toString().stripTrailing();
  }
}
