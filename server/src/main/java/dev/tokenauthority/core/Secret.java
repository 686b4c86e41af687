package dev.tokenauthority.core;

import java.util.Objects;

/**
 * A credential value (app certificate, server secret, client secret) with a label that is safe to
 * log, such as "primary" or "secondary". {@link #toString()} never reveals the value, so a secret
 * that slips into a log line or an exception message shows up as its label only.
 */
public final class Secret {
  private final String label;
  private final String value;

  public Secret(String label, String value) {
    this.label = Objects.requireNonNull(label, "label");
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret("primary", value);
  }

  public String label() {
    return label;
  }

  /** The secret itself; call only where it is used as key material. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret[" + label + "]";
  }
}
