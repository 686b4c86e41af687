package dev.tokenauthority.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A channel whose calls go to the newest of the channels it built. {@link #rotate()} builds a
 * fresh one for new calls (after a client certificate rotation: an open connection, or a TLS
 * session resumed on a new one, keeps presenting the old certificate) and shuts the previous one
 * down gracefully: its calls finish, and whatever still runs after {@code grace} is cancelled.
 */
final class RotatingChannel extends Channel {
  private final Supplier<ManagedChannel> factory;
  private final Duration grace;
  private final ScheduledExecutorService scheduler;
  // Write-locked to swap channels or close; read-locked while a call starts, so a call is never
  // started on a channel that was already shut down (grpc-java would fail it with UNAVAILABLE).
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Set<ManagedChannel> retiring = ConcurrentHashMap.newKeySet();
  private volatile ManagedChannel current;
  private boolean closed;

  /**
   * @param scheduler cancels what an old channel still runs after {@code grace}; may be null when
   *     {@link #rotate()} is never called
   */
  RotatingChannel(Supplier<ManagedChannel> factory, Duration grace, ScheduledExecutorService scheduler) {
    this.factory = factory;
    this.grace = grace;
    this.scheduler = scheduler;
    this.current = factory.get();
  }

  /** The channel new calls go to (tests observe rotation with it). */
  ManagedChannel current() {
    return current;
  }

  /**
   * Moves new calls to a freshly built channel and retires the previous one. Returns false when
   * the client is closed; a failure to build the new channel propagates and changes nothing.
   */
  boolean rotate() {
    ManagedChannel next = factory.get();
    ManagedChannel previous;
    lock.writeLock().lock();
    try {
      if (closed) {
        next.shutdownNow();
        return false;
      }
      previous = current;
      current = next;
      retiring.add(previous);
    } finally {
      lock.writeLock().unlock();
    }
    previous.shutdown();
    try {
      scheduler.schedule(() -> {
        previous.shutdownNow();
        retiring.remove(previous);
      }, grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing concurrently: close() ends every retiring channel.
    }
    return true;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return new RoutedCall<>(method, options);
  }

  @Override
  public String authority() {
    return current.authority();
  }

  /**
   * Shuts every channel still alive down, waits up to {@code timeout} for their calls to finish,
   * then cancels the rest and waits (a second at most) for the channels to terminate.
   */
  void close(Duration timeout) throws InterruptedException {
    List<ManagedChannel> all;
    lock.writeLock().lock();
    try {
      closed = true;
      all = new ArrayList<>(retiring);
      all.add(current);
    } finally {
      lock.writeLock().unlock();
    }
    all.forEach(ManagedChannel::shutdown);
    try {
      awaitTermination(all, timeout);
    } finally {
      all.forEach(ManagedChannel::shutdownNow);
    }
    // Cancelled calls end promptly; return with the transports closed, not closing.
    awaitTermination(all, Duration.ofSeconds(1));
  }

  private static void awaitTermination(List<ManagedChannel> channels, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  /** A call bound to the current channel when it starts, not when it is created. */
  private final class RoutedCall<Q, R> extends ClientCall<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    // Set by start (or by a cancel before start); ClientCall is not thread-safe, so no volatile.
    private ClientCall<Q, R> delegate;

    RoutedCall(MethodDescriptor<Q, R> method, CallOptions options) {
      this.method = method;
      this.options = options;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      lock.readLock().lock();
      try {
        if (delegate == null) {
          delegate = current.newCall(method, options);
        }
        delegate.start(listener, headers); // after close: the channel reports its shutdown
      } finally {
        lock.readLock().unlock();
      }
    }

    @Override
    public void request(int numMessages) {
      delegate.request(numMessages);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (delegate == null) {
        // Cancelled before start: a call of its own, so start fails the way grpc-java's does.
        delegate = current.newCall(method, options);
      }
      delegate.cancel(message, cause);
    }

    @Override
    public void halfClose() {
      delegate.halfClose();
    }

    @Override
    public void sendMessage(Q message) {
      delegate.sendMessage(message);
    }

    @Override
    public boolean isReady() {
      return delegate != null && delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      delegate.setMessageCompression(enabled);
    }

    @Override
    public io.grpc.Attributes getAttributes() {
      return delegate == null ? io.grpc.Attributes.EMPTY : delegate.getAttributes();
    }
  }
}
