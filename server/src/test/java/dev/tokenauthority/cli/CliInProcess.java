package dev.tokenauthority.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the CLI's real command tree ({@link Main#commandLine()}: the same subcommands, exit codes
 * and error handlers as the jar) in this JVM with captured stdout/stderr and an environment of its
 * own, so a test can run hundreds of commands without a JVM each. {@link CliProcess} runs the jar.
 * Every run checks that no secret passed through the environment shows up in the output.
 */
final class CliInProcess implements Cli {
  private final Map<String, String> env = new LinkedHashMap<>();

  /** Puts a secret in the environment of every following run. */
  CliInProcess env(String name, String secret) {
    env.put(name, secret);
    return this;
  }

  @Override
  public CliProcess.Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
      code = Main.run(env, o, e, args);
    }
    CliProcess.Result r = new CliProcess.Result(code, out.toString(), err.toString());
    for (String secret : env.values()) {
      assertThat(r.stdout()).as("stdout must not contain a secret").doesNotContain(secret);
      assertThat(r.stderr()).as("stderr must not contain a secret").doesNotContain(secret);
    }
    return r;
  }
}
