package dev.tokenauthority.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.RawCalls;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw bytes on the wire over mTLS: every request that does not parse, and every unary call without
 * exactly one request, is INVALID_ARGUMENT MALFORMED_REQUEST, audited once, logged in one line
 * without a stack trace, and the connection keeps serving.
 */
@ExtendWith(LogCapture.class)
class MalformedRequestTest {
  @TempDir static Path dir;
  static TestServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    MtlsCallers callers = new MtlsCallers(dir);
    server = TestServer.start(new ConfigLoader(callers.env()::get)
        .parse(callers.yaml("", MtlsCallers.caller("prober", "")), dir), Clock.systemUTC());
    channel = callers.channel(server, "prober");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Stream<Arguments> unparseable() {
    return Stream.of(
        Arguments.of("invalid UTF-8 in a string field", hex("0a02c328")),
        Arguments.of("a lone surrogate (UTF-8 encoded) in a string field", hex("0a03eda080")),
        Arguments.of("a truncated message", hex("0a056162")),
        Arguments.of("an over-long varint", hex("18ffffffffffffffffffff01")),
        Arguments.of("deeply nested unknown groups", nestedGroups(200)),
        Arguments.of("a length running past the message", hex("12ffffffff0f61")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparseable")
  void anUnparseableRequestIsMalformed(String what, byte[] message) throws Exception {
    expectMalformed(() -> RawCalls.unary(channel, "IssueRtmToken", message));
  }

  @Test
  void aUnaryCallHalfClosedWithoutARequestIsMalformed() throws Exception {
    expectMalformed(() -> RawCalls.unary(channel, "IssueRtmToken"));
  }

  @Test
  void aUnaryCallWithTwoRequestsIsMalformed() throws Exception {
    byte[] valid = IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u").build().toByteArray();
    expectMalformed(() -> RawCalls.unary(channel, "IssueRtmToken", valid, valid));
  }

  @Test
  void theSameBytesWhenWellFormedAreServed() throws Exception {
    byte[] valid = IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u").build().toByteArray();
    assertThat(RawCalls.unary(channel, "IssueRtmToken", valid).code()).isEqualTo(Status.Code.OK);
  }

  private interface Call {
    Errors.Seen run() throws Exception;
  }

  private static void expectMalformed(Call call) throws Exception {
    int before = LogCapture.lines().size();
    Errors.Seen seen = call.run();
    assertThat(seen.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(seen.reason()).isEqualTo("MALFORMED_REQUEST");
    assertThat(seen.domain()).isEqualTo("tokenauthority.dev");
    List<String> added = LogCapture.lines().subList(before, LogCapture.lines().size());
    assertThat(added).filteredOn(l -> l.contains("\"reason\":\"MALFORMED_REQUEST\""))
        .singleElement().satisfies(l -> assertThat(l).contains("\"caller\":\"spiffe://test.example/prober\"",
            "\"rpc\":\"IssueRtmToken\"", "\"code\":\"INVALID_ARGUMENT\""));
    assertThat(added).filteredOn(l -> l.contains("malformed request")).hasSize(1);
    // What an operator sees (INFO and above; gRPC's own FINE debugging aside): no stack trace.
    assertThat(added).filteredOn(l -> l.matches("\\S+ (INFO|WARNING|SEVERE) (?s).*"))
        .noneMatch(l -> l.contains(" at ") || l.contains("Exception"));
    // The connection is fine afterwards.
    assertThat(MtlsCallers.rtm(server.stub(channel), "after")).startsWith("007");
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h);
  }

  /** Unknown field 15 as nested groups, {@code depth} deep (protobuf's own limit is 100). */
  private static byte[] nestedGroups(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      out.write((15 << 3) | 3);
    }
    for (int i = 0; i < depth; i++) {
      out.write((15 << 3) | 4);
    }
    return out.toByteArray();
  }
}
