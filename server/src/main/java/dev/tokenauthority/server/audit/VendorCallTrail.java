package dev.tokenauthority.server.audit;

import io.grpc.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The vendor calls one RPC made, for its audit line. {@code UnaryCalls} puts the call's trail in the
 * gRPC {@link Context} ({@link #KEY}); the vendor bridges, which run on the handler thread, pick it
 * up there and hand it to the asynchronous sends, whose completions add to it from HTTP client
 * threads. Bounded, so a runaway retry chain cannot grow an audit line without end.
 */
public final class VendorCallTrail {
  public static final Context.Key<VendorCallTrail> KEY = Context.key("tokenauthority.vendor-calls");
  /** Far above what one RPC makes (lookup and registration, each with a 401 retry and 4 sends). */
  static final int MAX_CALLS = 32;

  private final List<VendorCall> calls = new ArrayList<>();
  private int omitted;

  /** The trail of the RPC running on this thread, or null outside an audited call. */
  public static VendorCallTrail current() {
    return KEY.get();
  }

  /** @param status the vendor's HTTP status, negative when no answer came */
  public synchronized void add(String call, int status, String outcome, long elapsedMillis) {
    if (calls.size() >= MAX_CALLS) {
      omitted++;
      return;
    }
    calls.add(new VendorCall(call, status < 0 ? OptionalInt.empty() : OptionalInt.of(status), outcome, elapsedMillis));
  }

  /** The calls recorded so far, oldest first. Calls still in flight when the RPC ends are not in it. */
  synchronized List<VendorCall> snapshot() {
    return List.copyOf(calls);
  }

  /** Calls beyond {@link #MAX_CALLS}, counted but not listed. */
  synchronized int omitted() {
    return omitted;
  }
}
