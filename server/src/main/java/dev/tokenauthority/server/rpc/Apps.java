package dev.tokenauthority.server.rpc;

import dev.tokenauthority.server.config.AppConfig;
import dev.tokenauthority.server.errors.ApiException;

/** App lookups shared by the handlers. */
final class Apps {
  private Apps() {}

  /** The app must belong to {@code type}'s vendor, else INVALID_ARGUMENT APP_VENDOR_MISMATCH on "app". */
  static <A extends AppConfig> A require(AppConfig app, Class<A> type, String what) {
    if (!type.isInstance(app)) {
      throw ApiException.invalidArgument("app", "APP_VENDOR_MISMATCH",
          "app '" + app.name() + "' is a " + app.vendor().id() + " app; " + what);
    }
    return type.cast(app);
  }
}
