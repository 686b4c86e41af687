package dev.tokenauthority.cli;

import dev.tokenauthority.core.Secret;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Credentials come only from environment variables named on the command line, never from argv,
 * where any user of the machine could read them in the process list.
 */
final class EnvSecrets {
  /** The environment an in-process run was given (see Main's run with an environment); per thread. */
  private static final ThreadLocal<Map<String, String>> IN_PROCESS = new ThreadLocal<>();

  private final Map<String, String> env;

  EnvSecrets(Map<String, String> env) {
    this.env = env;
  }

  /** The process environment, or the one an in-process run on this thread was given. */
  static EnvSecrets system() {
    Map<String, String> given = IN_PROCESS.get();
    return new EnvSecrets(given != null ? given : System.getenv());
  }

  /** Runs {@code body} on this thread with {@code env} as the environment {@link #system()} reads. */
  static int withEnvironment(Map<String, String> env, IntSupplier body) {
    Map<String, String> previous = IN_PROCESS.get();
    IN_PROCESS.set(Map.copyOf(env));
    try {
      return body.getAsInt();
    } finally {
      if (previous == null) {
        IN_PROCESS.remove();
      } else {
        IN_PROCESS.set(previous);
      }
    }
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
