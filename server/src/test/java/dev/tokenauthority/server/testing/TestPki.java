package dev.tokenauthority.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made on the fly: a CA, and server and client certificates it signs, as PEM files. */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final Path dir;
  private final String name;
  private final KeyPair caKey;
  private final X509Certificate caCert;

  /** Files of one issued certificate. */
  public record Issued(Path certificate, Path privateKey) {}

  private TestPki(Path dir, String name, KeyPair caKey, X509Certificate caCert) {
    this.dir = dir;
    this.name = name;
    this.caKey = caKey;
    this.caCert = caCert;
  }

  public static TestPki create(Path dir, String name) throws Exception {
    KeyPair key = keyPair();
    X500Name subject = new X500Name("CN=" + name + " Test CA");
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate cert = sign(b, key);
    TestPki pki = new TestPki(dir, name, key, cert);
    Files.writeString(pki.caFile(), pem(cert), StandardCharsets.US_ASCII);
    return pki;
  }

  public Path caFile() {
    return dir.resolve(name + "-ca.pem");
  }

  /** A server certificate for localhost and 127.0.0.1. */
  public Issued server(String fileName) throws Exception {
    return issue(fileName, "CN=localhost", List.of(new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")), Instant.now().plus(Duration.ofDays(1)), true);
  }

  /** A client certificate; any of spiffeId / dns may be null; cn is the subject common name. */
  public Issued client(String fileName, String spiffeId, String dns, String cn) throws Exception {
    return client(fileName, spiffeId, dns, cn, Instant.now().plus(Duration.ofDays(1)));
  }

  public Issued client(String fileName, String spiffeId, String dns, String cn, Instant notAfter) throws Exception {
    List<GeneralName> sans = new ArrayList<>();
    if (spiffeId != null) {
      sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId));
    }
    if (dns != null) {
      sans.add(new GeneralName(GeneralName.dNSName, dns));
    }
    return issue(fileName, "O=Token Authority Tests,CN=" + cn, sans, notAfter, false);
  }

  private Issued issue(String fileName, String subject, List<GeneralName> sans, Instant notAfter, boolean server)
      throws Exception {
    KeyPair key = keyPair();
    Instant notBefore = notAfter.isBefore(Instant.now())
        ? notAfter.minus(Duration.ofDays(1)) : Instant.now().minus(Duration.ofHours(1));
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(notBefore),
        Date.from(notAfter), new X500Name(subject), key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
    if (!sans.isEmpty()) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
    }
    X509Certificate cert = sign(b, caKey);
    Issued issued = new Issued(dir.resolve(fileName + ".pem"), dir.resolve(fileName + "-key.pem"));
    Files.writeString(issued.certificate(), pem(cert), StandardCharsets.US_ASCII);
    Files.writeString(issued.privateKey(), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
    return issued;
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static String pem(X509Certificate cert) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(cert);
    }
    return sw.toString();
  }
}
