package dev.tokenauthority.cli;

import picocli.CommandLine.Command;

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
final class MintCommand {}
