package dev.tokenauthority.core.agora006;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraValidation;
import dev.tokenauthority.core.agora.LittleEndianReader;
import dev.tokenauthority.core.agora.StrictBase64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A legacy Agora AccessToken ("006"), parsed or freshly built. Immutable.
 *
 * <p>Privilege values and {@code ts} are absolute unix times (0 = no limit). The token does not
 * record its issue time: by the vendor's convention {@code ts = issued + 24 h}, so {@link
 * #issuedAt()} reports {@code ts - 86400} and {@link #expiresAt()} reports {@code ts}. It carries
 * only CRC-32s of the channel name and uid text: {@link #subject()} and {@link #channel()} are
 * empty unless the token came out of {@link LegacyAccessTokenVerifier}, which attaches the
 * binding it checked.
 */
public final class LegacyAccessToken implements TokenClaims {
  public static final String VERSION = "006";
  /** The vendor convention between issue time and {@code ts}. */
  public static final long TS_OFFSET_SECONDS = 86_400;
  static final int MAX_TOKEN_CHARS = 32 * 1024;
  private static final int APP_ID_LENGTH = 32;

  private final String appId;
  private final long crcChannelName;
  private final long crcUid;
  private final long salt;
  private final long ts;
  private final SortedMap<Integer, Long> privileges;
  private final byte[] signature;
  private final byte[] message;
  private final Binding binding;

  /** What a token is bound to: channel name (RTM: the account) and uid text (RTM: ""). */
  public record Binding(String channelName, String uid) {
    public Binding {
      java.util.Objects.requireNonNull(channelName, "channelName");
      java.util.Objects.requireNonNull(uid, "uid");
    }
  }

  LegacyAccessToken(String appId, long crcChannelName, long crcUid, long salt, long ts,
      SortedMap<Integer, Long> privileges, byte[] signature, byte[] message, Binding binding) {
    this.appId = appId;
    this.crcChannelName = crcChannelName;
    this.crcUid = crcUid;
    this.salt = salt;
    this.ts = ts;
    this.privileges = privileges;
    this.signature = signature;
    this.message = message;
    this.binding = binding;
  }

  /**
   * Reads a "006" token. Throws only {@link MalformedTokenException}: wrong version, app id not 32
   * hex characters, bad base64, lengths past the end, trailing bytes, duplicate privileges.
   */
  public static LegacyAccessToken parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedTokenException("EMPTY_TOKEN", "no token given");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new MalformedTokenException("TOKEN_TOO_LARGE", "token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    if (!token.startsWith(VERSION)) {
      throw new MalformedTokenException("WRONG_VERSION", "not an AccessToken (\"006\") token");
    }
    int bodyStart = VERSION.length() + APP_ID_LENGTH;
    if (token.length() < bodyStart) {
      throw new MalformedTokenException("TRUNCATED", "token ends inside the app id");
    }
    String appId = token.substring(VERSION.length(), bodyStart);
    if (!AgoraValidation.isHex32(appId)) {
      throw new MalformedTokenException("BAD_APP_ID", "app id is not 32 hexadecimal characters");
    }
    byte[] content = StrictBase64.decode(token, bodyStart);
    LittleEndianReader in = new LittleEndianReader(content, 0, content.length);
    byte[] signature = in.bytes();
    if (signature.length != 32) {
      throw new MalformedTokenException("BAD_SIGNATURE_LENGTH", "signature is not 32 bytes");
    }
    long crcChannel = in.u32();
    long crcUid = in.u32();
    byte[] message = in.bytes();
    in.expectEnd();

    LittleEndianReader msg = new LittleEndianReader(message, 0, message.length);
    long salt = msg.u32();
    long ts = msg.u32();
    SortedMap<Integer, Long> privileges = msg.map();
    msg.expectEnd();
    return new LegacyAccessToken(appId, crcChannel, crcUid, salt, ts, privileges, signature, message, null);
  }

  LegacyAccessToken withBinding(Binding binding) {
    return new LegacyAccessToken(
        appId, crcChannelName, crcUid, salt, ts, privileges, signature, message, binding);
  }

  @Override
  public TokenFormat format() {
    return TokenFormat.AGORA_006;
  }

  @Override
  public String appId() {
    return appId;
  }

  /** CRC-32 (IEEE) of the channel name's UTF-8 bytes (RTM: of the account). */
  public long crcChannelName() {
    return crcChannelName;
  }

  /** CRC-32 of the uid text ("" for uid 0 and for RTM tokens, whose CRC is 0). */
  public long crcUid() {
    return crcUid;
  }

  public long salt() {
    return salt;
  }

  /** Message timestamp, absolute unix seconds; conventionally issue time + 24 h. */
  public long ts() {
    return ts;
  }

  /** Privilege key → absolute expiry in unix seconds (0 = none). */
  public SortedMap<Integer, Long> privilegeMap() {
    return privileges;
  }

  /** The binding checked by the verifier, if this instance came from it. */
  public Optional<Binding> binding() {
    return Optional.ofNullable(binding);
  }

  /** True for an RTM token (only privilege 1000): the binding's channel is then the account. */
  public boolean isRtm() {
    return privileges.size() == 1 && privileges.containsKey(LegacyPrivilege.RTM_LOGIN);
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** Documented convention: {@code ts - 86400} (the token itself does not carry its issue time). */
  @Override
  public Instant issuedAt() {
    return Instant.ofEpochSecond(Math.max(0, ts - TS_OFFSET_SECONDS));
  }

  @Override
  public Instant expiresAt() {
    return Instant.ofEpochSecond(ts);
  }

  /** The uid text (RTC) or account (RTM) once verified with a binding; "" before. */
  @Override
  public String subject() {
    if (binding == null) return "";
    return isRtm() ? binding.channelName() : binding.uid();
  }

  /** The channel name once verified with a binding (never for RTM tokens). */
  @Override
  public Optional<String> channel() {
    return binding == null || isRtm() ? Optional.empty() : Optional.of(binding.channelName());
  }

  @Override
  public List<Privilege> privileges() {
    List<Privilege> out = new ArrayList<>(privileges.size());
    for (Map.Entry<Integer, Long> p : privileges.entrySet()) {
      long at = p.getValue();
      out.add(new Privilege(LegacyPrivilege.serviceName(p.getKey()), LegacyPrivilege.name(p.getKey()),
          p.getKey(), at == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(at))));
    }
    return List.copyOf(out);
  }

  byte[] message() {
    return message;
  }

  boolean signatureMatches(byte[] candidate) {
    return dev.tokenauthority.core.agora.HmacSha256.equal(signature, candidate);
  }

  @Override
  public String toString() {
    return "LegacyAccessToken[appId=" + appId + ", ts=" + ts + ", privileges=" + privileges.keySet() + "]";
  }
}
