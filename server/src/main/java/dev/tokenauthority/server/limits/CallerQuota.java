package dev.tokenauthority.server.limits;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One caller's own limits from its policy; an empty value falls back to the server's per-caller
 * default ({@code limits.per_caller}).
 */
public record CallerQuota(OptionalInt maxConcurrentCalls, Optional<Rate> rate) {
  public static final CallerQuota DEFAULTS = new CallerQuota(OptionalInt.empty(), Optional.empty());

  public CallerQuota {
    Objects.requireNonNull(maxConcurrentCalls);
    Objects.requireNonNull(rate);
  }

  /** This quota with the server's defaults filled in. */
  public CallerQuota orElse(CallerQuota defaults) {
    return new CallerQuota(maxConcurrentCalls.isPresent() ? maxConcurrentCalls : defaults.maxConcurrentCalls,
        rate.isPresent() ? rate : defaults.rate);
  }
}
