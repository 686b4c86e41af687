package dev.tokenauthority.cli;

import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.ServeCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one executable: {@code serve} runs the gRPC service, {@code mint} and {@code inspect} work
 * offline on tokens. Exit codes: 0 ok, 2 bad usage or invalid input, 3 token unreadable or not
 * verified. Without a subcommand it prints its usage on stderr (exit 2).
 */
@Command(
    name = "token-authority",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Issues, renews and inspects Agora, ZEGO and Easemob access tokens.",
    subcommands = {ServeCommand.class, MintCommand.class, InspectCommand.class})
public final class Main implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_BAD_TOKEN = 3;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    // Before anything creates a logger, so the server's shutdown hook can log its drain.
    LogSetup.selectLogManager();
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * Runs the real command tree in this JVM with the given environment (where {@code --*-env} flags
   * look for credentials) and output streams: what the jar does, minus the process. For tests.
   */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return EnvSecrets.withEnvironment(env, () -> cli.execute(args));
  }

  /** The command tree with the documented exit codes and one-line errors. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExitCodeExceptionMapper(ExitCodes::forException);
    cli.setParameterExceptionHandler(ExitCodes::onParameterException);
    cli.setExecutionExceptionHandler(ExitCodes::onExecutionException);
    return cli;
  }

  /** No subcommand: the usage, on stderr, as bad usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"token-authority " + (v == null ? "dev" : v)};
    }
  }
}
