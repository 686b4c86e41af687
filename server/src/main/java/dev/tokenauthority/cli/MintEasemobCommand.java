package dev.tokenauthority.cli;

import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "easemob", description = "Mint an Easemob dynamic (dt-) user token.", mixinStandardHelpOptions = true)
final class MintEasemobCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--appkey", required = true, paramLabel = "ORG#APP", description = "Easemob app key.") String appKey;
  @Option(names = "--client-id", required = true, paramLabel = "ID", description = "Easemob Client ID.") String clientId;
  @Option(names = "--client-secret-env", required = true, paramLabel = "VAR",
      description = "Environment variable holding the ClientSecret.") String clientSecretEnv;
  @Option(names = "--user-id", required = true, paramLabel = "USER", description = "The Easemob user id.") String userId;
  @Option(names = "--ttl", required = true, paramLabel = "SECONDS", description = "Token lifetime in seconds (at most 30 days).")
  long ttl;
  @Option(names = "--issued-at", paramLabel = "UNIX", description = "Fixed curTime (default: now).") Long issuedAt;

  @Override
  public Integer call() {
    DynamicTokenBuilder b = DynamicToken.builder().appKey(appKey).clientId(clientId).userId(userId).ttlSeconds(ttl);
    if (issuedAt != null) {
      b.issuedAt(issuedAt);
    }
    b.clientSecret(EnvSecrets.system().read("client-secret-env", clientSecretEnv));
    spec.commandLine().getOut().println(b.build().token());
    return Main.EXIT_OK;
  }
}
