package dev.tokenauthority.core.detect;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenParser;
import dev.tokenauthority.core.zego04.Token04Envelope;
import dev.tokenauthority.core.zego04.Token04Parser;
import java.time.Instant;
import java.util.Optional;

/**
 * A token of any supported format, read without credentials: the format-detecting parse facade
 * for callers (RenewToken, InspectToken) that are handed a token of unknown kind.
 *
 * <p>What can be read without a credential differs by format: Agora 007/006 and Easemob dynamic
 * tokens carry their claims in the clear ({@link #claims()}); a ZEGO Token04 is encrypted, so only
 * its envelope (clear expiry header) is known until a verifier decrypts it.
 */
public final class AnyToken {
  /** Easemob dynamic tokens are base64url("dt-" + JSON): always start with base64("dt-"). */
  private static final String EASEMOB_DT_PREFIX = "ZHQt";

  private final TokenFormat format;
  private final Object parsed;

  private AnyToken(TokenFormat format, Object parsed) {
    this.format = format;
    this.parsed = parsed;
  }

  /**
   * Detects the format by its prefix and parses. Throws only {@link MalformedTokenException};
   * UNKNOWN_FORMAT when no format claims the prefix.
   */
  public static AnyToken parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new MalformedTokenException("EMPTY_TOKEN", "no token given");
    }
    if (token.startsWith(AccessToken2.VERSION)) {
      return new AnyToken(TokenFormat.AGORA_007, AccessToken2.parse(token));
    }
    if (token.startsWith(LegacyAccessToken.VERSION)) {
      return new AnyToken(TokenFormat.AGORA_006, LegacyAccessToken.parse(token));
    }
    if (token.startsWith(Token04Parser.PREFIX)) {
      return new AnyToken(TokenFormat.ZEGO_04, Token04Parser.parse(token));
    }
    if (token.startsWith(EASEMOB_DT_PREFIX)) {
      return new AnyToken(TokenFormat.EASEMOB_DT, DynamicTokenParser.parse(token));
    }
    throw new MalformedTokenException("UNKNOWN_FORMAT",
        "not a 007, 006, ZEGO 04 or Easemob dynamic token");
  }

  public TokenFormat format() {
    return format;
  }

  /** Claims readable without a credential; empty for ZEGO Token04 (encrypted). Unverified! */
  public Optional<TokenClaims> claims() {
    return parsed instanceof TokenClaims c ? Optional.of(c) : Optional.empty();
  }

  /** The vendor app id when it is in the clear (all but ZEGO). */
  public Optional<String> appId() {
    return claims().map(TokenClaims::appId);
  }

  /** The expiry as the token states it (for ZEGO the clear header, unauthenticated). */
  public Instant statedExpiry() {
    return parsed instanceof Token04Envelope e ? e.expiresAt() : ((TokenClaims) parsed).expiresAt();
  }

  public Optional<AccessToken2> asAgora007() {
    return cast(AccessToken2.class);
  }

  public Optional<LegacyAccessToken> asAgora006() {
    return cast(LegacyAccessToken.class);
  }

  public Optional<Token04Envelope> asZego04() {
    return cast(Token04Envelope.class);
  }

  public Optional<DynamicToken> asEasemobDynamic() {
    return cast(DynamicToken.class);
  }

  private <T> Optional<T> cast(Class<T> type) {
    return type.isInstance(parsed) ? Optional.of(type.cast(parsed)) : Optional.empty();
  }

  @Override
  public String toString() {
    return "AnyToken[" + format.id() + "]";
  }
}
