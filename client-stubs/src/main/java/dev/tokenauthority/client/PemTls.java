package dev.tokenauthority.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * mTLS material from PEM files that the client re-reads on its own schedule ({@link #reload()}),
 * so that a rotated client certificate or CA bundle (cert-manager, SPIFFE helper, ...) is picked
 * up without a restart. The reload is ours rather than grpc-java's file watcher because the
 * client must know when its certificate changed (to open a new channel, see
 * {@link RotatingChannel}), and because grpc-java's watcher cannot re-read more often than once a
 * minute.
 */
final class PemTls {
  private static final System.Logger LOG = System.getLogger(PemTls.class.getName());

  private final Path certChain;
  private final Path privateKey;
  private final Path caBundle;
  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509TrustManager trustManager;

  private PemTls(Path certChain, Path privateKey, Path caBundle) throws GeneralSecurityException {
    this.certChain = certChain;
    this.privateKey = privateKey;
    this.caBundle = caBundle;
    this.trustManager = AdvancedTlsX509TrustManager.newBuilder()
        .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION)
        .build();
  }

  /** Loads the files once, failing fast when they are unreadable, invalid or do not belong together. */
  static PemTls load(Path certChain, Path privateKey, Path caBundle) {
    try {
      PemTls tls = new PemTls(certChain, privateKey, caBundle);
      tls.read();
      return tls;
    } catch (IOException e) {
      // Paths are the caller's configuration, not secrets: naming them helps the operator.
      throw new UncheckedIOException("cannot read TLS files " + certChain + ", " + privateKey + ", " + caBundle, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid TLS material in " + certChain + ", " + privateKey + " or "
          + caBundle + ": " + e.getClass().getSimpleName() + (e instanceof KeyMismatchException ? " " + e.getMessage() : ""), e);
    }
  }

  /**
   * Re-reads the files. When they cannot be read or do not fit together (e.g. a rotation caught
   * between writing the certificate and the key), the material in use stays and the next reload
   * tries again.
   */
  void reload() {
    try {
      read();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The exception's class only: parser messages may quote file content.
      LOG.log(System.Logger.Level.WARNING, "TLS files " + certChain + ", " + privateKey + ", " + caBundle
          + " not reloaded (" + e.getClass().getSimpleName() + "); keeping the previous ones");
    }
  }

  private void read() throws IOException, GeneralSecurityException {
    X509Certificate[] chain;
    PrivateKey key;
    X509Certificate[] roots;
    try (InputStream in = Files.newInputStream(certChain)) {
      chain = CertificateUtils.getX509Certificates(in);
    }
    try (InputStream in = Files.newInputStream(privateKey)) {
      key = CertificateUtils.getPrivateKey(in);
    }
    try (InputStream in = Files.newInputStream(caBundle)) {
      roots = CertificateUtils.getX509Certificates(in);
    }
    if (chain.length == 0 || roots.length == 0) {
      throw new GeneralSecurityException("no certificate");
    }
    requireKeyPair(chain[0], key);
    trustManager.updateTrustCredentials(roots);
    keyManager.updateIdentityCredentials(chain, key);
  }

  /**
   * A task for a fixed-delay schedule: reloads the files and, while the client certificate differs
   * from the one the channel was last built with, asks {@code onNewCertificate} to build a new
   * channel (true once done; a failure is logged and retried on the next run).
   */
  Runnable reloadTask(BooleanSupplier onNewCertificate) {
    AtomicReference<X509Certificate> builtWith = new AtomicReference<>(currentCertificate());
    return () -> {
      reload();
      X509Certificate now = currentCertificate();
      if (now.equals(builtWith.get())) {
        return;
      }
      try {
        if (onNewCertificate.getAsBoolean()) {
          builtWith.set(now);
        }
      } catch (RuntimeException e) {
        // Thrown out of the task it would cancel every later reload.
        LOG.log(System.Logger.Level.WARNING, "no new channel for the rotated client certificate ("
            + e.getClass().getSimpleName() + "); retrying on the next reload");
      }
    };
  }

  /** The client certificate new connections present. */
  X509Certificate currentCertificate() {
    X509Certificate[] chain = keyManager.getCertificateChain(keyManager.chooseEngineClientAlias(null, null, null));
    return chain == null || chain.length == 0 ? null : chain[0];
  }

  /**
   * Credentials for one new channel. grpc-netty builds a new SslContext (and with it a new TLS
   * session cache) for every channel builder, so a channel built after a rotation cannot resume a
   * session that carries the previous certificate.
   */
  ChannelCredentials newCredentials() {
    return TlsChannelCredentials.newBuilder().keyManager(keyManager).trustManager(trustManager).build();
  }

  /** Proves that {@code key} is the private half of the certificate's public key by signing with it. */
  private static void requireKeyPair(X509Certificate leaf, PrivateKey key) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> null;
    };
    if (algorithm == null) {
      return; // No way to check: the handshake will tell.
    }
    byte[] probe = "token-authority key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // Different key types: not a pair either.
    }
    throw new KeyMismatchException();
  }

  /** The private key is not the certificate's. */
  private static final class KeyMismatchException extends GeneralSecurityException {
    KeyMismatchException() {
      super("(the private key does not belong to the certificate)");
    }
  }
}
