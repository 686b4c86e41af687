package dev.tokenauthority.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Offline token minting; subcommands per vendor format. Each prints only the token on stdout. */
@Command(
    name = "mint",
    description = "Mint a token offline and print it on stdout.",
    mixinStandardHelpOptions = true,
    subcommands = {
      MintAgoraRtcCommand.class,
      MintAgoraRtmCommand.class,
      MintAgoraChatCommand.class,
      MintZegoCommand.class,
      MintEasemobCommand.class
    })
final class MintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** No vendor named: the usage, on stderr, as bad usage. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.EXIT_USAGE;
  }
}
