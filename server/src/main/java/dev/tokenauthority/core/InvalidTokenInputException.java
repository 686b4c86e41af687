package dev.tokenauthority.core;

/** A builder input breaks a rule; names the field (as the builder calls it) and the rule. */
public final class InvalidTokenInputException extends TokenException {
  private final String field;

  public InvalidTokenInputException(String field, String reason, String message) {
    super(reason, field + ": " + message, null);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
