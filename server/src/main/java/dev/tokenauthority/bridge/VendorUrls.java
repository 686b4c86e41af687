package dev.tokenauthority.bridge;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Builds vendor URLs from a configured base URL and path segments. */
public final class VendorUrls {
  private VendorUrls() {}

  /**
   * Checks a configured REST base URL: https, or plain http only to a loopback address (tests and
   * local fakes), no query or fragment. Returns it without a trailing slash.
   *
   * @throws IllegalArgumentException naming what is wrong (the URL holds no secret)
   */
  public static URI checkBaseUrl(URI base) {
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (base.getHost() == null || base.getRawQuery() != null || base.getRawFragment() != null) {
      throw new IllegalArgumentException("REST base URL must be scheme://host[:port][/path]: " + base);
    }
    if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(base.getHost()))) {
      throw new IllegalArgumentException("REST base URL must use https (http only on loopback): " + base);
    }
    String s = base.toString();
    return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** base + "/" + each segment, percent-encoded. */
  public static URI resolve(URI base, String... segments) {
    StringBuilder sb = new StringBuilder(base.toString());
    for (String seg : segments) {
      sb.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(sb.toString());
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // Literal addresses only: getByName on a literal does no DNS lookup.
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
        return false;
      }
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
