package dev.tokenauthority.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * mTLS credentials from PEM files that are re-read periodically, so that a rotated client
 * certificate or CA bundle (cert-manager, SPIFFE helper, ...) is picked up without a restart.
 * New connections use the new files; established ones keep theirs until they reconnect.
 */
final class PemTls implements Closeable {
  private final ChannelCredentials credentials;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509KeyManager.Closeable keyReloader;
  private final AdvancedTlsX509TrustManager.Closeable trustReloader;

  private PemTls(ChannelCredentials credentials, AdvancedTlsX509KeyManager keyManager,
      AdvancedTlsX509KeyManager.Closeable keyReloader, AdvancedTlsX509TrustManager.Closeable trustReloader) {
    this.credentials = credentials;
    this.keyManager = keyManager;
    this.keyReloader = keyReloader;
    this.trustReloader = trustReloader;
  }

  /**
   * Loads the files once (failing fast when they are unreadable or invalid) and schedules their
   * reloading on {@code executor} every {@code refresh}.
   */
  static PemTls load(Path certChain, Path privateKey, Path caBundle, Duration refresh,
      ScheduledExecutorService executor) {
    try {
      AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
      AdvancedTlsX509KeyManager.Closeable keyReloader = keyManager.updateIdentityCredentials(
          certChain.toFile(), privateKey.toFile(), refresh.toMillis(), TimeUnit.MILLISECONDS, executor);
      AdvancedTlsX509TrustManager trustManager = AdvancedTlsX509TrustManager.newBuilder()
          .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION)
          .build();
      AdvancedTlsX509TrustManager.Closeable trustReloader;
      try {
        trustReloader = trustManager.updateTrustCredentials(
            caBundle.toFile(), refresh.toMillis(), TimeUnit.MILLISECONDS, executor);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        keyReloader.close();
        throw e;
      }
      ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
          .keyManager(keyManager)
          .trustManager(trustManager)
          .build();
      return new PemTls(credentials, keyManager, keyReloader, trustReloader);
    } catch (IOException e) {
      // Paths are the caller's configuration, not secrets: naming them helps the operator.
      throw new UncheckedIOException("cannot read TLS files " + certChain + ", " + privateKey + ", " + caBundle, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid TLS material in " + certChain + ", " + privateKey + " or "
          + caBundle + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /** The client certificate currently presented on new connections (tests observe rotation). */
  X509Certificate currentCertificate() {
    X509Certificate[] chain = keyManager.getCertificateChain(keyManager.chooseEngineClientAlias(null, null, null));
    return chain == null || chain.length == 0 ? null : chain[0];
  }

  ChannelCredentials credentials() {
    return credentials;
  }

  @Override
  public void close() {
    keyReloader.close();
    trustReloader.close();
  }
}
