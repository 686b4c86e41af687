package dev.tokenauthority.server.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure the service reports on purpose: a canonical status code, a stable UPPER_SNAKE reason
 * (copied into google.rpc.ErrorInfo), optionally the request field at fault (google.rpc.BadRequest)
 * and a message safe to show the caller. Messages never carry secrets or whole tokens.
 */
public final class ApiException extends RuntimeException {
  /** ErrorInfo.domain of every error this service produces. */
  public static final String DOMAIN = "tokenauthority.dev";

  private final Status.Code code;
  private final String reason;
  private final String field;
  private final Duration retryDelay;

  private ApiException(Status.Code code, String reason, String field, String message) {
    this(code, reason, field, message, null);
  }

  private ApiException(Status.Code code, String reason, String field, String message, Duration retryDelay) {
    super(Echo.of(message, Echo.MAX_MESSAGE_CHARS), null, false, false); // a safety net; values are bounded where they enter
    this.code = Objects.requireNonNull(code);
    this.reason = Objects.requireNonNull(reason);
    this.field = field;
    this.retryDelay = retryDelay;
  }

  /** INVALID_ARGUMENT naming the request field (as spelled in the .proto, e.g. "channel_name"). */
  public static ApiException invalidArgument(String field, String reason, String message) {
    return new ApiException(Status.Code.INVALID_ARGUMENT, reason, Objects.requireNonNull(field), message);
  }

  public static ApiException permissionDenied(String reason, String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, reason, null, message);
  }

  /** PERMISSION_DENIED that also names the request field whose value policy forbids. */
  public static ApiException permissionDenied(String field, String reason, String message) {
    return new ApiException(Status.Code.PERMISSION_DENIED, reason, field, message);
  }

  public static ApiException notFound(String field, String reason, String message) {
    return new ApiException(Status.Code.NOT_FOUND, reason, field, message);
  }

  public static ApiException failedPrecondition(String field, String reason, String message) {
    return new ApiException(Status.Code.FAILED_PRECONDITION, reason, field, message);
  }

  public static ApiException unimplemented(String field, String reason, String message) {
    return new ApiException(Status.Code.UNIMPLEMENTED, reason, field, message);
  }

  public static ApiException of(Status.Code code, String field, String reason, String message) {
    return new ApiException(code, reason, field, message);
  }

  /** The same error blamed on another request field (e.g. "token" when a renewal is checked like an issue). */
  public ApiException withField(String newField) {
    return new ApiException(code, reason, newField, getMessage(), retryDelay);
  }

  /** The same error telling the caller when a retry may succeed (google.rpc.RetryInfo). */
  public ApiException withRetryDelay(Duration delay) {
    return new ApiException(code, reason, field, getMessage(), Objects.requireNonNull(delay));
  }

  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }

  public Status.Code code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** The status a caller sees: code, message, ErrorInfo, (with a field) BadRequest and RetryInfo. */
  public StatusRuntimeException toStatusRuntimeException() {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(getMessage());
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
    if (field != null) {
      info.putAllMetadata(Map.of("field", field));
    }
    status.addDetails(Any.pack(info.build()));
    if (field != null) {
      status.addDetails(
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(field)
                          .setDescription(getMessage())
                          .setReason(reason))
                  .build()));
    }
    if (retryDelay != null) {
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
          .setSeconds(retryDelay.getSeconds()).setNanos(retryDelay.getNano())).build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
