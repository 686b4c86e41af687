package dev.tokenauthority.cli;

import picocli.CommandLine.Command;

/** Offline token minting; subcommands per vendor format. */
@Command(name = "mint", description = "Mint a token offline and print it on stdout.")
final class MintCommand {}
