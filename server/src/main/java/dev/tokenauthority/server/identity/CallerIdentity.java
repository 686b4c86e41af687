package dev.tokenauthority.server.identity;

import io.grpc.Context;
import java.util.Objects;

/**
 * Who is calling, as proven by the transport: the client certificate's SPIFFE id, DNS name or
 * common name, or the fixed development identity. Policies are keyed by {@link #id()}.
 */
public record CallerIdentity(String id, Source source) {
  /** Where the identity came from. */
  public enum Source {
    SPIFFE_ID,
    DNS_SAN,
    SUBJECT_CN,
    DEVELOPMENT
  }

  static final Context.Key<CallerIdentity> KEY = Context.key("tokenauthority-caller");

  public CallerIdentity {
    Objects.requireNonNull(id);
    Objects.requireNonNull(source);
  }

  /** The identity of the current call; set by {@link IdentityInterceptor}. */
  public static CallerIdentity current() {
    CallerIdentity id = KEY.get();
    if (id == null) {
      throw new IllegalStateException("no caller identity in this context");
    }
    return id;
  }

  /** A context carrying this identity (tests and in-process callers). */
  public Context attachTo(Context context) {
    return context.withValue(KEY, this);
  }
}
