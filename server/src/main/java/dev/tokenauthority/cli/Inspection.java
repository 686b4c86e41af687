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
import dev.tokenauthority.core.diagnose.Finding;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
  private Map<String, Object> judgement;

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
    fields.put("subject", subject(claims));
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
   * Before its binding is verified a 006 token holds only the CRC-32 of its user: unknown (null),
   * except the CRC-32 of "" (uid 0, no user bound), which says what it is.
   */
  private static String subject(TokenClaims claims) {
    if (claims instanceof LegacyAccessToken t && t.binding().isEmpty()) {
      return !t.isRtm() && t.crcUid() == 0 ? "" : null;
    }
    return claims.subject();
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

  /** The verdict on an expected use: accepted only without findings. */
  void judged(Instant at, List<Finding> findings) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("reason", f.reason().name());
      m.put("message", f.message());
      m.put("fix", f.fix());
      list.add(m);
    }
    judgement = new LinkedHashMap<>();
    judgement.put("would_accept", findings.isEmpty());
    judgement.put("judged_at", at.getEpochSecond());
    judgement.put("findings", list);
  }

  /** Present once an expected use was judged. */
  Optional<Boolean> wouldAccept() {
    return judgement == null ? Optional.empty() : Optional.of((Boolean) judgement.get("would_accept"));
  }

  private Map<String, Object> asMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", format.id());
    out.putAll(fields);
    out.put("details", details);
    out.put("verified", verified);
    out.put("matched_credential", matchedCredential);
    out.put("verification_error", verificationError);
    if (judgement != null) {
      out.putAll(judgement);
    }
    return out;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(asMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render inspection", e);
    }
  }

  /**
   * For people: one aligned "key  value" line per field, times in RFC 3339 with the epoch value
   * beside, one line per privilege and per finding (its fix indented below), "-" for unknown.
   */
  String toText() {
    Map<String, Object> all = asMap();
    int width = all.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
    String indent = " ".repeat(width);
    StringBuilder out = new StringBuilder();
    all.forEach((key, value) -> {
      List<String> lines = textLines(key, value);
      for (int i = 0; i < lines.size(); i++) {
        String label = i == 0 ? key + " ".repeat(width - key.length()) : indent;
        out.append(label).append(lines.get(i)).append(System.lineSeparator());
      }
    });
    return out.toString().stripTrailing();
  }

  @SuppressWarnings("unchecked")
  private static List<String> textLines(String key, Object value) {
    if (value == null) {
      return List.of(key.equals("verified") ? "not checked (no credential given)" : "-");
    }
    if (value instanceof Long seconds && (key.endsWith("_at") || key.equals("earliest_expiry"))) {
      return List.of(time(seconds));
    }
    if (key.equals("verified")) {
      return List.of(Boolean.TRUE.equals(value) ? "yes" : "no");
    }
    if (value instanceof Boolean b && key.equals("would_accept")) {
      return List.of(b ? "yes" : "no");
    }
    if ("".equals(value)) {
      return List.of("\"\"" + (key.equals("subject") ? " (uid 0 or no user: not bound)" : ""));
    }
    if (key.equals("privileges")) {
      List<Map<String, Object>> privileges = (List<Map<String, Object>>) value;
      if (privileges.isEmpty()) {
        return List.of("none");
      }
      return privileges.stream().map(p -> String.format("%-28s expires %s",
          p.get("service") + " " + p.get("name") + " (" + p.get("code") + ")",
          p.get("expires_at") == null ? "with the token" : time((Long) p.get("expires_at")))).toList();
    }
    if (key.equals("findings")) {
      List<Map<String, Object>> findings = (List<Map<String, Object>>) value;
      if (findings.isEmpty()) {
        return List.of("none");
      }
      List<String> lines = new ArrayList<>();
      for (Map<String, Object> f : findings) {
        lines.add(f.get("reason") + ": " + f.get("message"));
        lines.add("  fix: " + f.get("fix"));
      }
      return lines;
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return List.of("-");
      }
      StringBuilder b = new StringBuilder();
      map.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v == null ? "-" : v));
      return List.of(b.toString());
    }
    return List.of(String.valueOf(value));
  }

  /** RFC 3339 in UTC with the unix seconds beside, e.g. "2026-12-03T08:00:00Z (1796284800)". */
  private static String time(long seconds) {
    return Instant.ofEpochSecond(seconds) + " (" + seconds + ")";
  }
}
