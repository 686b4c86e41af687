package dev.tokenauthority.bench.load;

import dev.tokenauthority.api.v1.IssuedToken;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Tokens issued before the run starts, for RenewToken to renew; read-only while running. */
final class TokenPool {
  private final List<String> rtc;
  private final List<String> zim;

  TokenPool(List<String> rtc, List<String> zim) {
    this.rtc = List.copyOf(rtc);
    this.zim = List.copyOf(zim);
  }

  static TokenPool fill(java.util.function.Supplier<IssuedToken> rtc, java.util.function.Supplier<IssuedToken> zim,
      int size) {
    java.util.ArrayList<String> r = new java.util.ArrayList<>(size);
    java.util.ArrayList<String> z = new java.util.ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      r.add(rtc.get().getToken());
      z.add(zim.get().getToken());
    }
    return new TokenPool(r, z);
  }

  String rtc() {
    return rtc.get(ThreadLocalRandom.current().nextInt(rtc.size()));
  }

  String zim() {
    return zim.get(ThreadLocalRandom.current().nextInt(zim.size()));
  }
}
