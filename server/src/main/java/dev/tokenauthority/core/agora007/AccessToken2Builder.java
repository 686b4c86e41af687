package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.HmacSha256;
import dev.tokenauthority.core.agora.LittleEndianWriter;
import dev.tokenauthority.core.agora.SignedToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Builds and signs an AccessToken2. Issue time and salt default from the injected {@link Clock}
 * and {@link RandomGenerator} (SecureRandom unless told otherwise), so tests can fix both. A
 * builder is single-use and not thread-safe; make one per token.
 *
 * <pre>{@code
 * SignedToken<AccessToken2> t = AccessToken2Builder.create(clock, random)
 *     .appId(appId).expire(3600).addService(RtmService.login("alice", 3600))
 *     .sign(Secret.of(certificate));
 * }</pre>
 */
public final class AccessToken2Builder {
  private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();
  /** The vendor's references draw salts from 1..99999999. */
  private static final long SALT_BOUND = 100_000_000L;

  private final Clock clock;
  private final RandomGenerator random;
  private static final long UNSET = -1; // every validated value is >= 0
  private String appId;
  private long issueTs = UNSET;
  private long expire = UNSET;
  private long salt = UNSET;
  private Service[] services = new Service[2];
  private int serviceCount;

  /** One body buffer per thread, reused by every token it builds (grows once for big tokens). */
  private static final ThreadLocal<LittleEndianWriter> WRITER =
      ThreadLocal.withInitial(() -> new LittleEndianWriter(512));

  private AccessToken2Builder(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** System UTC clock and a shared SecureRandom. */
  public static AccessToken2Builder create() {
    return new AccessToken2Builder(Clock.systemUTC(), DEFAULT_RANDOM);
  }

  public static AccessToken2Builder create(Clock clock, RandomGenerator random) {
    return new AccessToken2Builder(clock, random);
  }

  /** 32 hex characters. */
  public AccessToken2Builder appId(String appId) {
    this.appId = AgoraValidation.appId(appId);
    return this;
  }

  /** Issue time in unix seconds; defaults to the clock's now. */
  public AccessToken2Builder issueTs(long epochSeconds) {
    this.issueTs = AgoraValidation.issuedAt(epochSeconds);
    return this;
  }

  /** Token lifetime in seconds, 1..86400 (longer is rejected, not clamped). */
  public AccessToken2Builder expire(long seconds) {
    this.expire = AgoraValidation.tokenLifetime(AgoraValidation.FIELD_LIFETIME, seconds);
    return this;
  }

  /** Salt (u32); defaults to a random 1..99999999. */
  public AccessToken2Builder salt(long salt) {
    this.salt = AgoraValidation.salt(salt);
    return this;
  }

  /** Adds a service; services are packed sorted by type (stable for equal types). */
  public AccessToken2Builder addService(Service service) {
    if (service == null) {
      throw new InvalidTokenInputException("services", "NO_SERVICES", "a service must not be null");
    }
    if (serviceCount == services.length) {
      services = Arrays.copyOf(services, serviceCount * 2);
    }
    services[serviceCount++] = service;
    return this;
  }

  /** Packs, signs with {@code certificate} (32 hex chars; its UTF-8 bytes are the key) and encodes. */
  public SignedToken<AccessToken2> sign(Secret certificate) {
    if (appId == null) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_APP_ID, "APP_ID_MISSING", "is required");
    }
    if (expire == UNSET) {
      throw new InvalidTokenInputException(AgoraValidation.FIELD_LIFETIME, "LIFETIME_MISSING", "is required");
    }
    if (serviceCount == 0) {
      throw new InvalidTokenInputException("services", "NO_SERVICES", "at least one service is required");
    }
    String cert = AgoraValidation.appCertificate(certificate.reveal());
    long ts = issueTs != UNSET ? issueTs : AgoraValidation.issuedAt(clock.instant().getEpochSecond());
    long s = salt != UNSET ? salt : random.nextLong(1, SALT_BOUND);
    List<Service> sorted = sortedByType(services, serviceCount);

    // The body is written once into this thread's buffer, signature slot first (zeros until
    // signed, then signed in place); the token text is built from that buffer and the claims keep
    // one exact copy.
    LittleEndianWriter out = WRITER.get().reset();
    out.u16(HmacSha256.LENGTH).zeros(HmacSha256.LENGTH);
    int signedOffset = out.size();
    out.string(appId).u32(ts).u32(expire).u32(s).u16(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      Service service = sorted.get(i);
      out.u16(service.type()).map(service.privileges());
      service.writeFields(out);
    }
    byte[] body = out.buffer();
    int size = out.size();
    Signatures.signInto(cert, ts, s, body, signedOffset, size - signedOffset, body, 2);
    String token = Zlib.deflateBase64(AccessToken2.VERSION, body, size);
    AccessToken2 claims = new AccessToken2(appId, ts, expire, s, sorted, Arrays.copyOf(body, size), signedOffset);
    return new SignedToken<>(token, claims);
  }

  /** An immutable list sorted by type, stable for equal types (insertion sort: 1 to 7 services). */
  private static List<Service> sortedByType(Service[] services, int count) {
    if (count == 1) {
      return List.of(services[0]);
    }
    Service[] sorted = Arrays.copyOf(services, count);
    for (int i = 1; i < sorted.length; i++) {
      Service x = sorted[i];
      int j = i - 1;
      while (j >= 0 && sorted[j].type() > x.type()) {
        sorted[j + 1] = sorted[j];
        j--;
      }
      sorted[j + 1] = x;
    }
    return List.of(sorted);
  }
}
