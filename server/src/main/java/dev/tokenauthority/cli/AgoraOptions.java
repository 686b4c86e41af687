package dev.tokenauthority.cli;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** Options every Agora mint subcommand shares. */
final class AgoraOptions {
  @Option(names = "--app-id", required = true, description = "Agora app id (32 hex characters).")
  String appId;

  @Option(names = "--certificate-env", required = true, paramLabel = "VAR",
      description = "Environment variable holding the app certificate.")
  String certificateEnv;

  @Option(names = "--issued-at", paramLabel = "UNIX", description = "Fixed issue time (default: now).")
  Long issuedAt;

  @Option(names = "--salt", paramLabel = "N", description = "Fixed salt (default: random).")
  Long salt;

  AgoraCredentials credentials() {
    return new AgoraCredentials(appId, EnvSecrets.system().read("certificate-env", certificateEnv));
  }

  IssueOverrides overrides() {
    return new IssueOverrides(
        issuedAt == null ? OptionalLong.empty() : OptionalLong.of(issuedAt),
        salt == null ? OptionalLong.empty() : OptionalLong.of(salt));
  }

  static TokenFormat format(String format) {
    return switch (format) {
      case "007" -> TokenFormat.AGORA_007;
      case "006" -> TokenFormat.AGORA_006;
      default -> throw new ExitCodes.UsageException("format: must be 007 or 006");
    };
  }
}
