package dev.tokenauthority.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.Legacy006Binding;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.MtlsServer;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens of every format issued by a replica whose clock runs ahead: the server issues them with
 * its clock moved forward, then, back on time, InspectToken reports TOKEN_NOT_YET_VALID and
 * RenewToken refuses them (FAILED_PRECONDITION). tokens.max_clock_skew_seconds is 60 here, so a
 * token issued 30 s ahead still renews.
 */
@ExtendWith(LogCapture.class)
class NotYetValidEndToEndTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final MutableClock CLOCK = new MutableClock(NOW);
  @TempDir static Path dir;
  static MtlsServer server;

  @BeforeAll
  static void start() throws Exception {
    server = MtlsServer.start(dir, CLOCK, new CoreTokenEngine(), "", "tokens: {max_clock_skew_seconds: 60}");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void backOnTime() {
    CLOCK.set(NOW);
  }

  /** How to issue one format, and the 006 binding it needs to be verified. */
  record Format(String name, TokenFormat format, IssueCall issue, Optional<Legacy006Binding> binding) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface IssueCall {
    String issue(TokenAuthorityServiceBlockingStub stub);
  }

  static Stream<Format> formats() {
    IssueRtcTokenRequest.Builder rtc = IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("c1")
        .setUid(42).setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(3600);
    return Stream.of(
        new Format("Agora 007", TokenFormat.TOKEN_FORMAT_AGORA_007,
            s -> s.issueRtcToken(rtc.build()).getIssuedToken().getToken(), Optional.empty()),
        new Format("Agora 006", TokenFormat.TOKEN_FORMAT_AGORA_006,
            s -> s.issueRtcToken(rtc.clone().setFormat(TokenFormat.TOKEN_FORMAT_AGORA_006).build())
                .getIssuedToken().getToken(),
            Optional.of(Legacy006Binding.newBuilder().setChannelName("c1").setUid("42").build())),
        new Format("ZEGO Token04", TokenFormat.TOKEN_FORMAT_ZEGO_04,
            s -> s.issueZimToken(IssueZimTokenRequest.newBuilder().setApp("zim").setUserId("u1")
                .setLifetimeSeconds(3600).build()).getIssuedToken().getToken(), Optional.empty()),
        new Format("Easemob dt", TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC,
            s -> s.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("im")
                .setEasemobUser(EasemobUser.newBuilder().setUserId("u1")).setLifetimeSeconds(3600).build())
                .getIssuedToken().getToken(), Optional.empty()));
  }

  /** Issues with the server's clock {@code ahead} of now, then puts it back. */
  static String issuedAhead(Format f, Duration ahead) throws Exception {
    CLOCK.set(NOW.plus(ahead));
    String token = f.issue.issue(server.stub(MtlsServer.FULL));
    CLOCK.set(NOW);
    return token;
  }

  static InspectTokenResponse inspect(Format f, String token) throws Exception {
    InspectTokenRequest.Builder req = InspectTokenRequest.newBuilder().setToken(token);
    f.binding.ifPresent(req::setLegacyBinding);
    return server.stub(MtlsServer.FULL).inspectToken(req.build());
  }

  static RenewTokenRequest renewal(Format f, String token) {
    RenewTokenRequest.Builder req = RenewTokenRequest.newBuilder().setToken(token);
    f.binding.ifPresent(req::setLegacyBinding);
    return req.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aTokenIssuedBeyondTheSkewIsReportedAndNotRenewed(Format f) throws Exception {
    String token = issuedAhead(f, Duration.ofMinutes(2));

    InspectTokenResponse seen = inspect(f, token);
    assertThat(seen.getFormat()).isEqualTo(f.format);
    assertThat(seen.getValidity()).isEqualTo(Validity.VALIDITY_INVALID);
    assertThat(seen.getInvalidReason()).isEqualTo("TOKEN_NOT_YET_VALID");
    assertThat(seen.getMatchedCredential()).as("authentic, so the credential is named").isEqualTo("primary");
    assertThat(seen.getIssuedAt().getSeconds()).isEqualTo(NOW.plus(Duration.ofMinutes(2)).getEpochSecond());

    assertThatThrownBy(() -> server.stub(MtlsServer.FULL).renewToken(renewal(f, token)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          Errors.Seen error = Errors.of(e);
          assertThat(error.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(error.reason()).isEqualTo("TOKEN_NOT_YET_VALID");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aTokenIssuedWithinTheSkewIsValidAndRenews(Format f) throws Exception {
    String token = issuedAhead(f, Duration.ofSeconds(30));

    assertThat(inspect(f, token).getValidity()).isEqualTo(Validity.VALIDITY_VALID);
    assertThat(server.stub(MtlsServer.FULL).renewToken(renewal(f, token)).getIssuedToken().getIssuedAt().getSeconds())
        .isEqualTo(NOW.getEpochSecond());
  }
}
