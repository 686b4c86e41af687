package dev.tokenauthority.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.server.errors.ApiException;
import dev.tokenauthority.server.testing.TestPki;
import io.grpc.Status;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-call validity check, at the edges of a certificate's window, with a fixed clock. */
class IdentityValidityWindowTest {
  @TempDir Path dir;

  @Test
  void aCertificateIsAnIdentityOnlyInsideItsValidityWindow() throws Exception {
    TestPki pki = TestPki.create(dir, "win");
    X509Certificate cert = load(pki.client("c", "spiffe://t/c", null, "c",
        Instant.now().plus(Duration.ofDays(1))).certificate());
    SSLSession session = session(cert);
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();

    CallerIdentity first = at(notBefore).identify(session);
    assertThat(first.id()).isEqualTo("spiffe://t/c");
    // Read once per session; the validity window is still checked on every call (below).
    assertThat(at(notAfter).identify(session)).isSameAs(first);
    assertThat(reason(at(notAfter.plusSeconds(1)), session)).isEqualTo("CLIENT_CERTIFICATE_EXPIRED");
    assertThat(reason(at(notBefore.minusSeconds(1)), session)).isEqualTo("CLIENT_CERTIFICATE_NOT_YET_VALID");
  }

  private static IdentityInterceptor at(Instant now) {
    return new IdentityInterceptor(false, Clock.fixed(now, ZoneOffset.UTC), refusal -> {});
  }

  private static String reason(IdentityInterceptor i, SSLSession session) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> i.identify(session));
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    return e.reason();
  }

  private static X509Certificate load(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** An SSLSession whose peer presented {@code cert}, with application values; nothing else is used. */
  private static SSLSession session(X509Certificate cert) {
    Map<String, Object> values = new ConcurrentHashMap<>();
    return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(), new Class<?>[] {SSLSession.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getPeerCertificates":
              return new Certificate[] {cert};
            case "getValue":
              return values.get((String) args[0]);
            case "putValue":
              values.put((String) args[0], args[1]);
              return null;
            default:
              break;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
