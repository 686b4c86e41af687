package dev.tokenauthority.core.zego04;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.codec.EpochSeconds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Builds a ZEGO Token04. Required: {@link #appId}, {@link #serverSecret}, {@link #userId}, {@link
 * #lifetimeSeconds}. The issue time comes from the clock, the nonce and iv from the random source
 * (SecureRandom unless injected), unless given. Every rule is checked in {@link #build()}, which
 * throws {@link InvalidTokenInputException} naming the field. Not thread-safe; use one per token.
 */
public final class Token04Builder {
  private static final String IV_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private Long appId;
  private Secret serverSecret;
  private String userId;
  private Long lifetimeSeconds;
  private ZegoRoomPrivileges room;
  private Clock clock = Clock.systemUTC();
  private RandomGenerator random;
  private Integer nonce;
  private Long issuedAt;
  private String iv;

  Token04Builder() {}

  /** Unsigned 32-bit app id, 1..4294967295. */
  public Token04Builder appId(long appId) {
    this.appId = appId;
    return this;
  }

  /** Exactly 32 ASCII characters; their bytes are the AES-256 key. */
  public Token04Builder serverSecret(Secret serverSecret) {
    this.serverSecret = serverSecret;
    return this;
  }

  public Token04Builder userId(String userId) {
    this.userId = userId;
    return this;
  }

  /** Positive number of seconds from the issue time to the expiry. */
  public Token04Builder lifetimeSeconds(long lifetimeSeconds) {
    this.lifetimeSeconds = lifetimeSeconds;
    return this;
  }

  /** RTC room privileges for the payload; {@code null} (the default) makes a plain ZIM token. */
  public Token04Builder room(ZegoRoomPrivileges room) {
    this.room = room;
    return this;
  }

  public Token04Builder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public Token04Builder random(RandomGenerator random) {
    this.random = random;
    return this;
  }

  /** Fixes the nonce (tests, vendor vectors); otherwise a random int. */
  public Token04Builder nonce(int nonce) {
    this.nonce = nonce;
    return this;
  }

  /** Fixes the issue time ("ctime", unix seconds); otherwise the clock's current second. */
  public Token04Builder issuedAt(long epochSeconds) {
    this.issuedAt = epochSeconds;
    return this;
  }

  /** Fixes the iv: exactly 16 printable ASCII characters; otherwise 16 random of [0-9a-z]. */
  public Token04Builder iv(String iv) {
    this.iv = iv;
    return this;
  }

  public ZegoToken04 build() {
    if (appId == null) {
      throw new InvalidTokenInputException("app_id", "APP_ID_REQUIRED", "is required");
    }
    ZegoRules.checkAppId(appId);
    byte[] key = secretBytes(serverSecret);
    if (userId == null) {
      throw new InvalidTokenInputException("user_id", "USER_ID_EMPTY", "is required");
    }
    ZegoRules.checkUserId(userId);
    long ctime = issuedAt != null ? issuedAt : clock.instant().getEpochSecond();
    if (!EpochSeconds.inRange(ctime)) {
      throw new InvalidTokenInputException("issued_at", "ISSUED_AT_RANGE", "is not a plausible unix time");
    }
    long expire = ctime + checkLifetime(lifetimeSeconds);
    if (expire > EpochSeconds.MAX) {
      throw new InvalidTokenInputException("lifetime_seconds", "LIFETIME_TOO_LONG", "ends past year 9999");
    }
    RandomGenerator rng = random != null ? random : DefaultRandom.INSTANCE;
    RandomDraw draw = iv == null || nonce == null ? RandomDraw.from(rng) : null;
    byte[] ivBytes = ivBytes(iv != null ? iv : draw.iv());
    int tokenNonce = nonce != null ? nonce : draw.nonce();

    Optional<ZegoRoomPrivileges> roomPayload = Optional.ofNullable(room);
    String payload = Token04Plaintext.writePayload(roomPayload);
    String plaintext = Token04Plaintext.write(appId, userId, tokenNonce, ctime, expire, payload);
    byte[] ct =
        Aes256Cbc.encrypt(Aes256Cbc.key(key), ivBytes, plaintext.getBytes(StandardCharsets.UTF_8));
    if (ct.length > 0xFFFF) {
      // Unreachable within the field limits above; guards the u16 length on the wire.
      throw new InvalidTokenInputException("stream_ids", "PAYLOAD_TOO_LARGE", "the token would be too large");
    }
    ByteBuffer out = ByteBuffer.allocate(Long.BYTES + 2 + ivBytes.length + 2 + ct.length);
    out.putLong(expire)
        .putShort((short) ivBytes.length)
        .put(ivBytes)
        .putShort((short) ct.length)
        .put(ct);
    String token = Token04Parser.PREFIX + Base64.getEncoder().encodeToString(out.array());
    return new ZegoToken04(token, appId, userId, tokenNonce, ctime, expire, payload, roomPayload);
  }

  /** Validates a server secret and returns its key bytes; shared with the verifier. */
  static byte[] secretBytes(Secret secret) {
    if (secret == null) {
      throw new InvalidTokenInputException("server_secret", "SERVER_SECRET_REQUIRED", "is required");
    }
    byte[] key = secret.reveal().getBytes(StandardCharsets.UTF_8);
    if (secret.reveal().length() != 32 || key.length != 32) {
      // Never echo the value: the length alone says what is wrong.
      throw new InvalidTokenInputException(
          "server_secret", "SERVER_SECRET_LENGTH", "must be exactly 32 ASCII characters");
    }
    return key;
  }

  private static long checkLifetime(Long lifetime) {
    if (lifetime == null) {
      throw new InvalidTokenInputException("lifetime_seconds", "LIFETIME_REQUIRED", "is required");
    }
    if (lifetime <= 0) {
      throw new InvalidTokenInputException("lifetime_seconds", "LIFETIME_NOT_POSITIVE", "must be positive");
    }
    if (lifetime > ZegoRules.MAX_LIFETIME_SECONDS) {
      throw new InvalidTokenInputException(
          "lifetime_seconds", "LIFETIME_TOO_LONG", "must be at most " + ZegoRules.MAX_LIFETIME_SECONDS);
    }
    return lifetime;
  }

  private static byte[] ivBytes(String iv) {
    if (iv.length() != Aes256Cbc.IV_BYTES || !iv.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
      throw new InvalidTokenInputException("iv", "IV_FORMAT", "must be exactly 16 printable ASCII characters");
    }
    return iv.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The random nonce and iv from one bulk draw: a shared SecureRandom is a contended lock, and
   * drawing 17 values one by one was most of a token's cost (docs/benchmarks.md). The iv keeps the
   * vendor's alphabet: bytes below 252 (7 x 36) map uniformly onto it, the rest are skipped.
   */
  private record RandomDraw(String iv, int nonce) {
    private static final int UNIFORM_BOUND = 252;

    static RandomDraw from(RandomGenerator rng) {
      byte[] bytes = new byte[4 + Aes256Cbc.IV_BYTES + 8];
      rng.nextBytes(bytes);
      int nonce = (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
      char[] chars = new char[Aes256Cbc.IV_BYTES];
      int filled = 0;
      int next = 4;
      while (filled < chars.length) {
        if (next == bytes.length) { // rare: too many rejected bytes, draw again
          rng.nextBytes(bytes);
          next = 0;
        }
        int b = bytes[next++] & 0xFF;
        if (b < UNIFORM_BOUND) {
          chars[filled++] = IV_ALPHABET.charAt(b % IV_ALPHABET.length());
        }
      }
      return new RandomDraw(new String(chars), nonce);
    }
  }

  /** One shared SecureRandom (thread-safe), created on first use rather than per token. */
  private static final class DefaultRandom {
    static final SecureRandom INSTANCE = new SecureRandom();
  }
}
