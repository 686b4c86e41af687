package dev.tokenauthority.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over mTLS: caller-supplied values reach error messages and audit lines only bounded (cut at 128
 * characters and marked with their length), over-long strings are refused before any lookup, and
 * the RTM user id is held to RTM's 64 bytes in IssueRtcToken with include_rtm as in IssueRtmToken.
 */
@ExtendWith(LogCapture.class)
class BoundedEchoTest {
  @TempDir static Path dir;
  static MtlsCallers callers;
  static TestServer server;
  static TokenAuthorityServiceBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    callers = new MtlsCallers(dir);
    server = TestServer.start(new ConfigLoader(callers.env()::get)
        .parse(callers.yaml("", MtlsCallers.caller("echo", "")), dir), Clock.systemUTC());
    stub = server.stub(callers.channel(server, "echo"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anUnknownAppOf3000CharactersIsRefusedWithoutEchoingIt() {
    String app = "a".repeat(3000);
    Errors.Seen seen = fail(() -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp(app).setUserId("u").build()));
    assertThat(seen.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(seen.reason()).isIn("APP_NAME_TOO_LONG", "FIELD_TOO_LONG");
    assertThat(seen.field()).hasValue("app");
    assertThat(seen.message()).doesNotContain("a".repeat(129)).contains("3000");
  }

  @Test
  void anUnknownAppWithinTheLimitIsNamedInFull() {
    Errors.Seen seen = fail(() -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("ghost").setUserId("u").build()));
    assertThat(seen.reason()).isEqualTo("APP_NOT_FOUND");
    assertThat(seen.message()).contains("'ghost'");
  }

  @Test
  void aSubjectOver128CharactersIsBoundedInTheAuditLine() {
    String user = "u".repeat(500);
    int before = LogCapture.lines().size();
    Errors.Seen seen = fail(() -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId(user).build()));
    assertThat(seen.reason()).isEqualTo("USER_ID_TOO_LONG");
    assertThat(seen.message()).doesNotContain("u".repeat(129));
    List<String> added = LogCapture.lines().subList(before, LogCapture.lines().size());
    assertThat(added).filteredOn(l -> l.contains("\"reason\":\"USER_ID_TOO_LONG\"")).singleElement()
        .satisfies(l -> assertThat(l).contains("\"subject\":\"" + "u".repeat(128) + "…(500 chars)\"")
            .doesNotContain("u".repeat(129)));
  }

  @Test
  void aStringOverTheGenericBoundIsRefusedBeforeAnyLookupNamingTheField() {
    String user = "u".repeat(3000);
    Errors.Seen seen = fail(() -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("ghost").setUserId(user).build()));
    assertThat(seen.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(seen.reason()).isEqualTo("FIELD_TOO_LONG"); // not APP_NOT_FOUND: nothing was looked up
    assertThat(seen.field()).hasValue("user_id");
    assertThat(seen.message()).contains("3000").doesNotContain("uuuu");
  }

  @Test
  void aLongCallerIdentityIsBoundedInTheMessageAndTheAuditLine() throws Exception {
    String id = "spiffe://test.example/" + "x".repeat(300);
    TestPki.Issued cert = callers.pki.client("long", id, null, "long");
    TokenAuthorityServiceBlockingStub unknown = server.stub(server.tlsChannel(callers.pki.caFile(), cert));
    int before = LogCapture.lines().size();
    Errors.Seen seen = fail(() -> MtlsCallers.rtm(unknown, "u"));
    assertThat(seen.reason()).isEqualTo("CALLER_UNKNOWN");
    assertThat(seen.message()).contains("…(" + id.length() + " chars)").doesNotContain("x".repeat(129));
    List<String> added = LogCapture.lines().subList(before, LogCapture.lines().size());
    assertThat(added).filteredOn(l -> l.contains("\"reason\":\"CALLER_UNKNOWN\"")).singleElement()
        .satisfies(l -> assertThat(l).contains("…(" + id.length() + " chars)").doesNotContain("x".repeat(129)));
  }

  @Test
  void theRtmUserIdIsAtMost64BytesInBothRpcs() {
    String u65 = "r".repeat(65);
    Errors.Seen rtm = fail(() -> stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId(u65).build()));
    assertThat(rtm.reason()).isEqualTo("USER_ID_TOO_LONG");
    IssueRtcTokenRequest.Builder rtc = IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("c")
        .setRole(RtcRole.RTC_ROLE_PUBLISHER).setIncludeRtm(true);
    Errors.Seen explicit = fail(() -> stub.issueRtcToken(rtc.clone().setUid(1).setRtmUserId(u65).build()));
    assertThat(explicit.reason()).isEqualTo("USER_ID_TOO_LONG");
    assertThat(explicit.field()).hasValue("rtm_user_id");
    Errors.Seen defaulted = fail(() -> stub.issueRtcToken(rtc.clone().setUserAccount(u65).build()));
    assertThat(defaulted.reason()).isEqualTo("USER_ID_TOO_LONG");
    assertThat(defaulted.field()).hasValue("rtm_user_id");
    assertThat(stub.issueRtcToken(rtc.clone().setUserAccount(u65).setRtmUserId("r".repeat(64)).build())
        .getIssuedToken().getToken()).startsWith("007");
  }

  private static Errors.Seen fail(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call fails").isNotNull();
    return Errors.of(e);
  }
}
