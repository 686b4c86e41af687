package dev.tokenauthority.bench.load;

import com.google.protobuf.MessageLite;
import dev.tokenauthority.api.v1.AgoraChatApp;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RtcRole;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes gRPC-framed request bodies (the 5-byte length prefix and the serialized message) for
 * h2load's {@code -d}, one file per RPC: {@code rtc.bin}, {@code zim.bin}, {@code renew-rtc.bin},
 * {@code chat-app.bin}, {@code health.bin}. The RenewToken body carries a real token, so the tool
 * first issues one from the (loopback, plaintext) server under test.
 */
@Command(name = "grpc-bodies", mixinStandardHelpOptions = true,
    description = "Pre-framed gRPC request bodies for h2load.")
public final class GrpcBodies implements Callable<Integer> {
  @Option(names = "--target", description = "host:port of a plaintext server on loopback (for the token to renew).")
  String target = "127.0.0.1:50051";

  @Option(names = "--out", required = true, description = "Directory to write the .bin files into.")
  Path out;

  @Option(names = "--agora-app", description = "Agora app reference (default ${DEFAULT-VALUE}).")
  String agoraApp = "agora";

  @Option(names = "--zego-app", description = "ZEGO app reference (default ${DEFAULT-VALUE}).")
  String zegoApp = "zego";

  public static void main(String[] args) {
    System.exit(new CommandLine(new GrpcBodies()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String host = target.substring(0, target.lastIndexOf(':')).replace("[", "").replace("]", "");
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (!a.isLoopbackAddress()) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--target must be a loopback address");
      }
    }
    Files.createDirectories(out);
    IssueRtcTokenRequest rtc = IssueRtcTokenRequest.newBuilder().setApp(agoraApp).setChannelName("load-channel-7")
        .setUid(424242).setRole(RtcRole.RTC_ROLE_PUBLISHER).setLifetimeSeconds(3600).build();
    write("rtc.bin", rtc);
    write("zim.bin", IssueZimTokenRequest.newBuilder().setApp(zegoApp).setUserId("load_user_7")
        .setLifetimeSeconds(3600).build());
    write("chat-app.bin", IssueChatTokenRequest.newBuilder().setApp(agoraApp)
        .setAgoraApp(AgoraChatApp.getDefaultInstance()).setLifetimeSeconds(3600).build());
    write("health.bin", HealthCheckRequest.getDefaultInstance());
    ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    try {
      String token = TokenAuthorityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .issueRtcToken(rtc).getIssuedToken().getToken();
      write("renew-rtc.bin", RenewTokenRequest.newBuilder().setApp(agoraApp).setToken(token).build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return 0;
  }

  private void write(String name, MessageLite message) throws IOException {
    byte[] body = message.toByteArray();
    ByteArrayOutputStream framed = new ByteArrayOutputStream(5 + body.length);
    framed.write(0); // not compressed
    framed.write(body.length >>> 24);
    framed.write(body.length >>> 16);
    framed.write(body.length >>> 8);
    framed.write(body.length);
    framed.write(body);
    Files.write(out.resolve(name), framed.toByteArray());
  }
}
