package dev.tokenauthority.cli;

import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.ChatTokenRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "agora-chat", description = "Mint an Agora Chat user or app token (007).", mixinStandardHelpOptions = true)
final class MintAgoraChatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AgoraOptions agora;

  @ArgGroup(exclusive = true, multiplicity = "1") Kind kind;

  static final class Kind {
    @Option(names = "--user-uuid", paramLabel = "UUID", description = "User token for this chat user UUID.") String userUuid;
    @Option(names = "--app", description = "App token (REST calls).") boolean app;
  }

  @Option(names = "--expire", required = true, paramLabel = "SECONDS", description = "Token lifetime in seconds.")
  long expire;

  @Override
  public Integer call() {
    ChatTokenRequest request =
        new ChatTokenRequest(Optional.ofNullable(kind.userUuid), expire, agora.overrides());
    String token = AgoraTokenIssuer.withSystemDefaults().issueChat(agora.credentials(), request).token();
    spec.commandLine().getOut().println(token);
    return Main.EXIT_OK;
  }
}
