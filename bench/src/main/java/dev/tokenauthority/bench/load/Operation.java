package dev.tokenauthority.bench.load;

import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The calls a load run can mix. Requests vary channel and user per call (from a small range, as
 * real traffic would repeat users) so nothing upstream can cache one answer. Each call returns
 * the issued token so the runner can check it looks like the format asked for.
 */
enum Operation {
  /** IssueRtcToken, "007", publisher, numeric uid. */
  RTC("IssueRtcToken", "007") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      return stub.issueRtcToken(IssueRtcTokenRequest.newBuilder().setApp(apps.agora())
          .setChannelName("load-channel-" + r.nextInt(1000)).setUid(1 + r.nextInt(1_000_000))
          .setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(3600).build()).getIssuedToken();
    }
  },
  /** IssueRtmToken, "007". */
  RTM("IssueRtmToken", "007") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp(apps.agora())
          .setUserId("load-user-" + ThreadLocalRandom.current().nextInt(1_000_000))
          .setLifetimeSeconds(3600).build()).getIssuedToken();
    }
  },
  /** IssueZimToken, plain ZIM login (no room payload). */
  ZIM("IssueZimToken", "04") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.issueZimToken(zimRequest(apps, false)).getIssuedToken();
    }
  },
  /** IssueZimToken with an RTC room payload (login + publish, two stream ids). */
  ZIM_ROOM("IssueZimToken(room)", "04") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.issueZimToken(zimRequest(apps, true)).getIssuedToken();
    }
  },
  /** IssueChatToken, Easemob dynamic "dt-" token (local, no REST call). */
  DT("IssueChatToken(dt)", "ZHQt") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.issueChatToken(IssueChatTokenRequest.newBuilder().setApp(apps.easemob())
          .setEasemobUser(EasemobUser.newBuilder().setUserId("load_user_" + ThreadLocalRandom.current().nextInt(1_000_000)))
          .setLifetimeSeconds(3600).build()).getIssuedToken();
    }
  },
  /** RenewToken of a pre-issued "007" RTC token. */
  RENEW_RTC("RenewToken(rtc)", "007") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.renewToken(RenewTokenRequest.newBuilder().setApp(apps.agora()).setToken(pool.rtc())
          .build()).getIssuedToken();
    }
  },
  /** RenewToken of a pre-issued ZEGO Token04 (decrypt + re-encrypt on the server). */
  RENEW_ZIM("RenewToken(zim)", "04") {
    @Override
    IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool) {
      return stub.renewToken(RenewTokenRequest.newBuilder().setApp(apps.zego()).setToken(pool.zim())
          .build()).getIssuedToken();
    }
  };

  private final String label;
  private final String expectedPrefix;

  Operation(String label, String expectedPrefix) {
    this.label = label;
    this.expectedPrefix = expectedPrefix;
  }

  abstract IssuedToken call(TokenAuthorityServiceBlockingStub stub, Apps apps, TokenPool pool);

  String label() {
    return label;
  }

  /** A cheap sanity check that the call really produced a token of the expected format. */
  boolean looksRight(IssuedToken token) {
    return !token.getToken().isEmpty() && token.getToken().startsWith(expectedPrefix);
  }

  /** "rtc", "zim-room", "renew-rtc": the names --mix accepts. */
  String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Operation byKey(String key) {
    for (Operation o : values()) {
      if (o.key().equals(key)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + key + "'; known: " + java.util.Arrays.stream(values())
        .map(Operation::key).toList());
  }

  private static IssueZimTokenRequest zimRequest(Apps apps, boolean room) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    IssueZimTokenRequest.Builder b = IssueZimTokenRequest.newBuilder().setApp(apps.zego())
        .setUserId("load_user_" + r.nextInt(1_000_000)).setLifetimeSeconds(3600);
    if (room) {
      b.setRoom(ZegoRoomPrivileges.newBuilder().setRoomId("load-room-" + r.nextInt(1000)).setCanLogin(true)
          .setCanPublish(true).addStreamIds("stream-a").addStreamIds("stream-b"));
    }
    return b.build();
  }

  /** The server-side app references to call with. */
  record Apps(String agora, String zego, String easemob) {}
}
