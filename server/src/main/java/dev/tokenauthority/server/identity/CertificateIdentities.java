package dev.tokenauthority.server.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reads the caller identity from a verified certificate: SPIFFE URI SAN, then DNS SAN, then subject CN. */
public final class CertificateIdentities {
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private CertificateIdentities() {}

  public static Optional<CallerIdentity> of(X509Certificate cert) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      sans = null;
    }
    if (sans != null) {
      for (List<?> san : sans) {
        if (((Integer) san.get(0)) == SAN_URI && san.get(1) instanceof String uri
            && uri.regionMatches(true, 0, "spiffe://", 0, 9)) {
          return Optional.of(new CallerIdentity(uri, CallerIdentity.Source.SPIFFE_ID));
        }
      }
      for (List<?> san : sans) {
        if (((Integer) san.get(0)) == SAN_DNS && san.get(1) instanceof String dns && !dns.isEmpty()) {
          return Optional.of(new CallerIdentity(dns, CallerIdentity.Source.DNS_SAN));
        }
      }
    }
    try {
      List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
      // Most specific CN last in RFC 2253 order reversed by LdapName; take the last one listed.
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          String cn = rdns.get(i).getValue().toString();
          if (!cn.isEmpty()) {
            return Optional.of(new CallerIdentity(cn, CallerIdentity.Source.SUBJECT_CN));
          }
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
