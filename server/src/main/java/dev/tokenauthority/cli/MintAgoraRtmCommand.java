package dev.tokenauthority.cli;

import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.RtmTokenRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "agora-rtm", description = "Mint an Agora RTM login token (007 or 006).", mixinStandardHelpOptions = true)
final class MintAgoraRtmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AgoraOptions agora;

  @Option(names = "--user-id", required = true, paramLabel = "USER", description = "The RTM user id the client logs in as.")
  String userId;
  @Option(names = "--expire", required = true, paramLabel = "SECONDS", description = AgoraOptions.EXPIRE_HELP)
  long expire;
  @Option(names = "--format", paramLabel = "007|006", defaultValue = "007", description = "007 (default) or 006.") String format;
  @Option(names = "--privilege-expired-ts", paramLabel = "UNIX", description = AgoraOptions.PRIVILEGE_EXPIRED_TS_HELP)
  Long privilegeExpiredTs;

  @Override
  public Integer call() {
    TokenFormat tokenFormat = AgoraOptions.format(format);
    RtmTokenRequest request =
        new RtmTokenRequest(userId, expire, tokenFormat, agora.overrides(tokenFormat, privilegeExpiredTs));
    String token = AgoraTokenIssuer.withSystemDefaults().issueRtm(agora.credentials(), request).token();
    spec.commandLine().getOut().println(token);
    return Main.EXIT_OK;
  }
}
