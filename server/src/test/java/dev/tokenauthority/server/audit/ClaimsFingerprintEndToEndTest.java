package dev.tokenauthority.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.testing.Reencode;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.MtlsServer;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import dev.tokenauthority.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over mTLS, the audit's token_sha256_16 is a fingerprint of the claims: a 007 token re-compressed
 * by its holder, or a dt- token with re-serialised JSON, is audited (inspected, renewed) under the
 * fingerprint it was issued with; another token's differs.
 */
@ExtendWith(LogCapture.class)
class ClaimsFingerprintEndToEndTest {
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  @TempDir static Path dir;
  static MtlsServer server;

  @BeforeAll
  static void start() throws Exception {
    server = MtlsServer.start(dir, CLOCK, new CoreTokenEngine(), "", "");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static TokenAuthorityServiceBlockingStub stub() throws Exception {
    return server.stub(MtlsServer.FULL);
  }

  /** The last audit line of this RPC. */
  static JsonNode lastAudit(String rpc) {
    List<JsonNode> lines = LogCapture.lines().stream().filter(l -> l.startsWith("{"))
        .map(ClaimsFingerprintEndToEndTest::json).filter(n -> rpc.equals(n.path("rpc").asText())).toList();
    assertThat(lines).as("audit lines of " + rpc).isNotEmpty();
    return lines.get(lines.size() - 1);
  }

  static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String inspectedFingerprint(String token) throws Exception {
    assertThat(stub().inspectToken(InspectTokenRequest.newBuilder().setToken(token).build()).getValidity())
        .isEqualTo(Validity.VALIDITY_VALID);
    return lastAudit("InspectToken").path("token_sha256_16").asText();
  }

  static IssueRtcTokenRequest rtc(long uid) {
    return IssueRtcTokenRequest.newBuilder().setApp("rtc").setChannelName("c1").setUid(uid)
        .setRole(RtcRole.RTC_ROLE_SUBSCRIBER).setLifetimeSeconds(600).build();
  }

  @Test
  void aRecompressed007TokenIsAuditedUnderItsIssueFingerprint() throws Exception {
    String token = stub().issueRtcToken(rtc(42)).getIssuedToken().getToken();
    String issued = lastAudit("IssueRtcToken").path("token_sha256_16").asText();
    String recompressed = Reencode.agora007AtLevel(token, Deflater.BEST_COMPRESSION);
    assertThat(recompressed).isNotEqualTo(token);

    assertThat(issued).hasSize(16);
    assertThat(inspectedFingerprint(token)).isEqualTo(issued);
    assertThat(inspectedFingerprint(recompressed)).isEqualTo(issued);

    CLOCK.advance(java.time.Duration.ofSeconds(5));
    stub().renewToken(RenewTokenRequest.newBuilder().setToken(recompressed).build());
    JsonNode renewal = lastAudit("RenewToken");
    assertThat(renewal.path("renewed_from_sha256_16").asText()).isEqualTo(issued);
    assertThat(renewal.path("token_sha256_16").asText()).isNotEqualTo(issued);

    stub().issueRtcToken(rtc(43));
    assertThat(lastAudit("IssueRtcToken").path("token_sha256_16").asText()).isNotEqualTo(issued);
  }

  @Test
  void aDtTokenWithReserialisedJsonIsAuditedUnderItsIssueFingerprint() throws Exception {
    String token = stub().issueChatToken(IssueChatTokenRequest.newBuilder().setApp("im")
        .setEasemobUser(EasemobUser.newBuilder().setUserId("u1")).setLifetimeSeconds(600).build())
        .getIssuedToken().getToken();
    String issued = lastAudit("IssueChatToken").path("token_sha256_16").asText();
    String reserialised = Reencode.easemobReserialised(token);
    assertThat(reserialised).isNotEqualTo(token);

    assertThat(inspectedFingerprint(reserialised)).isEqualTo(issued);
    assertThat(inspectedFingerprint(token)).isEqualTo(issued);
  }
}
