package dev.tokenauthority.client;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates: a CA and the server and client certificates it signs, written as PEM. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  record Issued(KeyPair keys, X509Certificate certificate) {
    void writeTo(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
      Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
      // JCA encodes private keys as PKCS#8, the form grpc-java's PEM reader expects.
      Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }
  }

  private final Issued ca;

  TestPki(String caName) throws Exception {
    KeyPair keys = newKeys();
    X500Name name = new X500Name("CN=" + caName);
    X509v3CertificateBuilder b = builder(name, name, keys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = new Issued(keys, sign(b, keys));
  }

  void writeCa(Path file) throws Exception {
    Files.writeString(file, pem("CERTIFICATE", ca.certificate().getEncoded()));
  }

  Issued server(String dnsName) throws Exception {
    KeyPair keys = newKeys();
    X509v3CertificateBuilder b = builder(new X500Name("CN=" + dnsName), caName(), keys);
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new Issued(keys, sign(b, ca.keys()));
  }

  /** A client certificate with a SPIFFE URI SAN, as the server's policy expects. */
  Issued client(String commonName, String spiffeId) throws Exception {
    return client(commonName, spiffeId, Instant.now().plus(Duration.ofDays(1)));
  }

  /** A client certificate that expires at {@code notAfter} (short-lived, as SPIFFE issues them). */
  Issued client(String commonName, String spiffeId, Instant notAfter) throws Exception {
    KeyPair keys = newKeys();
    X509v3CertificateBuilder b = builder(new X500Name("CN=" + commonName), caName(), keys, notAfter);
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return new Issued(keys, sign(b, ca.keys()));
  }

  private X500Name caName() {
    return new X500Name(ca.certificate().getSubjectX500Principal().getName());
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
    return builder(subject, issuer, keys, Instant.now().plus(Duration.ofDays(1)));
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys, Instant notAfter) {
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(notAfter), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuerKeys)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
