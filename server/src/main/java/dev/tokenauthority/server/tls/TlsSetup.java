package dev.tokenauthority.server.tls;

import dev.tokenauthority.server.config.ServerConfig;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server TLS from grpc-java's own pieces: the certificate, key and client CA bundle are files,
 * re-read on an interval by AdvancedTlsX509KeyManager / AdvancedTlsX509TrustManager, so rotated
 * certificates take effect without a restart. Client certificates are checked against the CA
 * bundle only (no host name check: clients are identified by their SAN, see IdentityInterceptor).
 */
public final class TlsSetup implements Closeable {
  private final ServerCredentials credentials;
  private final List<Closeable> reloaders;

  private TlsSetup(ServerCredentials credentials, List<Closeable> reloaders) {
    this.credentials = credentials;
    this.reloaders = reloaders;
  }

  public static TlsSetup create(ServerConfig.Tls tls, ScheduledExecutorService scheduler)
      throws IOException, GeneralSecurityException {
    List<Closeable> reloaders = new ArrayList<>();
    long period = tls.reloadInterval().toSeconds();
    AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    reloaders.add(keys.updateIdentityCredentials(
        tls.certificateFile().toFile(), tls.privateKeyFile().toFile(), period, TimeUnit.SECONDS, scheduler)::close);
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(keys);
    if (tls.clientCaFile().isPresent()) {
      AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
          .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
          .build();
      reloaders.add(trust.updateTrustCredentials(
          tls.clientCaFile().get().toFile(), period, TimeUnit.SECONDS, scheduler)::close);
      b.trustManager(trust);
    }
    b.clientAuth(switch (tls.clientAuth()) {
      case REQUIRED -> TlsServerCredentials.ClientAuth.REQUIRE;
      case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
      case NONE -> TlsServerCredentials.ClientAuth.NONE;
    });
    return new TlsSetup(b.build(), List.copyOf(reloaders));
  }

  public ServerCredentials credentials() {
    return credentials;
  }

  /** Stops the reload tasks. */
  @Override
  public void close() {
    for (Closeable c : reloaders) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing to release beyond the scheduled task
      }
    }
  }
}
