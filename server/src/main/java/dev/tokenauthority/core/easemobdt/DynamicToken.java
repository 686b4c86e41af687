package dev.tokenauthority.core.easemobdt;

import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Easemob dynamic user token ({@code base64url("dt-" + JSON)}): made by {@link
 * DynamicTokenBuilder} or read by {@link DynamicTokenParser}. Parsing alone proves nothing; check
 * it with {@link DynamicTokenVerifier}. Immutable; {@link #toString()} never shows the token.
 */
public final class DynamicToken implements TokenClaims {
  public static final String SERVICE = "easemob";
  /** The one privilege a dynamic token grants: logging in as its user. It has no wire code. */
  public static final Privilege USER = new Privilege(SERVICE, "user", 0, Optional.empty());

  private final String token;
  private final String signature;
  private final String appKey;
  private final String userId;
  private final long curTime;
  private final long ttl;

  DynamicToken(String token, String signature, String appKey, String userId, long curTime, long ttl) {
    this.token = token;
    this.signature = signature;
    this.appKey = appKey;
    this.userId = userId;
    this.curTime = curTime;
    this.ttl = ttl;
  }

  public static DynamicTokenBuilder builder() {
    return new DynamicTokenBuilder();
  }

  /** The token string: a bearer credential, never log it. */
  public String token() {
    return token;
  }

  /** The lowercase hex SHA-256 signature the token carries. */
  public String signature() {
    return signature;
  }

  /** "org#app". */
  public String appKey() {
    return appKey;
  }

  public String orgName() {
    return appKey.substring(0, appKey.indexOf('#'));
  }

  public String appName() {
    return appKey.substring(appKey.indexOf('#') + 1);
  }

  public String userId() {
    return userId;
  }

  /** Issue time, unix seconds ("curTime"). */
  public long curTime() {
    return curTime;
  }

  /** Lifetime in seconds ("ttl"). */
  public long ttlSeconds() {
    return ttl;
  }

  @Override
  public TokenFormat format() {
    return TokenFormat.EASEMOB_DT;
  }

  @Override
  public String appId() {
    return appKey;
  }

  @Override
  public Instant issuedAt() {
    return Instant.ofEpochSecond(curTime);
  }

  @Override
  public Instant expiresAt() {
    return Instant.ofEpochSecond(curTime + ttl);
  }

  @Override
  public String subject() {
    return userId;
  }

  @Override
  public Optional<String> channel() {
    return Optional.empty();
  }

  @Override
  public List<Privilege> privileges() {
    return List.of(USER);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DynamicToken t
        && token.equals(t.token)
        && signature.equals(t.signature)
        && appKey.equals(t.appKey)
        && userId.equals(t.userId)
        && curTime == t.curTime
        && ttl == t.ttl;
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, signature, appKey, userId, curTime, ttl);
  }

  @Override
  public String toString() {
    return "DynamicToken[appKey=" + appKey + ", userId=" + userId + ", curTime=" + curTime + ", ttl=" + ttl + "]";
  }
}
