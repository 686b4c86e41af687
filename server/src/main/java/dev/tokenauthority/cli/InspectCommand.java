package dev.tokenauthority.cli;

import picocli.CommandLine.Command;

/** Decodes any supported token and, given a credential, verifies it. */
@Command(name = "inspect", description = "Decode a token; with a credential, verify it.")
final class InspectCommand {}
