package dev.tokenauthority.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private final AuditLog log = new AuditLog(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aSuccessfulIssueHasEveryFieldAndOnlyTheTokensFingerprint() throws Exception {
    String token = "007eJxTYBBa" + "x".repeat(100);
    String line = log.toJson(AuditEvent.builder("IssueRtcToken", "spiffe://t/x").app("video").kind("rtc")
        .subject("42").lifetimeSeconds(3600).token(token).ok());

    JsonNode n = json.readTree(line);
    assertThat(n.get("time").asText()).isEqualTo("2026-12-01T08:00:00Z");
    assertThat(n.get("caller").asText()).isEqualTo("spiffe://t/x");
    assertThat(n.get("rpc").asText()).isEqualTo("IssueRtcToken");
    assertThat(n.get("app").asText()).isEqualTo("video");
    assertThat(n.get("kind").asText()).isEqualTo("rtc");
    assertThat(n.get("subject").asText()).isEqualTo("42");
    assertThat(n.get("lifetime_s").asLong()).isEqualTo(3600);
    assertThat(n.get("outcome").asText()).isEqualTo("ok");
    assertThat(n.get("code").asText()).isEqualTo("OK");
    assertThat(n.get("token_sha256_16").asText()).isEqualTo(TokenFingerprint.of(token)).hasSize(16);
    assertThat(n.has("reason")).isFalse();
    assertThat(line).doesNotContain(token.substring(0, 20));
  }

  @Test
  void linesFromOneThreadAreEachOneWholeObjectEvenAfterAFailureHalfWay() throws Exception {
    // The generator is reused line after line on a thread: nothing may carry over between lines,
    // not even from a line that failed after its opening brace (here: the clock throws).
    Clock failingOnce = new Clock() {
      private boolean failed;

      @Override
      public Instant instant() {
        if (!failed) {
          failed = true;
          throw new IllegalStateException("clock unavailable");
        }
        return NOW;
      }

      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
    AuditLog flaky = new AuditLog(failingOnce, line -> {}, e -> {});
    AuditEvent event = AuditEvent.builder("IssueZimToken", "c").app("zego").ok();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> flaky.toJson(event))
        .isInstanceOf(IllegalStateException.class);
    for (int i = 0; i < 3; i++) {
      String line = flaky.toJson(AuditEvent.builder("IssueZimToken", "c" + i).app("zego").ok());
      assertThat(line).startsWith("{\"time\":").endsWith("}");
      assertThat(json.readTree(line).get("caller").asText()).isEqualTo("c" + i);
    }
  }

  @Test
  void aRefusalCarriesOnlyWhatIsKnownAndStaysOneValidLine() throws Exception {
    String caller = "CN with \"quotes\"\nand a newline";
    String line = log.toJson(AuditEvent.builder("RenewToken", caller)
        .failed(Status.Code.UNAUTHENTICATED, "CLIENT_CERTIFICATE_EXPIRED"));

    assertThat(line).doesNotContain("\n");
    JsonNode n = json.readTree(line);
    assertThat(n.get("caller").asText()).isEqualTo(caller);
    assertThat(n.get("outcome").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(n.get("reason").asText()).isEqualTo("CLIENT_CERTIFICATE_EXPIRED");
    assertThat(n.fieldNames()).toIterable()
        .containsExactly("time", "caller", "rpc", "outcome", "code", "reason");
  }

  @Test
  void aRenewalCarriesBothFingerprints() throws Exception {
    String old = "007eJxOLD" + "o".repeat(100);
    String fresh = "007eJxNEW" + "n".repeat(100);
    String line = log.toJson(AuditEvent.builder("RenewToken", "c").token(old).renewedFrom(old).token(fresh).ok());
    JsonNode n = json.readTree(line);
    assertThat(n.get("token_sha256_16").asText()).isEqualTo(TokenFingerprint.of(fresh));
    assertThat(n.get("renewed_from_sha256_16").asText()).isEqualTo(TokenFingerprint.of(old)).hasSize(16);
    assertThat(line).doesNotContain(old.substring(0, 20)).doesNotContain(fresh.substring(0, 20));
    assertThat(json.readTree(log.toJson(AuditEvent.builder("IssueRtmToken", "c").token(fresh).ok()))
        .has("renewed_from_sha256_16")).isFalse();
  }

  @Test
  void vendorCallsAreListedInOrderWithStatusOnlyWhenTheVendorAnswered() throws Exception {
    AuditEvent.Builder b = AuditEvent.builder("IssueChatToken", "c").subject("alice");
    b.vendorCalls().add("chat.get_user", -1, "TIMEOUT", 10_000);
    b.vendorCalls().add("chat.get_user", 200, "OK", 12);

    JsonNode n = json.readTree(log.toJson(b.ok()));

    JsonNode calls = n.get("vendor_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).has("status")).isFalse();
    assertThat(calls.get(0).get("outcome").asText()).isEqualTo("TIMEOUT");
    assertThat(calls.get(0).get("elapsed_ms").asLong()).isEqualTo(10_000);
    assertThat(calls.get(1).get("call").asText()).isEqualTo("chat.get_user");
    assertThat(calls.get(1).get("status").asInt()).isEqualTo(200);
    assertThat(calls.get(1).get("outcome").asText()).isEqualTo("OK");
    assertThat(n.has("vendor_calls_omitted")).isFalse();
  }

  @Test
  void aRunawayTrailIsBoundedAndCountsWhatItLeftOut() throws Exception {
    AuditEvent.Builder b = AuditEvent.builder("IssueChatToken", "c");
    for (int i = 0; i < VendorCallTrail.MAX_CALLS + 5; i++) {
      b.vendorCalls().add("easemob.inherit_grant", 503, "RETRY", 1);
    }
    JsonNode n = json.readTree(log.toJson(b.failed(Status.Code.UNAVAILABLE, "VENDOR_UNAVAILABLE")));
    assertThat(n.get("vendor_calls")).hasSize(VendorCallTrail.MAX_CALLS);
    assertThat(n.get("vendor_calls_omitted").asInt()).isEqualTo(5);
  }

  @Test
  void callsWithoutVendorCallsHaveNoVendorFields() throws Exception {
    JsonNode n = json.readTree(log.toJson(AuditEvent.builder("IssueRtcToken", "c").ok()));
    assertThat(n.has("vendor_calls")).isFalse();
    assertThat(n.has("vendor_calls_omitted")).isFalse();
  }

  @Test
  void permissionDeniedIsFiledAsDenied() throws Exception {
    JsonNode n = json.readTree(log.toJson(AuditEvent.builder("IssueZimToken", "c")
        .failed(Status.Code.PERMISSION_DENIED, "CALLER_UNKNOWN")));
    assertThat(n.get("outcome").asText()).isEqualTo("denied");
    assertThat(n.get("code").asText()).isEqualTo("PERMISSION_DENIED");
  }
}
