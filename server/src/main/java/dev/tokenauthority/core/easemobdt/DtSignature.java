package dev.tokenauthority.core.easemobdt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code hex(SHA-256(client_id + appkey + user_id + cur_time + ttl + client_secret))}, lowercase,
 * numbers as decimal text. MessageDigest is not thread-safe and getInstance looks up providers, so
 * each thread keeps one.
 */
final class DtSignature {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
          });

  private DtSignature() {}

  static String compute(
      ClientCredential credential, String appKey, String userId, long curTime, long ttl) {
    String input =
        credential.clientId() + appKey + userId + curTime + ttl + credential.clientSecret().reveal();
    MessageDigest sha = SHA256.get();
    sha.reset();
    return HexFormat.of().formatHex(sha.digest(input.getBytes(StandardCharsets.UTF_8)));
  }
}
