package dev.tokenauthority.server.tokens;

import dev.tokenauthority.core.TokenClaims;

/** A freshly built token and what it says (read from the builder, not re-parsed). */
public record Minted(String token, TokenClaims claims) {
  @Override
  public String toString() {
    return "Minted[" + claims.format().id() + "]"; // never the token itself
  }
}
