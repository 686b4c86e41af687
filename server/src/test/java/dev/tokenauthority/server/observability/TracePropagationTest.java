package dev.tokenauthority.server.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.server.bridges.VendorBridges;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A caller's W3C trace id reaches the server span and the vendor REST call's span (and the
 * vendor's request), parent to child, and no span carries a secret or what the caller sent.
 */
class TracePropagationTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @Test
  void theCallersTraceIdIsCarriedIntoTheServerSpanAndTheVendorCallSpan() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    Telemetry telemetry = Telemetry.of(sdk, true);
    List<String> sentToVendor;
    String cert = TestCredentials.hex32();
    try (FakeVendor chat = new FakeVendor("org1", "chatapp")) {
      chat.acceptChatAppToken = t -> t.startsWith("007");
      chat.users.put("alice-traced", new FakeVendor.User("uuid-alice", "pw-unused", true));
      ServerConfig cfg = new ConfigLoader(Map.of("RTC_CERT", cert)::get).parse("""
          apps:
            rtc: {vendor: agora, app_id: %s, certificate: {env: RTC_CERT}, chat_rest_base: %s, chat_app_key: org1#chatapp}
          callers:
            - {identity: local, apps: ["*"], rpcs: ["*"]}
          tracing: {enabled: true}
          """.formatted(TestCredentials.hex32(), chat.baseUrl()), null);
      VendorBridges bridges = VendorBridges.create(new CoreTokenEngine(), Clock.systemUTC(), telemetry);
      try (TestServer server = TestServer.start(cfg, Clock.systemUTC(),
          b -> b.telemetry(telemetry).chatUserDirectory(bridges).easemobTokenGrants(bridges))) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
            "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
        headers.put(Metadata.Key.of("tracestate", Metadata.ASCII_STRING_MARSHALLER), "caller=private-state");
        var stub = server.stub(server.plaintextChannel())
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp("rtc").setLifetimeSeconds(600)
            .setAgoraUser(AgoraChatUser.newBuilder().setUserName("alice-traced")).build());
      }
      sentToVendor = List.copyOf(chat.traceparents);
    }
    List<SpanData> all = spans.getFinishedSpanItems(); // before closing: closing the exporter empties it
    sdk.close();
    SpanData server = all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("tokenauthority.v1.TokenAuthorityService/IssueChatToken");
    assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
    List<SpanData> vendor = all.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(vendor).isNotEmpty().allSatisfy(v -> {
      assertThat(v.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(v.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(v.getName()).startsWith("agora-chat chat.");
    });
    // Each vendor request carried its own attempt span as parent, in the caller's trace.
    assertThat(sentToVendor).hasSize(vendor.size()).allSatisfy(tp -> assertThat(vendor)
        .anySatisfy(v -> assertThat(tp).isEqualTo("00-" + TRACE_ID + "-" + v.getSpanId() + "-01")));
    for (SpanData s : all) {
      String attributes = s.getName() + " " + s.getAttributes() + " " + s.getStatus() + " " + s.getEvents();
      assertThat(attributes).doesNotContain("alice").doesNotContain("private-state").doesNotContain("007");
      LogCapture.assertNoSecretIn("span " + s.getName(), attributes);
    }
  }
}
