package dev.devops.local;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP worker pool, shaped so that slow clients cannot starve the others.
 *
 * <p>The JDK server's dispatcher hands a connection to this executor as soon as its first byte
 * arrives; the worker then reads the request line and headers with blocking reads before the
 * handler runs. Answering early (an error) makes the JDK read, again blocking, whatever part of the
 * request body the handler left unread. So:
 *
 * <ul>
 *   <li>every exchange gets a thread of its own while fewer than {@code threads} are busy (no queue
 *       behind a slow one), then waits in a bounded queue, then is refused (the dispatcher closes
 *       the connection);
 *   <li>a worker still reading headers after {@code headerTimeout}, or still draining after {@link
 *       #DRAIN_TIMEOUT}, is interrupted: a blocking read on a socket channel then closes the
 *       connection, and the worker is free again;
 *   <li>once the headers are read the client's address is known, and each address may have at most
 *       {@code requestsPerClient} requests in progress (slow bodies, slow readers of answers).
 * </ul>
 */
final class Workers implements Executor, AutoCloseable {
  /** Long enough for any loopback client to finish sending a body the answer did not need. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

  private static final int QUEUED_EXCHANGES = 4096;
  private static final ThreadLocal<Job> CURRENT = new ThreadLocal<>();

  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final long headerTimeoutNanos;
  private final int requestsPerClient;

  /** Jobs reading headers or draining: the ones with a deadline. */
  private final Set<Job> timed = ConcurrentHashMap.newKeySet();

  private final Map<InetAddress, AtomicInteger> inProgress = new ConcurrentHashMap<>();

  Workers(int threads, Duration headerTimeout, int requestsPerClient) {
    this.headerTimeoutNanos = headerTimeout.toNanos();
    this.requestsPerClient = requestsPerClient;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUED_EXCHANGES),
            daemonThreads("devops-local-http"),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("devops-local-timeouts"));
    long tick = Math.max(10, Math.min(100, headerTimeout.toMillis() / 4));
    watchdog.scheduleWithFixedDelay(this::expireOverdue, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Runs one exchange; a refusal propagates, and the JDK dispatcher then closes the connection. */
  @Override
  public void execute(Runnable exchange) {
    pool.execute(() -> run(exchange));
  }

  private void run(Runnable exchange) {
    Job current = new Job(Thread.currentThread(), System.nanoTime());
    timed.add(current);
    CURRENT.set(current);
    try {
      exchange.run();
    } finally {
      timed.remove(current);
      current.finish();
      CURRENT.remove();
      Thread.interrupted(); // an expiry's interrupt has landed by now: do not carry it on
    }
  }

  /**
   * Called by the handler first: the request line and headers are read. False when the header
   * timeout struck first (the connection is being closed; answer nothing).
   */
  boolean headersRead() {
    Job current = CURRENT.get();
    if (current == null) {
      return true; // not one of ours (a direct call in tests)
    }
    timed.remove(current);
    return current.moveTo(Job.READING, Job.HANDLING, System.nanoTime());
  }

  /** The handler starts reading and dropping an unread request body: it has a deadline now. */
  void drainStarted() {
    Job current = CURRENT.get();
    if (current != null && current.moveTo(Job.HANDLING, Job.DRAINING, System.nanoTime())) {
      timed.add(current);
    }
  }

  /** False when the drain deadline struck (the connection is being closed; answer nothing). */
  boolean drainEnded() {
    Job current = CURRENT.get();
    if (current == null) {
      return true;
    }
    timed.remove(current);
    return current.moveTo(Job.DRAINING, Job.HANDLING, System.nanoTime());
  }

  /** Counts a request of {@code client} in progress; false (nothing counted) when at its bound. */
  boolean enter(InetAddress client) {
    AtomicInteger count = inProgress.computeIfAbsent(client, c -> new AtomicInteger());
    if (count.incrementAndGet() > requestsPerClient) {
      leave(client);
      return false;
    }
    return true;
  }

  void leave(InetAddress client) {
    inProgress.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  int requestsPerClient() {
    return requestsPerClient;
  }

  private void expireOverdue() {
    long now = System.nanoTime();
    for (Job job : timed) {
      if (job.overdue(now, headerTimeoutNanos, DRAIN_TIMEOUT.toNanos()) && timed.remove(job)) {
        job.expire();
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * One exchange on one worker: reading headers, then handled (draining an unread body for a while,
   * perhaps), then expired or finished.
   */
  private static final class Job {
    static final int READING = 0;
    static final int HANDLING = 1;
    static final int DRAINING = 2;
    static final int EXPIRED = 3;
    static final int FINISHED = 4;

    final Thread thread;
    private long since;
    private int state = READING;

    Job(Thread thread, long since) {
      this.thread = thread;
      this.since = since;
    }

    synchronized boolean moveTo(int from, int next, long now) {
      if (state != from) {
        return false;
      }
      state = next;
      since = now;
      return true;
    }

    synchronized boolean overdue(long now, long readingNanos, long drainingNanos) {
      return (state == READING && now - since >= readingNanos)
          || (state == DRAINING && now - since >= drainingNanos);
    }

    /** Interrupting a thread blocked on a socket channel closes the channel: the read ends. */
    synchronized void expire() {
      if (state == READING || state == DRAINING) {
        state = EXPIRED;
        thread.interrupt();
      }
    }

    synchronized void finish() {
      state = FINISHED;
    }
  }
}
