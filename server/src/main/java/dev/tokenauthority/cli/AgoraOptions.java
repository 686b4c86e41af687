package dev.tokenauthority.cli;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.AgoraLimits;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** Options every Agora mint subcommand shares. */
final class AgoraOptions {
  @Option(names = "--app-id", required = true, paramLabel = "ID", description = "Agora app id (32 hex characters).")
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

  /** With the "006" builder's absolute privilege expiry, when given (006 only). */
  IssueOverrides overrides(TokenFormat format, Long privilegeExpiredTs) {
    if (privilegeExpiredTs == null) {
      return overrides();
    }
    if (format != TokenFormat.AGORA_006) {
      throw new ExitCodes.UsageException("privilege-expired-ts: only with --format 006");
    }
    if (privilegeExpiredTs < 0 || privilegeExpiredTs > AgoraLimits.MAX_U32) {
      throw new ExitCodes.UsageException("privilege-expired-ts: must be unix seconds from 0 to 4294967295");
    }
    return overrides().withPrivilegeExpiredTs(privilegeExpiredTs);
  }

  static final String EXPIRE_HELP = "Token lifetime, 1-86400. With --format 006 also 0: the vendor default "
      + "(privileges packed with 0; the token is valid 24 h from issue, as every 006 token).";

  static final String PRIVILEGE_EXPIRED_TS_HELP = "006 only: the vendor builder's absolute privilegeExpiredTs, "
      + "packed as is into every privilege instead of issue time + lifetime (0 = vendor default; the vendor "
      + "caps the token at 24 h from issue). For reproducing the vendor's output.";

  static TokenFormat format(String format) {
    return switch (format) {
      case "007" -> TokenFormat.AGORA_007;
      case "006" -> TokenFormat.AGORA_006;
      default -> throw new ExitCodes.UsageException("format: must be 007 or 006");
    };
  }
}
