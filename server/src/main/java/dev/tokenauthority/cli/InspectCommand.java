package dev.tokenauthority.cli;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Envelope;
import dev.tokenauthority.core.zego04.Token04Verifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Decodes any supported token and, given a credential, verifies it. Exit 0 when decoded (and
 * verified, if a credential was given), 3 when unreadable or not verified, 2 for bad usage.
 */
@Command(name = "inspect", description = "Decode a token; with a credential, verify it.", mixinStandardHelpOptions = true)
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOKEN", description = "The token, or - to read it from stdin.")
  String token;

  @Option(names = "--certificate-env", paramLabel = "VAR", description = "Agora app certificate (007, 006).")
  String certificateEnv;

  @Option(names = "--secret-env", paramLabel = "VAR", description = "ZEGO server secret (with --app-id).")
  String secretEnv;

  // Token04 has no MAC: an edited iv changes the app id in the first CBC block and still decrypts,
  // so a ZEGO token is only verified against an app id the operator names.
  @Option(names = "--app-id", description = "ZEGO only: the app id the token must be for (with --secret-env).")
  Long zegoAppId;

  @Option(names = "--client-id", description = "Easemob Client ID (with --client-secret-env and --appkey).")
  String clientId;

  @Option(names = "--client-secret-env", paramLabel = "VAR", description = "Easemob ClientSecret.")
  String clientSecretEnv;

  // The signature does not separate its fields, so the app name's tail could move into the user id.
  @Option(names = "--appkey", paramLabel = "ORG#APP", description = "Easemob only: the app key the token must be for.")
  String appKey;

  @Option(names = "--channel", description = "006 only: the channel name (RTM: the account) the token is for.")
  String channel;

  @Option(names = "--uid", description = "006 only: the uid text the token is for (\"\" for uid 0 and RTM).")
  String uid = "";

  @Option(names = "--at", paramLabel = "UNIX", description = "Check expiry as of this time (default: now).")
  Long at;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    int credentials = (certificateEnv != null ? 1 : 0) + (secretEnv != null ? 1 : 0)
        + (clientId != null || clientSecretEnv != null ? 1 : 0);
    if (credentials > 1) {
      throw new ExitCodes.UsageException("credential: give at most one of --certificate-env, --secret-env, --client-id/--client-secret-env");
    }
    if ((clientId == null) != (clientSecretEnv == null)) {
      throw new ExitCodes.UsageException("client-id: --client-id and --client-secret-env go together");
    }
    if ((secretEnv == null) != (zegoAppId == null)) {
      throw new ExitCodes.UsageException(
          "app-id: --secret-env and --app-id go together (a ZEGO token does not authenticate its app id)");
    }
    if ((clientId == null) != (appKey == null)) {
      throw new ExitCodes.UsageException(
          "appkey: --client-id and --appkey go together (the app key is checked against the one you name)");
    }
    String text = "-".equals(token) ? readStdin() : token.strip();
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(at), ZoneOffset.UTC);

    // A credential of the wrong vendor is bad usage (exit 2) even when the token is also unreadable.
    refuseOtherCredentials(AnyToken.detect(text));
    AnyToken parsed = AnyToken.parse(text);
    Inspection report = Inspection.of(parsed);
    switch (parsed.format()) {
      case AGORA_007 -> verify007(parsed.asAgora007().orElseThrow(), report, clock);
      case AGORA_006 -> verify006(parsed.asAgora006().orElseThrow(), report, clock);
      case ZEGO_04 -> verifyZego(parsed.asZego04().orElseThrow(), report, clock);
      case EASEMOB_DT -> verifyEasemob(parsed.asEasemobDynamic().orElseThrow(), report, clock);
    }
    spec.commandLine().getOut().println(json ? report.toJson() : report.toText());
    if (report.failedVerification()) {
      spec.commandLine().getErr().println("error: token: not verified (" + report.verificationError() + ")");
      return Main.EXIT_BAD_TOKEN;
    }
    return Main.EXIT_OK;
  }

  private void verify007(AccessToken2 t, Inspection report, Clock clock) {
    if (certificateEnv != null) {
      List<Secret> certs = List.of(EnvSecrets.system().read("certificate-env", certificateEnv));
      verify(report, () -> new AccessToken2Verifier(clock).verify(t, certs).matchedCredential());
    }
  }

  private void verify006(LegacyAccessToken t, Inspection report, Clock clock) {
    if (certificateEnv != null) {
      if (channel == null) {
        throw new ExitCodes.UsageException("channel: a 006 token is verified against --channel (and --uid)");
      }
      List<Secret> certs = List.of(EnvSecrets.system().read("certificate-env", certificateEnv));
      verify(report, () -> {
        VerifiedToken<LegacyAccessToken> v = new LegacyAccessTokenVerifier(clock).verify(t, channel, uid, certs);
        report.claims(v.claims());
        return v.matchedCredential();
      });
    }
  }

  private void verifyZego(Token04Envelope envelope, Inspection report, Clock clock) {
    if (secretEnv != null) {
      Token04Verifier verifier = Token04Verifier.builder()
          .serverSecret(EnvSecrets.system().read("secret-env", secretEnv)).expectedAppId(zegoAppId)
          .clock(clock).build();
      verify(report, () -> {
        // Decrypt first, so an authentic but expired token still shows its fields.
        report.decrypted(verifier.decrypt(envelope).claims());
        return verifier.verify(envelope, Duration.ZERO).matchedCredential();
      });
    }
  }

  private void verifyEasemob(DynamicToken t, Inspection report, Clock clock) {
    if (clientId != null) {
      ClientCredential credential =
          new ClientCredential(clientId, EnvSecrets.system().read("client-secret-env", clientSecretEnv));
      verify(report, () -> DynamicTokenVerifier.builder().credential(credential).expectedAppKey(appKey)
          .clock(clock).build().verify(t, Duration.ZERO).matchedCredential());
    }
  }

  /** A credential for another vendor is a usage mistake, not a failed verification. */
  private void refuseOtherCredentials(TokenFormat format) {
    boolean ownGiven = switch (format) {
      case AGORA_007, AGORA_006 -> certificateEnv != null;
      case ZEGO_04 -> secretEnv != null;
      case EASEMOB_DT -> clientId != null;
    };
    boolean anyGiven = certificateEnv != null || secretEnv != null || clientId != null;
    if (anyGiven && !ownGiven) {
      String own = switch (format) {
        case AGORA_007, AGORA_006 -> "--certificate-env";
        case ZEGO_04 -> "--secret-env";
        case EASEMOB_DT -> "--client-id with --client-secret-env";
      };
      throw new ExitCodes.UsageException("credential: a " + format.id() + " token is verified with " + own);
    }
  }

  private interface Check {
    String run();
  }

  private static void verify(Inspection report, Check check) {
    try {
      report.verified(check.run());
    } catch (TokenVerificationException e) {
      report.notVerified(e.reason());
    }
  }

  private static String readStdin() {
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new ExitCodes.UsageException("token: nothing on stdin");
      }
      return line.strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
