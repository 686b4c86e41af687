package dev.tokenauthority.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.server.LogSetup;
import dev.tokenauthority.server.bridges.VendorBridges;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestPki;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import dev.tokenauthority.testing.MutableClock;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server over mTLS under a bounded load with a known mix (issued, refused by policy,
 * malformed, unknown caller, unknown app, over a caller's rate, a vendor REST call): /metrics scraped
 * over HTTP counts exactly what the load did (admission refusals included), the audit file holds
 * exactly one line per call, no label value or secret comes from the callers' input or the
 * configuration's credentials.
 */
class ObservabilityEndToEndTest {
  private static final int THREADS = 4;
  private static final int ROUNDS = 10;
  /** In every caller-chosen value: it must never appear in /metrics. */
  private static final String MARKER = "zq" + Long.toHexString(System.nanoTime());
  private static final String FULL = "spiffe://test.example/full";
  private static final String LIMITED = "spiffe://test.example/limited";
  /** Rate-limited on a frozen limiter clock: exactly BURST of its calls pass, whatever the interleaving. */
  private static final String THROTTLED = "spiffe://test.example/throttled";
  private static final int BURST = 3;

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void metricsAndAuditCountExactlyWhatTheLoadDid() throws Exception {
    TestPki pki = TestPki.create(dir, "main");
    pki.server("server");
    TestPki.Issued full = pki.client("full", FULL, null, "full");
    TestPki.Issued limited = pki.client("limited", LIMITED, null, "limited");
    TestPki.Issued throttled = pki.client("throttled", THROTTLED, null, "throttled");
    TestPki.Issued stranger = pki.client("stranger", "spiffe://test.example/stranger-" + MARKER, null, "stranger");
    String cert = TestCredentials.hex32();
    String zegoSecret = TestCredentials.hex32();
    try (FakeVendor chat = new FakeVendor("org1", "chatapp")) {
      chat.acceptChatAppToken = t -> t.startsWith("007");
      chat.users.put("alice", new FakeVendor.User("uuid-alice", "pw-alice-unused", true));
      String yaml = """
          tls: {certificate_file: server.pem, private_key_file: server-key.pem, client_ca_file: main-ca.pem}
          apps:
            rtc:
              vendor: agora
              app_id: %s
              certificate: {env: RTC_CERT}
              chat_rest_base: %s
              chat_app_key: org1#chatapp
            zim: {vendor: zego, app_id: 1234567, server_secret: {env: ZEGO_SECRET}}
          callers:
            - {identity: "%s", apps: ["*"], rpcs: ["*"]}
            - {identity: "%s", apps: [rtc], rpcs: [IssueRtcToken]}
            - {identity: "%s", apps: [rtc], rpcs: [IssueRtcToken], limits: {calls_per_second: 1, burst: %d}}
          audit:
            sink: file
            file: {path: audit.jsonl}
            queue_size: 64
          metrics:
            listen: {address: 127.0.0.1, port: 0}
          """.formatted(TestCredentials.hex32(), chat.baseUrl(), FULL, LIMITED, THROTTLED, BURST);
      ServerConfig cfg = new ConfigLoader(Map.of("RTC_CERT", cert, "ZEGO_SECRET", zegoSecret)::get).parse(yaml, dir);
      LogCapture.registerSecret(cert);
      LogCapture.registerSecret(zegoSecret);
      LogSetup.routeAudit(cfg.observability().audit());
      Telemetry telemetry = Telemetry.create(cfg.observability());
      VendorBridges bridges = VendorBridges.create(new CoreTokenEngine(), Clock.systemUTC(), telemetry);
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      List<Duration> retryDelays = new CopyOnWriteArrayList<>();
      // Frozen: the throttled caller's bucket never refills, so the count of refusals is exact.
      MutableClock limitsTime = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      URI metrics;
      PrometheusScrape scrape;
      try (TestServer server = TestServer.start(cfg, Clock.systemUTC(),
          b -> b.telemetry(telemetry).chatUserDirectory(bridges).easemobTokenGrants(bridges).limitsTime(limitsTime))) {
        metrics = URI.create("http://127.0.0.1:" + server.server().metricsAddress().orElseThrow().getPort() + "/metrics");
        var fullChannel = server.tlsChannel(pki.caFile(), full);
        Supplier<TokenAuthorityServiceBlockingStub> fullStub = () -> roomy(fullChannel);
        var limitedChannel = server.tlsChannel(pki.caFile(), limited);
        Supplier<TokenAuthorityServiceBlockingStub> limitedStub = () -> roomy(limitedChannel);
        var throttledChannel = server.tlsChannel(pki.caFile(), throttled);
        Supplier<TokenAuthorityServiceBlockingStub> throttledStub = () -> roomy(throttledChannel);
        var strangerChannel = server.tlsChannel(pki.caFile(), stranger);
        Supplier<TokenAuthorityServiceBlockingStub> strangerStub = () -> roomy(strangerChannel);
        String issued = fullStub.get().issueRtcToken(rtc("rtc", "seed")).getIssuedToken().getToken();
        List<Function<Integer, String>> mix = List.of(
            i -> outcome("renew", () -> fullStub.get().renewToken(RenewTokenRequest.newBuilder().setApp("rtc")
                .setToken(issued).setLifetimeSeconds(600).build())),
            i -> outcome("inspect", () -> fullStub.get().inspectToken(InspectTokenRequest.newBuilder().setApp("rtc")
                .setToken(issued).build())),
            i -> outcome("rtc ok", () -> fullStub.get().issueRtcToken(rtc("rtc", "chan-" + MARKER + i))),
            i -> outcome("zim by limited", () -> limitedStub.get().issueZimToken(IssueZimTokenRequest.newBuilder()
                .setApp("zim").setUserId("user-" + MARKER).setLifetimeSeconds(600).build())),
            i -> outcome("rtc malformed", () -> fullStub.get().issueRtcToken(rtc("rtc", ""))),
            i -> outcome("rtc by throttled", () -> throttledStub.get().issueRtcToken(rtc("rtc", "chan-" + MARKER + i)),
                retryDelays),
            i -> outcome("rtc by stranger", () -> strangerStub.get().issueRtcToken(rtc("rtc", "chan-" + MARKER))),
            i -> outcome("rtc unknown app", () -> fullStub.get().issueRtcToken(rtc("ghost-" + MARKER, "c"))),
            i -> outcome("chat by name", () -> fullStub.get().issueChatToken(IssueChatTokenRequest.newBuilder()
                .setApp("rtc").setLifetimeSeconds(600)
                .setAgoraUser(AgoraChatUser.newBuilder().setUserName("alice")).build())));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < ROUNDS; i++) {
              for (Function<Integer, String> call : mix) {
                outcomes.computeIfAbsent(call.apply(i), k -> new AtomicInteger()).incrementAndGet();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        scrape = PrometheusScrape.of(metrics);
      }
      LogSetup.unrouteAudit();
      int n = THREADS * ROUNDS;
      // What the client saw: the mix's outcomes, each n times, but the throttled caller's split.
      String throttledOk = "rtc by throttled|OK";
      String rateLimited = "rtc by throttled|RESOURCE_EXHAUSTED/RATE_LIMITED";
      int over = n - BURST;
      assertThat(outcomes.get(throttledOk)).as(throttledOk).hasValue(BURST);
      assertThat(outcomes.get(rateLimited)).as(rateLimited).hasValue(over);
      assertThat(outcomes).hasSize(10).allSatisfy((k, v) -> assertThat(v.get()).as(k)
          .isEqualTo(k.equals(throttledOk) ? BURST : k.equals(rateLimited) ? over : n));
      // Every RATE_LIMITED refusal says when to retry: one token at 1 per second, time frozen.
      assertThat(retryDelays).hasSize(over).containsOnly(Duration.ofSeconds(1));
      String tokens = "tokenauthority_tokens_issued_total";
      String refused = "tokenauthority_tokens_refused_total";
      assertThat(scrape.sum(tokens, Map.of("app", "rtc", "kind", "rtc", "caller", FULL, "vendor", "agora")))
          .as("the load's and the seed token").isEqualTo(n + 1);
      assertThat(scrape.sum(tokens, Map.of("app", "rtc", "kind", "chat_user", "caller", FULL))).isEqualTo(n);
      assertThat(scrape.sum(tokens, Map.of("app", "rtc", "kind", "rtc", "caller", THROTTLED))).isEqualTo(BURST);
      assertThat(scrape.sum(tokens, Map.of())).isEqualTo(2 * n + 1 + BURST);
      assertThat(scrape.sum("tokenauthority_tokens_renewed_total", Map.of("app", "rtc", "kind", "rtc"))).isEqualTo(n);
      assertThat(scrape.sum("tokenauthority_tokens_inspected_total", Map.of("app", "rtc", "caller", FULL)))
          .isEqualTo(n);
      for (String k : outcomes.keySet()) {
        if (k.endsWith("|OK")) {
          continue;
        }
        String[] codeReason = k.substring(k.indexOf('|') + 1).split("/");
        assertThat(scrape.sum(refused, Map.of("code", codeReason[0], "reason", codeReason[1])))
            .as("refusals " + k).isEqualTo(outcomes.entrySet().stream()
                .filter(o -> o.getKey().endsWith("|" + codeReason[0] + "/" + codeReason[1]))
                .mapToInt(o -> o.getValue().get()).sum());
      }
      assertThat(scrape.sum(refused, Map.of())).isEqualTo(4 * n + over);
      assertThat(scrape.sum(refused, Map.of("caller", THROTTLED, "reason", "RATE_LIMITED"))).isEqualTo(over);
      // Admission refusals never reach a handler: counted through the server's AdmissionListener,
      // with the configured identity as the caller label; nothing else of the mix is an admission refusal.
      String admission = "tokenauthority_admission_refused_total";
      assertThat(scrape.sum(admission, Map.of("reason", "RATE_LIMITED", "caller", THROTTLED))).isEqualTo(over);
      assertThat(scrape.sum(admission, Map.of())).isEqualTo(over);
      assertThat(scrape.sum(refused, Map.of("caller", "other"))).as("the stranger, bounded").isEqualTo(n);
      assertThat(scrape.sum(refused, Map.of("app", "other"))).as("the unknown app, bounded").isEqualTo(n);
      assertThat(scrape.sum(refused, Map.of("caller", LIMITED, "rpc", "IssueZimToken"))).isEqualTo(n);
      // gRFC A66 call metrics, per method and status.
      String method = "tokenauthority.v1.TokenAuthorityService/";
      assertThat(scrape.sum("grpc_server_call_started_total", Map.of("grpc_method", method + "IssueRtcToken")))
          .isEqualTo(5 * n + 1);
      assertThat(scrape.sum("grpc_server_call_duration_seconds_count",
          Map.of("grpc_method", method + "IssueRtcToken", "grpc_status", "OK"))).isEqualTo(n + 1 + BURST);
      assertThat(scrape.sum("grpc_server_call_duration_seconds_count",
          Map.of("grpc_method", method + "IssueRtcToken", "grpc_status", "RESOURCE_EXHAUSTED"))).isEqualTo(over);
      assertThat(scrape.sum("grpc_server_call_duration_seconds_count",
          Map.of("grpc_method", method + "IssueChatToken", "grpc_status", "OK"))).isEqualTo(n);
      assertThat(scrape.sum("tokenauthority_token_lifetime_seconds_count", Map.of("kind", "rtc")))
          .isEqualTo(2 * n + 1 + BURST);
      assertThat(scrape.sum("tokenauthority_core_duration_seconds_count",
          Map.of("operation", "build", "format", "agora-007"))).as("rtc, chat and the chat app tokens")
          .isGreaterThanOrEqualTo(2 * n);
      // Vendor REST: every request the fake vendor received, counted (the user lookup is cached).
      assertThat(scrape.sum("tokenauthority_vendor_calls_total", Map.of("vendor", "agora-chat")))
          .isEqualTo(chat.calls().size()).isPositive();
      assertThat(scrape.sum("tokenauthority_vendor_call_duration_seconds_count", Map.of("call", "chat.get_user")))
          .isEqualTo(chat.count(FakeVendor.GET_USER));
      String lookups = "tokenauthority_chat_user_directory_lookups_total";
      assertThat(scrape.sum(lookups, Map.of())).as("one lookup per chat call").isEqualTo(n);
      assertThat(scrape.sum(lookups, Map.of("result", "miss"))).isPositive();
      assertThat(scrape.sum(lookups, Map.of("result", "hit"))).isPositive();
      assertThat(scrape.sum("tokenauthority_audit_dropped_total", Map.of())).isZero();
      // Bounded labels and no secrets: nothing a caller sent, no credential.
      assertThat(scrape.text()).doesNotContain(MARKER).doesNotContain("alice");
      assertThat(scrape.series()).allSatisfy(s -> {
        assertThat(s.labels().getOrDefault("caller", "none")).as(s.toString())
            .isIn(FULL, LIMITED, THROTTLED, "other", "none");
        assertThat(s.labels().getOrDefault("app", "none")).as(s.toString()).isIn("rtc", "zim", "other", "none");
      });
      LogCapture.assertNoSecretIn("the /metrics scrape", scrape.text());
      dashboardAndAlertsNameOnlyExportedMetrics(scrape);

      // The audit file: exactly one JSON line per call, nothing else.
      List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(9 * n + 1);
      for (String line : lines) {
        JsonNode node = json.readTree(line);
        assertThat(node.has("rpc") && node.has("caller") && node.has("outcome")).as(line).isTrue();
      }
      assertThat(lines.stream().filter(l -> l.contains("\"outcome\":\"ok\""))).hasSize(4 * n + 1 + BURST);
      assertThat(lines.stream().filter(l -> l.contains("\"reason\":\"RATE_LIMITED\""))).hasSize(over);
    }
  }

  /**
   * The Grafana dashboard and the alerting rules in docs/deploy/observability query only metric
   * names this server really exported under the load (promtool checks the rules' syntax in the
   * docs module).
   */
  private static void dashboardAndAlertsNameOnlyExportedMetrics(PrometheusScrape scrape) throws Exception {
    Path deploy = Path.of("").toAbsolutePath().getParent().resolve("docs/deploy/observability");
    java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(?:grpc_server|tokenauthority)_[a-z0-9_]+");
    for (String file : List.of("grafana-dashboard.json", "alerts.yaml")) {
      java.util.regex.Matcher m = metric.matcher(Files.readString(deploy.resolve(file)));
      int found = 0;
      while (m.find()) {
        found++;
        assertThat(scrape.names()).as(file + " queries a metric the server does not export").contains(m.group());
      }
      assertThat(found).as(file).isGreaterThan(5);
    }
  }

  /**
   * A stub per call (a stub's deadline runs from its creation) with a deadline no loaded CI machine
   * reaches: a client-side timeout would make the client's and the server's counts disagree.
   */
  private static TokenAuthorityServiceBlockingStub roomy(io.grpc.Channel ch) {
    return TokenAuthorityServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static IssueRtcTokenRequest rtc(String app, String channel) {
    return IssueRtcTokenRequest.newBuilder().setApp(app).setChannelName(channel).setUserAccount("user-" + MARKER)
        .setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(900).build();
  }

  /** "name|OK" or "name|CODE/REASON". */
  private static String outcome(String name, Runnable call) {
    return outcome(name, call, new ArrayList<>());
  }

  /** As {@link #outcome(String, Runnable)}; each refusal's RetryInfo delay, if any, goes to {@code retryDelays}. */
  private static String outcome(String name, Runnable call, List<Duration> retryDelays) {
    try {
      call.run();
      return name + "|OK";
    } catch (StatusRuntimeException e) {
      StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(RetryInfo.class)).forEach(a -> {
        try {
          com.google.protobuf.Duration d = a.unpack(RetryInfo.class).getRetryDelay();
          retryDelays.add(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
        } catch (Exception x) {
          throw new AssertionError(x);
        }
      });
      ErrorInfo info = StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class))
          .map(a -> {
            try {
              return a.unpack(ErrorInfo.class);
            } catch (Exception x) {
              throw new AssertionError(x);
            }
          }).findFirst().orElse(null);
      return name + "|" + e.getStatus().getCode() + "/" + (info == null ? "no ErrorInfo" : info.getReason());
    }
  }
}
