package dev.tokenauthority.server.config;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** The current configuration snapshot; read it once per call and use that snapshot throughout. */
public final class ConfigHolder {
  private final AtomicReference<ServerConfig> current;

  public ConfigHolder(ServerConfig initial) {
    this.current = new AtomicReference<>(Objects.requireNonNull(initial));
  }

  public ServerConfig get() {
    return current.get();
  }

  /** Swaps in a new snapshot (a reload); calls in progress keep the one they read. */
  public void replace(ServerConfig next) {
    current.set(Objects.requireNonNull(next));
  }
}
