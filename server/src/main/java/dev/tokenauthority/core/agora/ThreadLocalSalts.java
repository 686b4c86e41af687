package dev.tokenauthority.core.agora;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The default source of token salts: each calling thread's {@link ThreadLocalRandom}.
 *
 * <p>Why not SecureRandom: a salt is no secret (it travels in the token in clear and only varies
 * the signing key, which the certificate protects), so it needs to differ between tokens, not to
 * be unpredictable. The JDK's default SecureRandom (NativePRNG) takes a global lock and allocates
 * per draw, which cost ~2 % of a 007 build and serialised builds on different threads.
 * Thread-safe and allocation-free; tests inject a seeded generator instead.
 */
public final class ThreadLocalSalts implements RandomGenerator {
  public static final ThreadLocalSalts INSTANCE = new ThreadLocalSalts();

  private ThreadLocalSalts() {}

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public long nextLong(long origin, long bound) {
    return ThreadLocalRandom.current().nextLong(origin, bound);
  }
}
