package dev.tokenauthority.server.observability;

import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.config.ServerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Seconds left on the server certificate and on each CA of the client bundle (read from the files
 * the TLS layer reloads, re-parsed only when a file changes), and which apps carry a secondary
 * credential (a rotation in progress). Label values come from the operator's files and config.
 */
final class ExpiryGauges {
  private static final AttributeKey<String> CERTIFICATE = AttributeKey.stringKey("certificate");
  private static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("subject");

  private record Parsed(FileTime modified, List<X509Certificate> certificates) {}

  private final ConfigHolder config;
  private final Clock clock;
  private final Map<Path, Parsed> cache = new ConcurrentHashMap<>();

  ExpiryGauges(Meter meter, ConfigHolder config, Clock clock) {
    this.config = config;
    this.clock = clock;
    meter.gaugeBuilder("tokenauthority.certificate.expiry").setUnit("s")
        .setDescription("Seconds until the server certificate (certificate=server) or a client CA "
            + "(certificate=client_ca) expires; negative once expired")
        .buildWithCallback(this::certificates);
    meter.gaugeBuilder("tokenauthority.app.credentials").ofLongs().setUnit("{credential}")
        .setDescription("Credentials configured per app: 2 while a rotation is in progress (secondary present)")
        .buildWithCallback(g -> config.get().apps().values().forEach(a -> g.record(a.credentials().size(),
            Attributes.of(ServerMetrics.APP, a.name(), ServerMetrics.VENDOR, a.vendor().id()))));
  }

  private void certificates(ObservableDoubleMeasurement g) {
    ServerConfig.Tls tls = config.get().tls().orElse(null);
    if (tls == null) {
      return;
    }
    record(g, "server", tls.certificateFile(), true);
    tls.clientCaFile().ifPresent(ca -> record(g, "client_ca", ca, false));
  }

  private void record(ObservableDoubleMeasurement g, String which, Path file, boolean leafOnly) {
    List<X509Certificate> certs = read(file);
    for (X509Certificate c : leafOnly && !certs.isEmpty() ? certs.subList(0, 1) : certs) {
      double left = (c.getNotAfter().toInstant().toEpochMilli() - clock.millis()) / 1000.0;
      g.record(left, Attributes.of(CERTIFICATE, which, SUBJECT, commonName(c.getSubjectX500Principal())));
    }
  }

  private List<X509Certificate> read(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      Parsed p = cache.get(file);
      if (p != null && p.modified().equals(modified)) {
        return p.certificates();
      }
      try (InputStream in = Files.newInputStream(file)) {
        List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
            .map(X509Certificate.class::cast).toList();
        cache.put(file, new Parsed(modified, certs));
        return certs;
      }
    } catch (Exception e) {
      return List.of(); // unreadable now: the TLS layer reports it; the gauge just has no point
    }
  }

  /** The CN, or the whole RFC 2253 name when there is none; bounded in length. */
  private static String commonName(X500Principal p) {
    String name = p.getName(X500Principal.RFC2253);
    for (String part : name.split(",")) {
      if (part.startsWith("CN=")) {
        name = part.substring(3);
        break;
      }
    }
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
