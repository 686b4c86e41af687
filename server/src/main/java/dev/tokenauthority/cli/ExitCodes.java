package dev.tokenauthority.cli;

import dev.tokenauthority.core.InvalidTokenInputException;
import dev.tokenauthority.core.TokenException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Maps failures to the documented exit codes and prints one line on stderr, never a stack trace. */
final class ExitCodes {
  private ExitCodes() {}

  static int forException(Throwable t) {
    if (t instanceof InvalidTokenInputException || t instanceof UsageException) {
      return Main.EXIT_USAGE;
    }
    if (t instanceof TokenException) {
      return Main.EXIT_BAD_TOKEN;
    }
    return 1;
  }

  static int onParameterException(ParameterException e, String[] args) {
    e.getCommandLine().getErr().println("error: " + e.getMessage());
    return Main.EXIT_USAGE;
  }

  static int onExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    // One line, naming the field and the stable reason; token-core messages never hold secrets.
    String line = "error: " + e.getMessage();
    if (e instanceof TokenException te) {
      line += " (" + te.reason() + ")";
    }
    cmd.getErr().println(line.replace('\n', ' '));
    return forException(e);
  }

  /** Bad usage found after parsing, e.g. a named environment variable that is not set. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
