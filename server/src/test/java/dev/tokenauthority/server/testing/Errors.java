package dev.tokenauthority.server.testing;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/** Reads google.rpc details back from a failed call. */
public final class Errors {
  private Errors() {}

  /** What a caller learns from a failure: code, ErrorInfo reason and domain, BadRequest field. */
  public record Seen(Status.Code code, String reason, String domain, Optional<String> field, String message) {}

  public static Seen of(StatusRuntimeException e) {
    com.google.rpc.Status st = StatusProto.fromThrowable(e);
    String reason = "";
    String domain = "";
    Optional<String> field = Optional.empty();
    if (st != null) {
      for (Any d : st.getDetailsList()) {
        try {
          if (d.is(ErrorInfo.class)) {
            ErrorInfo info = d.unpack(ErrorInfo.class);
            reason = info.getReason();
            domain = info.getDomain();
          } else if (d.is(BadRequest.class)) {
            BadRequest br = d.unpack(BadRequest.class);
            if (br.getFieldViolationsCount() > 0) {
              field = Optional.of(br.getFieldViolations(0).getField());
            }
          }
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return new Seen(e.getStatus().getCode(), reason, domain, field,
        e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription());
  }
}
