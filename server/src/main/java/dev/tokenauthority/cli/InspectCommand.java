package dev.tokenauthority.cli;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenParser;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Envelope;
import dev.tokenauthority.core.zego04.Token04Parser;
import dev.tokenauthority.core.zego04.Token04Verifier;
import dev.tokenauthority.core.zego04.ZegoToken04;
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

  @Option(names = "--secret-env", paramLabel = "VAR", description = "ZEGO server secret.")
  String secretEnv;

  @Option(names = "--client-id", description = "Easemob Client ID (with --client-secret-env).")
  String clientId;

  @Option(names = "--client-secret-env", paramLabel = "VAR", description = "Easemob ClientSecret.")
  String clientSecretEnv;

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
    String text = "-".equals(token) ? readStdin() : token.strip();
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(at), ZoneOffset.UTC);

    Inspection report = switch (detect(text)) {
      case AGORA_007 -> agora007(text, clock);
      case AGORA_006 -> agora006(text, clock);
      case ZEGO_04 -> zego(text, clock);
      case EASEMOB_DT -> easemob(text, clock);
    };
    spec.commandLine().getOut().println(json ? report.toJson() : report.toText());
    if (report.failedVerification()) {
      spec.commandLine().getErr().println("error: token: not verified (" + report.verificationError() + ")");
      return Main.EXIT_BAD_TOKEN;
    }
    return Main.EXIT_OK;
  }

  static TokenFormat detect(String token) {
    if (token.startsWith(AccessToken2.VERSION)) {
      return TokenFormat.AGORA_007;
    }
    if (token.startsWith(LegacyAccessToken.VERSION)) {
      return TokenFormat.AGORA_006;
    }
    if (token.startsWith(Token04Parser.PREFIX)) {
      return TokenFormat.ZEGO_04;
    }
    if (token.startsWith("ZHQt")) { // base64 of "dt-"
      return TokenFormat.EASEMOB_DT;
    }
    throw new MalformedTokenException("UNKNOWN_FORMAT", "token: not an Agora 007/006, ZEGO 04 or Easemob dt- token");
  }

  private Inspection agora007(String text, Clock clock) {
    refuseOtherCredentials(TokenFormat.AGORA_007, certificateEnv != null);
    AccessToken2 t = AccessToken2.parse(text);
    Inspection report = new Inspection(TokenFormat.AGORA_007).claims(t).detail("salt", t.salt());
    if (certificateEnv != null) {
      List<Secret> certs = List.of(EnvSecrets.system().read("certificate-env", certificateEnv));
      verify(report, () -> new AccessToken2Verifier(clock).verify(t, certs).matchedCredential());
    }
    return report;
  }

  private Inspection agora006(String text, Clock clock) {
    refuseOtherCredentials(TokenFormat.AGORA_006, certificateEnv != null);
    LegacyAccessToken t = LegacyAccessToken.parse(text);
    Inspection report = new Inspection(TokenFormat.AGORA_006).claims(t).detail("salt", t.salt()).detail("ts", t.ts());
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
    return report;
  }

  private Inspection zego(String text, Clock clock) {
    refuseOtherCredentials(TokenFormat.ZEGO_04, secretEnv != null);
    Token04Envelope envelope = Token04Parser.parse(text);
    Inspection report = new Inspection(TokenFormat.ZEGO_04).expiryOnly(envelope.expiresAt());
    if (secretEnv != null) {
      Token04Verifier verifier = Token04Verifier.builder()
          .serverSecret(EnvSecrets.system().read("secret-env", secretEnv)).clock(clock).build();
      verify(report, () -> {
        // Decrypt first, so an authentic but expired token still shows its fields.
        ZegoToken04 t = verifier.decrypt(envelope).claims();
        report.claims(t).detail("nonce", t.nonce()).detail("user_id", t.userId())
            .detail("room_id", t.room().map(r -> r.roomId()).orElse(null))
            .detail("stream_ids", t.room().map(r -> r.streamIds()).orElse(null));
        return verifier.verify(envelope, Duration.ZERO).matchedCredential();
      });
    }
    return report;
  }

  private Inspection easemob(String text, Clock clock) {
    refuseOtherCredentials(TokenFormat.EASEMOB_DT, clientId != null);
    DynamicToken t = DynamicTokenParser.parse(text);
    Inspection report = new Inspection(TokenFormat.EASEMOB_DT).claims(t)
        .detail("appkey", t.appKey()).detail("user_id", t.userId()).detail("ttl", t.ttlSeconds());
    if (clientId != null) {
      ClientCredential credential =
          new ClientCredential(clientId, EnvSecrets.system().read("client-secret-env", clientSecretEnv));
      verify(report, () -> DynamicTokenVerifier.builder().credential(credential).clock(clock).build()
          .verify(t, Duration.ZERO).matchedCredential());
    }
    return report;
  }

  /** A credential for another vendor is a usage mistake, not a failed verification. */
  private void refuseOtherCredentials(TokenFormat format, boolean ownGiven) {
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
