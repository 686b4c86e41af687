package dev.tokenauthority.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls that wait for a vendor run on the bounded handler pool; local mints do not need it. With
 * every pool thread held by a blocked vendor lookup (and another lookup queued behind them), each
 * local RPC still completes, and the vendor calls finish once released.
 */
@ExtendWith(LogCapture.class)
class InlineLocalMintsTest {

  @Test
  void localMintsCompleteWhileTheVendorPoolIsSaturated() throws Exception {
    int poolThreads = 2;
    try (BlockingChatServer s = new BlockingChatServer(new ServerConfig.Limits(poolThreads, 16, 64 * 1024),
        BlockingChatServer.shutdown(Duration.ofSeconds(1)))) {
      ManagedChannel ch = s.channel();
      List<ListenableFuture<IssueChatTokenResponse>> blocked = new ArrayList<>();
      for (int i = 0; i <= poolThreads; i++) { // one more than the pool has threads: it queues
        blocked.add(s.chatByName(ch, "user" + i));
      }
      assertThat(s.directory.awaitEntered(poolThreads)).as("every pool thread blocked in a lookup").isTrue();

      // A deadline well past "at once": a local call that queued behind the pool would miss it.
      TokenAuthorityServiceBlockingStub stub = TokenAuthorityServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      String rtc = stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
          .setChannelName("c").setUid(7).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(600).build())
          .getIssuedToken().getToken();
      assertThat(rtc).startsWith("007");
      assertThat(stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
          .setUserId("u").setLifetimeSeconds(600).build()).getIssuedToken().getToken()).startsWith("007");
      assertThat(stub.issueZimToken(IssueZimTokenRequest.newBuilder().setApp(DevelopmentConfig.ZEGO_APP)
          .setUserId("u").setLifetimeSeconds(600).build()).getIssuedToken().getToken()).startsWith("04");
      assertThat(stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
          .setAgoraApp(AgoraChatApp.getDefaultInstance()).setLifetimeSeconds(600).build())
          .getIssuedToken().getToken()).startsWith("007");
      assertThat(stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
          .setAgoraUser(AgoraChatUser.newBuilder().setUserUuid("uuid-x")).setLifetimeSeconds(600).build())
          .getIssuedToken().getToken()).startsWith("007");
      assertThat(stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp(DevelopmentConfig.EASEMOB_APP)
          .setEasemobUser(EasemobUser.newBuilder().setUserId("u")).setLifetimeSeconds(600).build())
          .getIssuedToken().getToken()).startsWith("ZHQt"); // base64 of "dt-"
      assertThat(stub.renewToken(RenewTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP).setToken(rtc)
          .build()).getIssuedToken().getToken()).startsWith("007");
      assertThat(stub.inspectToken(InspectTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
          .setToken(rtc).build()).getChannel()).isEqualTo("c");
      assertThat(s.directory.completed.get()).as("no lookup was let go meanwhile").isZero();

      s.directory.releaseAll();
      for (ListenableFuture<IssueChatTokenResponse> f : blocked) {
        assertThat(f.get(20, TimeUnit.SECONDS).getUserUuid()).startsWith("uuid-user");
      }
      assertThat(s.directory.threads).as("vendor lookups ran on the handler pool").isNotEmpty()
          .allSatisfy(name -> assertThat(name).startsWith("ta-handler-"));
    }
  }
}
