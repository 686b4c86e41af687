package dev.tokenauthority.cli;

import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable: {@code serve} runs the gRPC service, {@code mint} and {@code inspect} work
 * offline on tokens. Exit codes: 0 ok, 2 bad usage or invalid input, 3 token unreadable or not
 * verified.
 */
@Command(
    name = "token-authority",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Issues, renews and inspects Agora, ZEGO and Easemob access tokens.",
    subcommands = {ServeCommand.class, MintCommand.class, InspectCommand.class})
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_BAD_TOKEN = 3;

  public static void main(String[] args) {
    // Before anything creates a logger, so the server's shutdown hook can log its drain.
    LogSetup.selectLogManager();
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExitCodeExceptionMapper(ExitCodes::forException);
    cli.setParameterExceptionHandler(ExitCodes::onParameterException);
    cli.setExecutionExceptionHandler(ExitCodes::onExecutionException);
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"token-authority " + (v == null ? "dev" : v)};
    }
  }
}
