package dev.tokenauthority.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc.TokenAuthorityServiceBlockingStub;
import dev.tokenauthority.api.v1.Validity;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.server.config.ConfigLoader;
import dev.tokenauthority.server.config.ConfigReloader;
import dev.tokenauthority.server.config.ServerConfig;
import dev.tokenauthority.server.testing.Errors;
import dev.tokenauthority.server.testing.LogCapture;
import dev.tokenauthority.server.testing.TestCredentials;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Agora certificate rotation and a policy change applied to a running server by a reload, over
 * a real socket and one long-lived channel: no restart, no new connection.
 */
@ExtendWith(LogCapture.class)
class ConfigReloadEndToEndTest {
  static final String APP_ID = TestCredentials.hex32();

  @TempDir Path dir;

  @Test
  void aCertificateRotationAndAPolicyChangeTakeEffectWithoutARestart() throws Exception {
    String oldCert = TestCredentials.hex32();
    String newCert = TestCredentials.hex32();
    LogCapture.registerSecret(oldCert);
    LogCapture.registerSecret(newCert);
    Path file = dir.resolve("ta.yaml");
    write(dir.resolve("rtc.cert"), oldCert);
    write(file, config("", "[IssueRtmToken, RenewToken]"));
    ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);
    ServerConfig loaded = loader.load(file);

    try (TestServer server = TestServer.start(loaded, Clock.systemUTC())) {
      ConfigReloader reloader = new ConfigReloader(file.toString(), () -> loader.load(file),
          server.server().config(), loaded);
      ManagedChannel channel = server.plaintextChannel();
      TokenAuthorityServiceBlockingStub stub = server.stub(channel);
      String before = stub.issueRtmToken(IssueRtmTokenRequest.newBuilder().setApp("rtc").setUserId("u1")
          .setLifetimeSeconds(600).build()).getIssuedToken().getToken();
      assertThat(reason(() -> inspect(stub, before))).isEqualTo("RPC_NOT_ALLOWED");

      // Rotation step 1: a new primary, the old one kept as secondary; and InspectToken allowed.
      write(dir.resolve("rtc.cert"), newCert);
      write(dir.resolve("rtc.old"), oldCert);
      write(file, config("secondary_certificate: {file: rtc.old}, ", "[IssueRtmToken, RenewToken, InspectToken]"));
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING); // applied once read twice
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);

      InspectTokenResponse oldSeen = inspect(stub, before);
      assertThat(oldSeen.getValidity()).isEqualTo(Validity.VALIDITY_VALID);
      assertThat(oldSeen.getMatchedCredential()).isEqualTo("secondary");
      String renewed = stub.renewToken(RenewTokenRequest.newBuilder().setToken(before).build())
          .getIssuedToken().getToken();
      assertThat(new AccessToken2Verifier(Clock.systemUTC()).verify(renewed, List.of(Secret.of(newCert)))
          .claims().rtm().orElseThrow().userId()).isEqualTo("u1");
      assertThat(inspect(stub, renewed).getMatchedCredential()).isEqualTo("primary");

      // Rotation step 2: the old certificate is gone; tokens it signed are no longer renewable.
      write(file, config("", "[IssueRtmToken, RenewToken, InspectToken]"));
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.PENDING); // applied once read twice
      assertThat(reloader.reloadNow()).isEqualTo(ConfigReloader.Outcome.APPLIED);
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> stub.renewToken(RenewTokenRequest.newBuilder().setToken(before).build()));
      assertThat(Errors.of(refused).code()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(Errors.of(refused).reason()).isEqualTo("SIGNATURE_MISMATCH");
      assertThat(inspect(stub, renewed).getValidity()).isEqualTo(Validity.VALIDITY_VALID);
      channel.shutdownNow();
    }
  }

  private static InspectTokenResponse inspect(TokenAuthorityServiceBlockingStub stub, String token) {
    return stub.inspectToken(InspectTokenRequest.newBuilder().setToken(token).setApp("rtc").build());
  }

  private static String reason(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).isNotNull();
    return Errors.of(e).reason();
  }

  private static String config(String secondary, String rpcs) {
    return """
        listen: {address: 127.0.0.1, port: 0}
        apps:
          rtc: {vendor: agora, app_id: %s, certificate: {file: rtc.cert}, %s}
        callers:
          - identity: local
            apps: ["*"]
            rpcs: %s
        """.formatted(APP_ID, secondary, rpcs).replace(", }", "}");
  }

  private static void write(Path target, String text) throws Exception {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n");
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
