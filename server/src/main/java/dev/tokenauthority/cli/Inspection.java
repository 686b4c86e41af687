package dev.tokenauthority.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.ChatService;
import dev.tokenauthority.core.agora007.RtmService;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.zego04.ZegoToken04;
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

  private Inspection(TokenFormat format) {
    this.format = format;
  }

  /**
   * What the token shows without a credential, read through the one parse-any-token path: the
   * clear claims (all but ZEGO, whose payload is encrypted: only its stated expiry) plus each
   * format's own wire details.
   */
  static Inspection of(AnyToken token) {
    Inspection report = new Inspection(token.format());
    token.claims().ifPresentOrElse(report::claims, () -> report.expiryOnly(token.statedExpiry()));
    token.asAgora007().ifPresent(t -> report.detail("salt", t.salt()));
    token.asAgora006().ifPresent(t -> report.detail("salt", t.salt()).detail("ts", t.ts()));
    token.asEasemobDynamic().ifPresent(t -> report.detail("appkey", t.appKey())
        .detail("user_id", t.userId()).detail("ttl", t.ttlSeconds()));
    return report;
  }

  /** A ZEGO token's fields, once its secret has decrypted it. */
  Inspection decrypted(ZegoToken04 t) {
    return claims(t).detail("nonce", t.nonce()).detail("user_id", t.userId())
        .detail("room_id", t.room().map(r -> r.roomId()).orElse(null))
        .detail("stream_ids", t.room().map(r -> r.streamIds()).orElse(null));
  }

  /** Fills the format-neutral fields from decoded claims. */
  Inspection claims(TokenClaims claims) {
    fields.put("app_id", claims.appId());
    fields.put("issued_at", claims.issuedAt().getEpochSecond());
    fields.put("expires_at", claims.expiresAt().getEpochSecond());
    fields.put("subject", claims.subject());
    fields.put("channel", claims.channel().orElse(null));
    fields.put("rtm_user_id", rtmUserId(claims));
    fields.put("chat_user_id", chatUserId(claims));
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

  /**
   * {@code subject} is one user; a 007 token may carry RTC, RTM and Chat at once, each with its own
   * user, so RTM and Chat users are named too (null when the token has no such service or user).
   */
  private static String rtmUserId(TokenClaims claims) {
    if (claims instanceof AccessToken2 t) {
      return t.rtm().map(RtmService::userId).orElse(null);
    }
    // A 006 RTM token names its account only through the binding it was verified with.
    if (claims instanceof LegacyAccessToken t && t.isRtm() && t.binding().isPresent()) {
      return t.subject();
    }
    return null;
  }

  /** The chat user UUID; an app token's chat service has none. */
  private static String chatUserId(TokenClaims claims) {
    if (claims instanceof AccessToken2 t) {
      return t.chat().map(ChatService::userId).filter(id -> !id.isEmpty()).orElse(null);
    }
    return null;
  }

  /** Only the expiry is readable (ZEGO without its secret). */
  private Inspection expiryOnly(Instant expiresAt) {
    fields.put("app_id", null);
    fields.put("issued_at", null);
    fields.put("expires_at", expiresAt.getEpochSecond());
    fields.put("subject", null);
    fields.put("channel", null);
    fields.put("rtm_user_id", null);
    fields.put("chat_user_id", null);
    fields.put("privileges", null);
    fields.put("earliest_expiry", null);
    return this;
  }

  private Inspection detail(String key, Object value) {
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
