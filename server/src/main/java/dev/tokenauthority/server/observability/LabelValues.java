package dev.tokenauthority.server.observability;

import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.config.ConfigHolder;
import dev.tokenauthority.server.policy.TokenKind;
import io.grpc.MethodDescriptor;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bounds every metric label to values the operator or this code chose: callers and apps from the
 * configuration in force, kinds, RPCs and reasons from fixed sets. Anything else (a caller's typo, a
 * stranger's certificate name) becomes {@value #OTHER}, so no request can mint a new time series,
 * and nothing a caller sends (channel, user, token) can ever be a label.
 */
final class LabelValues {
  static final String OTHER = "other";
  /** No app (e.g. refused before the app was read). */
  static final String NONE = "none";

  private static final Set<String> RPCS = TokenAuthorityServiceGrpc.getServiceDescriptor().getMethods().stream()
      .map(MethodDescriptor::getBareMethodName).collect(Collectors.toUnmodifiableSet());
  private static final Set<String> KINDS = Arrays.stream(TokenKind.values()).map(TokenKind::id)
      .collect(Collectors.toUnmodifiableSet());
  /** ErrorInfo reasons and status code names are UPPER_SNAKE constants of this code base. */
  private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final Pattern OPERATION = Pattern.compile("[a-z_]{1,32}\\.[a-z_]{1,32}");

  private final ConfigHolder config;

  LabelValues(ConfigHolder config) {
    this.config = config;
  }

  String caller(String identity) {
    return identity != null && config.get().callers().containsKey(identity) ? identity : OTHER;
  }

  String app(Optional<String> app) {
    return app.map(a -> config.get().apps().containsKey(a) ? a : OTHER).orElse(NONE);
  }

  String vendor(Optional<String> app) {
    return app.flatMap(a -> config.get().app(a)).map(AppConfig::vendor).map(AppConfig.Vendor::id).orElse(NONE);
  }

  static String kind(Optional<String> kind) {
    return kind.map(k -> KINDS.contains(k) ? k : OTHER).orElse(NONE);
  }

  static String rpc(String rpc) {
    return RPCS.contains(rpc) ? rpc : OTHER;
  }

  static String constant(Optional<String> value) {
    return value.map(v -> CONSTANT.matcher(v).matches() ? v : OTHER).orElse(NONE);
  }

  /** Vendor REST operation names ("chat.get_user"): fixed by the bridges. */
  static String operation(String op) {
    return op != null && OPERATION.matcher(op).matches() ? op : OTHER;
  }
}
