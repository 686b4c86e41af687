package dev.tokenauthority.server.tokens;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A grant already checked against its vendor's rules, not yet signed: handlers prepare, authorise
 * the caller, and only then ask {@link TokenEngine#sign}, so no signer runs for a refused call.
 */
public final class PreparedToken {
  private final Supplier<Minted> signer;

  PreparedToken(Supplier<Minted> signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
  }

  Minted sign() {
    return signer.get();
  }

  @Override
  public String toString() {
    return "PreparedToken";
  }
}
