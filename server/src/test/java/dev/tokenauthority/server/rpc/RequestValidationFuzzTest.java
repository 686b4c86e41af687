package dev.tokenauthority.server.rpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.core.testing.FuzzChecks;
import dev.tokenauthority.server.audit.AuditEvent;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.identity.CallerIdentity;
import dev.tokenauthority.server.policy.CallScope;
import dev.tokenauthority.server.testing.RecordingTokenEngine;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.EasemobTokenGrants;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

/**
 * Fuzzes request validation: the first byte picks the RPC, the rest is its request message, handed
 * to the handler as the transport would after decoding. Property: every call answers or fails with
 * an ApiException whose status is never UNKNOWN or INTERNAL, and a refusal by policy
 * (PERMISSION_DENIED) never comes after the engine signed a token (authorise, then sign).
 */
class RequestValidationFuzzTest {
  static final String CALLER = "spiffe://fuzz.example/caller";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final ServerConfig CONFIG = new ConfigLoader(Map.of(
          "CERT", FuzzChecks.AGORA_CERTIFICATE, "ZS", FuzzChecks.ZEGO_SECRET, "EM", "YXA6S8ogAHXFfh8gY4zZoFQPLROg7DC")::get)
      .parse("""
          apps:
            rtc: {vendor: agora, app_id: 970CA35de60c44645bbae8a215061b33, certificate: {env: CERT}}
            zim: {vendor: zego, app_id: 1659314432, server_secret: {env: ZS}}
            im: {vendor: easemob, app_key: "dvz5o#a1368tl", client_id: YMAVZF5klQ9f8SyyLlbFeg, client_secret: {env: EM}}
          callers:
            - identity: %s
              apps: [rtc, zim, im]
              rpcs: ["*"]
              rtc_roles: [subscriber]
              max_lifetime_seconds: 3600
              default_lifetime_seconds: 600
              channel_pattern: "game-[0-9]+"
              user_pattern: "[a-z0-9=]{1,20}"
          renewal: {grace_seconds: 60}
          """.formatted(CALLER), Path.of("."));

  private final RecordingTokenEngine engine = new RecordingTokenEngine();
  private final ChatUserDirectory directory = (app, name, register) -> "uuid-" + name;
  private final EasemobTokenGrants grants = new EasemobTokenGrants() {
    @Override
    public Granted passwordGrant(dev.tokenauthority.server.config.EasemobApp app, String user, String pw, Duration ttl) {
      return new Granted("rest-token", CLOCK.instant(), CLOCK.instant().plus(ttl), "uuid-" + user);
    }

    @Override
    public Granted inheritGrant(dev.tokenauthority.server.config.EasemobApp app, String user, boolean create, Duration ttl) {
      return new Granted("rest-token", CLOCK.instant(), CLOCK.instant().plus(ttl), "uuid-" + user);
    }
  };

  @FuzzTest
  void handle(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Rpc rpc = Rpc.values()[Byte.toUnsignedInt(input[0]) % Rpc.values().length];
    byte[] message = Arrays.copyOfRange(input, 1, input.length);
    CallScope scope = new CallScope(CONFIG, new CallerIdentity(CALLER, CallerIdentity.Source.SPIFFE_ID),
        CONFIG.caller(CALLER).orElseThrow(), rpc.name());
    AuditEvent.Builder audit = AuditEvent.builder(rpc.name(), CALLER);
    engine.reset();
    try {
      call(rpc, message, scope, audit);
      audit.ok();
    } catch (InvalidProtocolBufferException notARequest) {
      // The transport refuses undecodable messages before any handler runs.
    } catch (ApiException e) {
      audit.failed(e.code(), e.reason());
      if (e.code() == Status.Code.UNKNOWN || e.code() == Status.Code.INTERNAL) {
        throw new AssertionError(rpc + " answered " + e.code() + " " + e.reason(), e);
      }
      if (e.code() == Status.Code.PERMISSION_DENIED && engine.signs() > 0) {
        throw new AssertionError(rpc + " signed a token before refusing the caller: " + e.reason());
      }
    }
  }

  private void call(Rpc rpc, byte[] m, CallScope scope, AuditEvent.Builder audit)
      throws InvalidProtocolBufferException {
    switch (rpc) {
      case IssueRtcToken -> new IssueRtcHandler(engine, CLOCK).handle(IssueRtcTokenRequest.parseFrom(m), scope, audit);
      case IssueRtmToken -> new IssueRtmHandler(engine, CLOCK).handle(IssueRtmTokenRequest.parseFrom(m), scope, audit);
      case IssueChatToken -> new IssueChatHandler(engine, directory, grants, CLOCK)
          .handle(IssueChatTokenRequest.parseFrom(m), scope, audit);
      case IssueZimToken -> new IssueZimHandler(engine, CLOCK).handle(IssueZimTokenRequest.parseFrom(m), scope, audit);
      case RenewToken -> new RenewHandler(engine, CLOCK).handle(RenewTokenRequest.parseFrom(m), scope, audit);
      case InspectToken -> new InspectHandler(engine, CLOCK).handle(InspectTokenRequest.parseFrom(m), scope, audit);
    }
  }

  /** In the order of the first input byte (modulo six). */
  enum Rpc { IssueRtcToken, IssueRtmToken, IssueChatToken, IssueZimToken, RenewToken, InspectToken }
}
