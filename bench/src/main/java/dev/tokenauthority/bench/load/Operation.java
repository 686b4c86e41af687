package dev.tokenauthority.bench.load;

import dev.tokenauthority.api.v1.EasemobUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenResponse;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.api.v1.ZegoRoomPrivileges;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The calls a load run can mix. Requests vary channel and user per call (from a small range, as
 * real traffic would repeat users) so nothing upstream can cache one answer. Each call returns
 * the issued token so the runner can check it looks like the format asked for.
 */
enum Operation {
  /** IssueRtcToken, "007", publisher, numeric uid. */
  RTC("IssueRtcToken", "007", TokenAuthorityServiceGrpc.getIssueRtcTokenMethod(),
      r -> ((IssueRtcTokenResponse) r).getIssuedToken()) {
    @Override
    IssueRtcTokenRequest request(Apps apps, TokenPool pool) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      return IssueRtcTokenRequest.newBuilder().setApp(apps.agora())
          .setChannelName("load-channel-" + r.nextInt(1000)).setUid(1 + r.nextInt(1_000_000))
          .setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(3600).build();
    }
  },
  /** IssueRtmToken, "007". */
  RTM("IssueRtmToken", "007", TokenAuthorityServiceGrpc.getIssueRtmTokenMethod(),
      r -> ((IssueRtmTokenResponse) r).getIssuedToken()) {
    @Override
    IssueRtmTokenRequest request(Apps apps, TokenPool pool) {
      return IssueRtmTokenRequest.newBuilder().setApp(apps.agora())
          .setUserId("load-user-" + ThreadLocalRandom.current().nextInt(1_000_000))
          .setLifetimeSeconds(3600).build();
    }
  },
  /** IssueZimToken, plain ZIM login (no room payload). */
  ZIM("IssueZimToken", "04", TokenAuthorityServiceGrpc.getIssueZimTokenMethod(), Operation::zimToken) {
    @Override
    IssueZimTokenRequest request(Apps apps, TokenPool pool) {
      return zimRequest(apps, false);
    }
  },
  /** IssueZimToken with an RTC room payload (login + publish, two stream ids). */
  ZIM_ROOM("IssueZimToken(room)", "04", TokenAuthorityServiceGrpc.getIssueZimTokenMethod(), Operation::zimToken) {
    @Override
    IssueZimTokenRequest request(Apps apps, TokenPool pool) {
      return zimRequest(apps, true);
    }
  },
  /** IssueChatToken, Easemob dynamic "dt-" token (local, no REST call). */
  DT("IssueChatToken(dt)", "ZHQt", TokenAuthorityServiceGrpc.getIssueChatTokenMethod(),
      r -> ((IssueChatTokenResponse) r).getIssuedToken()) {
    @Override
    IssueChatTokenRequest request(Apps apps, TokenPool pool) {
      return IssueChatTokenRequest.newBuilder().setApp(apps.easemob())
          .setEasemobUser(EasemobUser.newBuilder().setUserId("load_user_" + ThreadLocalRandom.current().nextInt(1_000_000)))
          .setLifetimeSeconds(3600).build();
    }
  },
  /** RenewToken of a pre-issued "007" RTC token. */
  RENEW_RTC("RenewToken(rtc)", "007", TokenAuthorityServiceGrpc.getRenewTokenMethod(), Operation::renewedToken) {
    @Override
    RenewTokenRequest request(Apps apps, TokenPool pool) {
      return RenewTokenRequest.newBuilder().setApp(apps.agora()).setToken(pool.rtc()).build();
    }
  },
  /** RenewToken of a pre-issued ZEGO Token04 (decrypt + re-encrypt on the server). */
  RENEW_ZIM("RenewToken(zim)", "04", TokenAuthorityServiceGrpc.getRenewTokenMethod(), Operation::renewedToken) {
    @Override
    RenewTokenRequest request(Apps apps, TokenPool pool) {
      return RenewTokenRequest.newBuilder().setApp(apps.zego()).setToken(pool.zim()).build();
    }
  },
  /**
   * {@code grpc.health.v1.Health/Check} of the whole server: the transport's own cost, the floor a
   * token RPC is compared with (issue 11). Its "token" is the status's name, so a call that does
   * not answer SERVING counts as wrong.
   */
  HEALTH("Health/Check", "SERVING", HealthGrpc.getCheckMethod(),
      r -> IssuedToken.newBuilder().setToken(((HealthCheckResponse) r).getStatus().name()).build()) {
    @Override
    HealthCheckRequest request(Apps apps, TokenPool pool) {
      return HealthCheckRequest.getDefaultInstance();
    }
  };

  private final String label;
  private final String expectedPrefix;
  private final MethodDescriptor<Object, Object> method;
  private final Function<Object, IssuedToken> issued;

  @SuppressWarnings("unchecked")
  Operation(String label, String expectedPrefix, MethodDescriptor<?, ?> method, Function<Object, IssuedToken> issued) {
    this.label = label;
    this.expectedPrefix = expectedPrefix;
    this.method = (MethodDescriptor<Object, Object>) method;
    this.issued = issued;
  }

  /** A fresh request for this operation. */
  abstract Object request(Apps apps, TokenPool pool);

  /** One call, blocking the calling thread until the answer. */
  IssuedToken call(Channel channel, CallOptions options, Apps apps, TokenPool pool) {
    return issued.apply(ClientCalls.blockingUnaryCall(channel, method, options, request(apps, pool)));
  }

  /** One call; {@code done} hears of the answer on the channel's executor. */
  void start(Channel channel, CallOptions options, Apps apps, TokenPool pool, StreamObserver<IssuedToken> done) {
    ClientCalls.asyncUnaryCall(channel.newCall(method, options), request(apps, pool), new StreamObserver<>() {
      @Override
      public void onNext(Object response) {
        done.onNext(issued.apply(response));
      }

      @Override
      public void onError(Throwable t) {
        done.onError(t);
      }

      @Override
      public void onCompleted() {
        done.onCompleted();
      }
    });
  }

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

  private static IssuedToken zimToken(Object response) {
    return ((IssueZimTokenResponse) response).getIssuedToken();
  }

  private static IssuedToken renewedToken(Object response) {
    return ((RenewTokenResponse) response).getIssuedToken();
  }

  /** The server-side app references to call with. */
  record Apps(String agora, String zego, String easemob) {}
}
