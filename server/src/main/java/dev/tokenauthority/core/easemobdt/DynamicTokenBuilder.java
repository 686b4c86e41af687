package dev.tokenauthority.core.easemobdt;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.codec.EpochSeconds;
import dev.tokenauthority.core.codec.JsonText;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Builds an Easemob dynamic user token: {@code base64url-with-padding("dt-" +
 * {"signature","appkey","userId","curTime","ttl"})}. Required: {@link #appKey}, {@link #clientId},
 * {@link #clientSecret}, {@link #userId}, {@link #ttlSeconds}. {@link #build()} checks every rule
 * and throws {@link InvalidTokenInputException} naming the field. Not thread-safe; one per token.
 */
public final class DynamicTokenBuilder {
  static final String PREFIX = "dt-";

  private String appKey;
  private String clientId;
  private Secret clientSecret;
  private String userId;
  private Long ttlSeconds;
  private Clock clock = Clock.systemUTC();
  private Long issuedAt;

  DynamicTokenBuilder() {}

  /** "org#app". */
  public DynamicTokenBuilder appKey(String appKey) {
    this.appKey = appKey;
    return this;
  }

  public DynamicTokenBuilder clientId(String clientId) {
    this.clientId = clientId;
    return this;
  }

  public DynamicTokenBuilder clientSecret(Secret clientSecret) {
    this.clientSecret = clientSecret;
    return this;
  }

  public DynamicTokenBuilder credential(ClientCredential credential) {
    this.clientId = credential.clientId();
    this.clientSecret = credential.clientSecret();
    return this;
  }

  public DynamicTokenBuilder userId(String userId) {
    this.userId = userId;
    return this;
  }

  /** Positive lifetime in seconds ("ttl"). */
  public DynamicTokenBuilder ttlSeconds(long ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
    return this;
  }

  public DynamicTokenBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Fixes "curTime" (unix seconds); otherwise the clock's current second. */
  public DynamicTokenBuilder issuedAt(long epochSeconds) {
    this.issuedAt = epochSeconds;
    return this;
  }

  public DynamicToken build() {
    EasemobRules.checkAppKey(appKey);
    ClientCredential credential = new ClientCredential(clientId, clientSecret);
    EasemobRules.checkUserId(userId);
    if (ttlSeconds == null) {
      throw new InvalidTokenInputException("lifetime_seconds", "LIFETIME_REQUIRED", "is required");
    }
    if (ttlSeconds <= 0) {
      throw new InvalidTokenInputException("lifetime_seconds", "LIFETIME_NOT_POSITIVE", "must be positive");
    }
    if (ttlSeconds > EasemobRules.MAX_TTL_SECONDS) {
      throw new InvalidTokenInputException(
          "lifetime_seconds", "LIFETIME_TOO_LONG", "must be at most " + EasemobRules.MAX_TTL_SECONDS);
    }
    long curTime = issuedAt != null ? issuedAt : clock.instant().getEpochSecond();
    if (!EpochSeconds.inRange(curTime) || curTime + ttlSeconds > EpochSeconds.MAX) {
      throw new InvalidTokenInputException("issued_at", "ISSUED_AT_RANGE", "is not a plausible unix time");
    }
    String signature = DtSignature.compute(credential, appKey, userId, curTime, ttlSeconds);
    String token =
        Base64.getUrlEncoder()
            .encodeToString(json(signature, appKey, userId, curTime, ttlSeconds).getBytes(StandardCharsets.UTF_8));
    return new DynamicToken(token, signature, appKey, userId, curTime, ttlSeconds);
  }

  /** "dt-" + the compact JSON, in the vendor's field order. */
  static String json(String signature, String appKey, String userId, long curTime, long ttl) {
    StringBuilder out = new StringBuilder(PREFIX.length() + 160 + appKey.length() + userId.length());
    out.append(PREFIX).append("{\"signature\":");
    JsonText.appendQuoted(out, signature).append(",\"appkey\":");
    JsonText.appendQuoted(out, appKey).append(",\"userId\":");
    JsonText.appendQuoted(out, userId);
    return out.append(",\"curTime\":").append(curTime).append(",\"ttl\":").append(ttl).append('}').toString();
  }
}
