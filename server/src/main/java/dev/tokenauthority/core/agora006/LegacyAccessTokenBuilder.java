package dev.tokenauthority.core.agora006;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import dev.tokenauthority.core.agora.SignedToken;
import dev.tokenauthority.core.agora.StrictBase64;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Builds and signs a legacy "006" token from wire-level values: channel name and uid text as
 * packed (RTM: account as the channel, uid ""), absolute {@code ts} and privilege expiries.
 * Semantic rules (channel charset, roles, lifetimes) belong to the caller, normally {@link
 * dev.tokenauthority.core.agora.issue.AgoraTokenIssuer}. Single-use, not thread-safe.
 */
public final class LegacyAccessTokenBuilder {
  private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();
  private static final long SALT_BOUND = 100_000_000L;

  private final Clock clock;
  private final RandomGenerator random;
  private String appId;
  private String channelName;
  private String uid = "";
  private Long salt;
  private Long ts;
  private final TreeMap<Integer, Long> privileges = new TreeMap<>();

  private LegacyAccessTokenBuilder(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public static LegacyAccessTokenBuilder create() {
    return new LegacyAccessTokenBuilder(Clock.systemUTC(), DEFAULT_RANDOM);
  }

  public static LegacyAccessTokenBuilder create(Clock clock, RandomGenerator random) {
    return new LegacyAccessTokenBuilder(clock, random);
  }

  public LegacyAccessTokenBuilder appId(String appId) {
    this.appId = AgoraValidation.appId(appId);
    return this;
  }

  /** The channel name as packed (for RTM tokens: the user account). */
  public LegacyAccessTokenBuilder channelName(String channelName) {
    if (channelName == null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_CHANNEL_NAME, "CHANNEL_NAME_EMPTY", "is required");
    }
    this.channelName = channelName;
    return this;
  }

  /** The uid text as packed ("" for uid 0 and for RTM). */
  public LegacyAccessTokenBuilder uid(String uid) {
    if (uid == null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_UID, "USER_MISSING", "is required (\"\" for uid 0 and RTM)");
    }
    this.uid = uid;
    return this;
  }

  public LegacyAccessTokenBuilder salt(long salt) {
    this.salt = AgoraValidation.salt(salt);
    return this;
  }

  /** Message timestamp, absolute unix seconds; defaults to now + 24 h. */
  public LegacyAccessTokenBuilder ts(long epochSeconds) {
    this.ts = checkU32("ts", epochSeconds);
    return this;
  }

  /** A privilege and its absolute expiry (unix seconds, 0 = none). */
  public LegacyAccessTokenBuilder privilege(int key, long expiresAtEpochSeconds) {
    if (key < 0 || key > 0xFFFF) {
      throw new InvalidTokenInputException("privileges", "PRIVILEGE_OUT_OF_RANGE", "privilege key out of range");
    }
    privileges.put(key, checkU32("privileges", expiresAtEpochSeconds));
    return this;
  }

  public SignedToken<LegacyAccessToken> sign(Secret certificate) {
    if (appId == null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_APP_ID, "APP_ID_MISSING", "is required");
    }
    if (channelName == null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_CHANNEL_NAME, "CHANNEL_NAME_EMPTY", "is required");
    }
    if (privileges.isEmpty()) {
      throw new InvalidTokenInputException("privileges", "NO_PRIVILEGES", "at least one privilege is required");
    }
    String cert = AgoraValidation.appCertificate(certificate.reveal());
    long s = salt != null ? salt : random.nextLong(1, SALT_BOUND);
    long t = ts != null ? ts
        : checkU32(AgoraValidation.FIELD_ISSUED_AT, clock.instant().getEpochSecond() + LegacyAccessToken.TS_OFFSET_SECONDS);
    SortedMap<Integer, Long> privs = Collections.unmodifiableSortedMap(new TreeMap<>(privileges));

    byte[] message = new LittleEndianWriter(8 + 2 + 6 * privs.size()).u32(s).u32(t).map(privs).toByteArray();
    byte[] signature = LegacySignatures.sign(cert, appId, channelName, uid, message);
    long crcChannel = LegacySignatures.crc32(channelName);
    long crcUid = LegacySignatures.crc32(uid);
    LittleEndianWriter content = new LittleEndianWriter(48 + message.length)
        .bytes(signature).u32(crcChannel).u32(crcUid).bytes(message);

    String token = LegacyAccessToken.VERSION + appId + StrictBase64.encode(content.buffer(), 0, content.size());
    LegacyAccessToken claims = new LegacyAccessToken(appId, crcChannel, crcUid, s, t, privs, signature,
        message, new LegacyAccessToken.Binding(channelName, uid));
    return new SignedToken<>(token, claims);
  }

  private static long checkU32(String field, long value) {
    if (value < 0 || value > AgoraLimits.MAX_U32) {
      throw new InvalidTokenInputException(field, "VALUE_OUT_OF_RANGE", "must be 0 to 4294967295");
    }
    return value;
  }
}
