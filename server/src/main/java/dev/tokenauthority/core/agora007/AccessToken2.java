package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.LittleEndianReader;
import dev.tokenauthority.core.agora.StrictBase64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Agora AccessToken2 ("007"), parsed or freshly built. Immutable. Parsing proves nothing:
 * pass it to {@link AccessToken2Verifier} before trusting it.
 *
 * <p>{@code expire} and privilege values are seconds relative to {@code issueTs}; {@link
 * #privileges()} turns them into absolute instants (empty for 0 = no limit of its own).
 */
public final class AccessToken2 implements TokenClaims {
  public static final String VERSION = "007";
  /** Longest token string the parser looks at; real ones are well under 2 KiB. */
  static final int MAX_TOKEN_CHARS = 32 * 1024;
  static final int SIGNATURE_LENGTH = 32;

  private final String appId;
  private final long issueTs;
  private final long expire;
  private final long salt;
  private final List<Service> services;
  /**
   * The decompressed content: the u16 length 32 and the signature itself just before
   * signedOffset (the parser checks that length), then the signed bytes content[signedOffset..].
   */
  private final byte[] content;
  private final int signedOffset;
  /** {@link #privileges()}, computed on first use. */
  private List<Privilege> privileges;

  AccessToken2(String appId, long issueTs, long expire, long salt, List<Service> services,
      byte[] content, int signedOffset) {
    this.appId = appId;
    this.issueTs = issueTs;
    this.expire = expire;
    this.salt = salt;
    this.services = List.copyOf(services);
    this.content = content;
    this.signedOffset = signedOffset;
  }

  /**
   * Reads a "007" token. Throws only {@link MalformedTokenException}: wrong version, bad or
   * non-canonical base64, bad or oversized zlib, lengths past the end, trailing bytes, invalid
   * UTF-8, duplicate privileges, unknown (UNKNOWN_SERVICE) or unsupported (UNSUPPORTED_SERVICE)
   * service types.
   */
  public static AccessToken2 parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedTokenException("EMPTY_TOKEN", "no token given");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedTokenException("TOKEN_TOO_LARGE", "token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    if (!token.startsWith(VERSION)) {
      throw new MalformedTokenException("WRONG_VERSION", "not an AccessToken2 (\"007\") token");
    }
    byte[] content = Zlib.inflate(StrictBase64.decode(token, VERSION.length()));
    LittleEndianReader in = new LittleEndianReader(content, 0, content.length);
    byte[] signature = in.bytes();
    if (signature.length != SIGNATURE_LENGTH) {
      throw new MalformedTokenException("BAD_SIGNATURE_LENGTH", "signature is not 32 bytes");
    }
    int signedOffset = in.position();
    String appId = in.string();
    long issueTs = in.u32();
    long expire = in.u32();
    long salt = in.u32();
    int count = in.u16();
    List<Service> services = new ArrayList<>(Math.min(count, 8));
    for (int i = 0; i < count; i++) {
      services.add(readService(in));
    }
    in.expectEnd();
    return new AccessToken2(appId, issueTs, expire, salt, services, content, signedOffset);
  }

  private static Service readService(LittleEndianReader in) {
    int type = in.u16();
    switch (type) {
      case ServiceType.RTC:
        return new RtcService(in.map(), in.string(), in.string());
      case ServiceType.RTM:
        return new RtmService(in.map(), in.string());
      case ServiceType.STREAMING:
        return new StreamingService(in.map(), in.string(), in.string());
      case ServiceType.FPA:
        return new FpaService(in.map());
      case ServiceType.CHAT:
        return new ChatService(in.map(), in.string());
      case ServiceType.FCDN:
        return new FcdnService(in.map(), in.string(), in.string());
      case ServiceType.APAAS:
        return new ApaasService(in.map(), in.string(), in.string(), (short) in.u16());
      case ServiceType.RTM2:
        // Nested resource permissions we do not model: stop rather than misread.
        throw new MalformedTokenException("UNSUPPORTED_SERVICE", "service type 8 (RTM2) is not supported");
      default:
        throw new MalformedTokenException("UNKNOWN_SERVICE", "unknown service type " + type);
    }
  }

  @Override
  public TokenFormat format() {
    return TokenFormat.AGORA_007;
  }

  @Override
  public String appId() {
    return appId;
  }

  /** Issue time, unix seconds. */
  public long issueTs() {
    return issueTs;
  }

  /** Token lifetime in seconds from {@link #issueTs()}. */
  public long expire() {
    return expire;
  }

  public long salt() {
    return salt;
  }

  /** Services in wire order. */
  public List<Service> services() {
    return services;
  }

  public Optional<RtcService> rtc() {
    return first(RtcService.class);
  }

  public Optional<RtmService> rtm() {
    return first(RtmService.class);
  }

  public Optional<ChatService> chat() {
    return first(ChatService.class);
  }

  /** A copy of the 32-byte signature. */
  public byte[] signature() {
    return Arrays.copyOfRange(content, signedOffset - SIGNATURE_LENGTH, signedOffset);
  }

  @Override
  public Instant issuedAt() {
    return Instant.ofEpochSecond(issueTs);
  }

  @Override
  public Instant expiresAt() {
    return Instant.ofEpochSecond(issueTs + expire);
  }

  /** The RTC uid text (or account), else the RTM user id, else the chat user id; "" if none. */
  @Override
  public String subject() {
    for (Service s : services) {
      if (s instanceof RtcService rtc) return rtc.uid();
    }
    for (Service s : services) {
      if (s instanceof RtmService rtm) return rtm.userId();
      if (s instanceof ChatService chat) return chat.userId();
    }
    return "";
  }

  @Override
  public Optional<String> channel() {
    return rtc().map(RtcService::channelName);
  }

  @Override
  public List<Privilege> privileges() {
    // Asked twice per issued token (the audit fingerprint and the response); computed once. A
    // race only computes it twice: the list is immutable and its fields final, so safely shared.
    List<Privilege> known = privileges;
    if (known == null) {
      known = computePrivileges();
      privileges = known;
    }
    return known;
  }

  private List<Privilege> computePrivileges() {
    List<Privilege> out = new ArrayList<>();
    for (Service s : services) {
      for (Map.Entry<Integer, Long> p : s.privileges().entrySet()) {
        long relative = p.getValue();
        Optional<Instant> expiry =
            relative == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(issueTs + relative));
        out.add(new Privilege(s.serviceName(), s.privilegeName(p.getKey()), p.getKey(), expiry));
      }
    }
    return List.copyOf(out);
  }

  /** True when the signature equals {@code candidate} (constant time). */
  boolean signatureMatches(byte[] candidate) {
    if (candidate.length != SIGNATURE_LENGTH) {
      return false; // length is not secret
    }
    int diff = 0;
    for (int i = 0, at = signedOffset - SIGNATURE_LENGTH; i < SIGNATURE_LENGTH; i++) {
      diff |= content[at + i] ^ candidate[i];
    }
    return diff == 0;
  }

  byte[] content() {
    return content;
  }

  int signedOffset() {
    return signedOffset;
  }

  /** The exact bytes the signature covers, as read from the token (a copy). */
  public byte[] signedBytes() {
    return Arrays.copyOfRange(content, signedOffset, content.length);
  }

  private <T extends Service> Optional<T> first(Class<T> type) {
    for (Service s : services) {
      if (type.isInstance(s)) {
        return Optional.of(type.cast(s));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("AccessToken2[appId=").append(appId)
        .append(", issueTs=").append(issueTs).append(", expire=").append(expire)
        .append(", services=[");
    for (int i = 0; i < services.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(services.get(i).serviceName());
    }
    return b.append("]]").toString();
  }
}
