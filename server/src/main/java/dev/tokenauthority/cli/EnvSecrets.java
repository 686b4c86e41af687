package dev.tokenauthority.cli;

import dev.tokenauthority.core.Secret;
import java.util.Map;

/**
 * Credentials come only from environment variables named on the command line, never from argv,
 * where any user of the machine could read them in the process list.
 */
final class EnvSecrets {
  private final Map<String, String> env;

  EnvSecrets(Map<String, String> env) {
    this.env = env;
  }

  static EnvSecrets system() {
    return new EnvSecrets(System.getenv());
  }

  /** The secret held by {@code variable}; {@code flag} names the option in the error message. */
  Secret read(String flag, String variable) {
    String value = env.get(variable);
    if (value == null || value.isEmpty()) {
      throw new ExitCodes.UsageException(flag + ": environment variable " + variable + " is not set or empty");
    }
    return new Secret("primary", value);
  }
}
