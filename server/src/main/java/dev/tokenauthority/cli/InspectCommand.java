package dev.tokenauthority.cli;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import dev.tokenauthority.core.TokenVerificationException;
import dev.tokenauthority.core.VerifiedToken;
import dev.tokenauthority.core.agora006.LegacyAccessToken;
import dev.tokenauthority.core.agora006.LegacyAccessTokenVerifier;
import dev.tokenauthority.core.agora007.AccessToken2;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.detect.AnyToken;
import dev.tokenauthority.core.diagnose.Finding;
import dev.tokenauthority.core.diagnose.IntendedUse;
import dev.tokenauthority.core.diagnose.UseDiagnoser;
import dev.tokenauthority.core.easemobdt.ClientCredential;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import dev.tokenauthority.core.easemobdt.DynamicTokenVerifier;
import dev.tokenauthority.core.zego04.Token04Envelope;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Decodes any supported token and, given a credential, verifies it. Exit 0 when decoded (and
 * verified, if a credential was given), 3 when unreadable or not verified, 2 for bad usage. With
 * {@code --expect-*}: exit 0 when the vendor would accept that use, 3 when not (findings printed).
 */
@Command(name = "inspect", description = "Decode a token; with a credential, verify it; with --expect-*, "
    + "say whether the vendor would accept that use.", mixinStandardHelpOptions = true)
final class InspectCommand implements Callable<Integer> {
  /** Verification failures that say "not at this moment" rather than "not authentic". */
  private static final Set<String> TIME_REASONS = Set.of(TokenVerificationException.TOKEN_EXPIRED,
      TokenVerificationException.PRIVILEGE_EXPIRED, TokenVerificationException.NOT_YET_VALID);

  @Spec CommandSpec spec;

  @Mixin ExpectOptions expect = new ExpectOptions();

  /** The environment credentials are read from; null means the process's (tests give their own). */
  Map<String, String> environment;

  /** The claims a credential proved authentic (whatever the moment), for the diagnosis. */
  private TokenClaims authentic;

  /** The expected use, when --expect-* options were given. */
  private Optional<IntendedUse> use = Optional.empty();

  @Parameters(index = "0", paramLabel = "TOKEN", description = "The token, or - to read it from stdin.")
  String token;

  @Option(names = "--certificate-env", paramLabel = "VAR", description = "Agora app certificate (007, 006).")
  String certificateEnv;

  @Option(names = "--secret-env", paramLabel = "VAR", description = "ZEGO server secret (with --app-id).")
  String secretEnv;

  // Token04 has no MAC: an edited iv changes the app id in the first CBC block and still decrypts,
  // so a ZEGO token is only verified against an app id the operator names.
  @Option(names = "--app-id", paramLabel = "ID", description = "ZEGO only: the app id the token must be for (with --secret-env).")
  Long zegoAppId;

  @Option(names = "--client-id", paramLabel = "ID", description = "Easemob Client ID (with --client-secret-env and --appkey).")
  String clientId;

  @Option(names = "--client-secret-env", paramLabel = "VAR", description = "Easemob ClientSecret.")
  String clientSecretEnv;

  // The signature does not separate its fields, so the app name's tail could move into the user id.
  @Option(names = "--appkey", paramLabel = "ORG#APP", description = "Easemob only: the app key the token must be for.")
  String appKey;

  @Option(names = "--channel", paramLabel = "C", description = "006 only: the channel name (RTM: the account) the token is for "
      + "(default: --expect-channel, or --expect-rtm-user for an RTM token).")
  String channel;

  @Option(names = "--uid", paramLabel = "TEXT", description = "006 only: the uid text the token is for (\"\" for uid 0 and RTM; "
      + "default: from --expect-uid or --expect-account).")
  String uid;

  @Option(names = "--at", paramLabel = "TIME",
      description = "Check expiry and the expected use as of this time: unix seconds or RFC 3339 (default: now).")
  String at;

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
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(moment(at), ZoneOffset.UTC);
    use = expect.any() ? Optional.of(expect.toUse(clock.instant())) : Optional.empty();

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
    use.ifPresent(u -> report.judged(u.at(), diagnose(parsed, report, u)));
    spec.commandLine().getOut().println(json ? report.toJson() : report.toText());
    if (report.failedVerification() && (authentic == null || use.isEmpty())) {
      spec.commandLine().getErr().println("error: token: not verified (" + report.verificationError() + ")");
      return Main.EXIT_BAD_TOKEN;
    }
    return report.wouldAccept().orElse(true) ? Main.EXIT_OK : Main.EXIT_BAD_TOKEN;
  }

  /** The vendor checks the signature first: unproven tokens get a finding, plus what their claims break. */
  private List<Finding> diagnose(AnyToken parsed, Inspection report, IntendedUse use) {
    List<Finding> findings = new ArrayList<>();
    if (authentic == null) {
      findings.add(report.failedVerification()
          ? UseDiagnoser.notAuthentic(report.verificationError())
          : UseDiagnoser.notVerified("no credential given",
              "give the app's credential (--certificate-env, --secret-env with --app-id, or --client-id)"));
    }
    Optional.ofNullable(authentic).or(parsed::claims)
        .ifPresent(c -> findings.addAll(UseDiagnoser.diagnose(c, use)));
    return findings;
  }

  private static Instant moment(String text) {
    try {
      return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(text)) : Instant.parse(text);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new ExitCodes.UsageException("at: unix seconds or an RFC 3339 time such as 2026-12-03T08:00:00Z");
    }
  }

  private EnvSecrets env() {
    return environment == null ? EnvSecrets.system() : new EnvSecrets(environment);
  }

  private void verify007(AccessToken2 t, Inspection report, Clock clock) {
    if (certificateEnv != null) {
      List<Secret> certs = List.of(env().read("certificate-env", certificateEnv));
      verify(report, c -> new AccessToken2Verifier(c).verify(t, certs), clock, t.issuedAt());
    }
  }

  private void verify006(LegacyAccessToken t, Inspection report, Clock clock) {
    if (certificateEnv != null) {
      String boundChannel = channel != null ? channel
          : use.flatMap(t.isRtm() ? IntendedUse::rtmUserId : IntendedUse::channel).orElse(null);
      if (boundChannel == null) {
        throw new ExitCodes.UsageException("channel: a 006 token is verified against --channel (and --uid)");
      }
      String boundUid = uid != null ? uid : t.isRtm() ? "" : use.flatMap(IntendedUse::rtcUserWireText).orElse("");
      List<Secret> certs = List.of(env().read("certificate-env", certificateEnv));
      verify(report, c -> {
        VerifiedToken<LegacyAccessToken> v = new LegacyAccessTokenVerifier(c).verify(t, boundChannel, boundUid, certs);
        report.claims(v.claims());
        return v;
      }, clock, t.issuedAt());
    }
  }

  private void verifyZego(Token04Envelope envelope, Inspection report, Clock clock) {
    if (secretEnv != null) {
      Secret secret = env().read("secret-env", secretEnv);
      Token04Verifier verifier = Token04Verifier.builder().serverSecret(secret).expectedAppId(zegoAppId).build();
      // Decrypt first, so an authentic but expired token still shows its fields.
      Instant issued;
      try {
        ZegoToken04 claims = verifier.decrypt(envelope).claims();
        report.decrypted(claims);
        issued = claims.issuedAt();
      } catch (TokenVerificationException e) {
        report.notVerified(e.reason());
        return;
      }
      verify(report, c -> Token04Verifier.builder().serverSecret(secret).expectedAppId(zegoAppId).clock(c).build()
          .verify(envelope, Duration.ZERO), clock, issued);
    }
  }

  private void verifyEasemob(DynamicToken t, Inspection report, Clock clock) {
    if (clientId != null) {
      ClientCredential credential =
          new ClientCredential(clientId, env().read("client-secret-env", clientSecretEnv));
      verify(report, c -> DynamicTokenVerifier.builder().credential(credential).expectedAppKey(appKey)
          .clock(c).build().verify(t, Duration.ZERO), clock, t.issuedAt());
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
    VerifiedToken<? extends TokenClaims> run(Clock clock);
  }

  /**
   * Verifies at {@code clock}. With an expected use, a token refused only for its times is checked
   * again as of its issue time: authentic, and the diagnosis explains the times.
   */
  private void verify(Inspection report, Check check, Clock clock, Instant issued) {
    try {
      VerifiedToken<? extends TokenClaims> v = check.run(clock);
      report.verified(v.matchedCredential());
      authentic = v.claims();
    } catch (TokenVerificationException e) {
      report.notVerified(e.reason());
      if (expect.any() && TIME_REASONS.contains(e.reason())) {
        try {
          authentic = check.run(Clock.fixed(issued, ZoneOffset.UTC)).claims();
        } catch (TokenVerificationException notAuthentic) {
          report.notVerified(notAuthentic.reason());
        }
      }
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
