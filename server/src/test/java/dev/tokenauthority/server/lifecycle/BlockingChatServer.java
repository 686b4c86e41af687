package dev.tokenauthority.server.lifecycle;

import dev.tokenauthority.api.v1.AgoraChatUser;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.TokenAuthorityServer;
import dev.tokenauthority.server.config.AgoraApp;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.CoreTokenEngine;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real server (development apps, plaintext loopback, ephemeral ports, a health-only listener)
 * whose Agora Chat user directory blocks every lookup until the test releases it or the call is
 * cancelled: IssueChatToken by user name then stands for any slow call in flight.
 */
final class BlockingChatServer implements AutoCloseable {
  final BlockingDirectory directory = new BlockingDirectory();
  final ServerConfig config;
  final TokenAuthorityServer server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  BlockingChatServer(ServerConfig.Limits limits, ServerConfig.Shutdown shutdown) throws Exception {
    ServerConfig dev = DevelopmentConfig.create(new SecureRandom());
    this.config = new ServerConfig(new ServerConfig.Listen("127.0.0.1", 0), Optional.empty(), dev.apps(),
        dev.callers(), dev.renewalGrace(), limits, shutdown, true,
        Optional.of(new ServerConfig.Listen("127.0.0.1", 0)));
    LogCapture.registerSecrets(config);
    this.server = TokenAuthorityServer.builder(config, new CoreTokenEngine())
        .chatUserDirectory(directory)
        .build()
        .start();
  }

  AgoraApp agora() {
    return (AgoraApp) config.app(DevelopmentConfig.AGORA_APP).orElseThrow();
  }

  ManagedChannel channel() {
    return channel(server.port());
  }

  ManagedChannel healthChannel() {
    return channel(server.healthPort().getAsInt());
  }

  private ManagedChannel channel(int port) {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .build();
    channels.add(ch);
    return ch;
  }

  /** Starts IssueChatToken for {@code userName}; it blocks in the directory until released. */
  ListenableFuture<IssueChatTokenResponse> chatByName(ManagedChannel ch, String userName) {
    return TokenAuthorityServiceGrpc.newFutureStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
        .issueChatToken(IssueChatTokenRequest.newBuilder().setApp(DevelopmentConfig.AGORA_APP)
            .setAgoraUser(AgoraChatUser.newBuilder().setUserName(userName)).setLifetimeSeconds(600).build());
  }

  static String uuidOf(String userName) {
    return "uuid-" + userName;
  }

  @Override
  public void close() {
    directory.releaseAll();
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    server.stop();
  }

  /** Blocks each lookup until {@link #releaseAll} or until the call's gRPC Context is cancelled. */
  static final class BlockingDirectory implements ChatUserDirectory {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    /** Names of the threads lookups ran on. */
    final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public String resolveUuid(AgoraApp app, String userName, boolean register) {
      threads.add(Thread.currentThread().getName());
      Context ctx = Context.current();
      CountDownLatch cancel = new CountDownLatch(1);
      Context.CancellationListener onCancel = c -> cancel.countDown();
      ctx.addListener(onCancel, Runnable::run);
      entered.release();
      try {
        while (release.getCount() > 0 && cancel.getCount() > 0) {
          if (release.await(20, TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ctx.removeListener(onCancel);
      }
      if (release.getCount() > 0) {
        cancelled.incrementAndGet();
        throw ApiException.of(Status.Code.CANCELLED, null, "CALL_CANCELLED", "the call was cancelled");
      }
      completed.incrementAndGet();
      return uuidOf(userName);
    }

    /** Waits until {@code n} more lookups have started. */
    boolean awaitEntered(int n) throws InterruptedException {
      return entered.tryAcquire(n, 20, TimeUnit.SECONDS);
    }

    void releaseAll() {
      release.countDown();
    }
  }

  static ServerConfig.Shutdown shutdown(Duration grace) {
    return new ServerConfig.Shutdown(Duration.ZERO, grace);
  }
}
