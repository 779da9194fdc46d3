package dev.devops.engine;

import dev.devops.engine.SharedState.Holder;
import dev.devops.engine.SharedState.Lease;
import dev.devops.engine.SharedState.Snapshot;
import dev.devops.util.Printable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The lease of a running rollback, kept in the site's shared record ({@link SharedRecord}): one
 * rollback of a site at a time across machines, as far as an API without compare-and-swap allows.
 * Closing it releases it.
 */
public final class SharedLease implements AutoCloseable {
  /** Between writing the lease and reading it back: a rival's write in flight lands first. */
  static final Duration SETTLE = Duration.ofMillis(300);

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SharedRecord record;

  /** The token written with the lease; null when none could be taken (metadata unavailable). */
  private final String token;

  private final ScheduledExecutorService renewer;
  private final Thread onStop;
  private volatile boolean released;

  private SharedLease(SharedRecord record, String token) {
    this.record = record;
    this.token = token;
    if (token == null) {
      this.renewer = null;
      this.onStop = null;
      return;
    }
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "devops-lease-renewal");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1000, record.options().leaseTtl().toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    // SIGTERM and Ctrl-C release the lease too; SIGKILL leaves it to expire.
    this.onStop = new Thread(() -> release(UnaryOperator.identity()), "devops-lease-release");
    Runtime.getRuntime().addShutdownHook(onStop);
  }

  /** Whether this run holds the lease (false: the shared record was unavailable). */
  public boolean held() {
    return token != null;
  }

  private void renew() {
    if (released) {
      return;
    }
    Instant until = record.clock().instant().plus(record.options().leaseTtl());
    boolean[] lost = {false};
    record.update(
        s -> {
          if (s.lease() == null || !token.equals(s.lease().token())) {
            lost[0] = true;
            return null;
          }
          return s.withLease(new Lease(token, until, s.lease().holder()));
        });
    if (lost[0]) {
      record.warnOnce(
          "lease-lost",
          "The rollback lease of this site was taken over (it had expired): the compare-and-swap"
              + " on the published deploy still guards the switch.");
      renewer.shutdown();
    }
  }

  /** Applies {@code change} and releases the lease in one write. */
  public void release(UnaryOperator<Snapshot> change) {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    if (token == null) {
      record.update(change);
      return;
    }
    renewer.shutdownNow();
    record.update(
        s -> {
          Snapshot next = change.apply(s);
          Snapshot base = next == null ? s : next;
          return base.lease() != null && token.equals(base.lease().token())
              ? base.withLease(null)
              : next;
        });
  }

  @Override
  public void close() {
    release(UnaryOperator.identity());
    if (onStop != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it releases the lease.
      }
    }
  }

  /**
   * Takes the site's lease before a rollback changes anything: reads the record; while another
   * unexpired lease is held, waits (up to {@link SharedRecord.Options#leaseWait}) and then refuses
   * with a CONFLICT that names the holder; writes a random token with an expiry and this run as
   * holder; waits {@link #SETTLE}; reads the record back and checks the token is still ours (else
   * starts over). The lease is renewed while held, released on close and on SIGTERM, and expires on
   * its own after a SIGKILL.
   *
   * <p>What it cannot do: the API has no compare-and-swap, so two runs that read "free" and write
   * within the settle window of each other can both believe they hold it. The read-back narrows
   * that window to the gap between one's read and its write; the rollback's compare-and-swap on the
   * published deploy ({@code expectedFromId}) stays the final guard.
   *
   * @return the lease; a held-nothing lease when the shared record is unavailable (warned)
   * @throws RollbackException CONFLICT when another holder kept it through the wait
   */
  static SharedLease acquire(SharedRecord record) {
    long deadline = System.nanoTime() + record.options().leaseWait().toNanos();
    while (true) {
      Snapshot s = record.refresh();
      if (record.problem() != null) {
        return new SharedLease(record, null);
      }
      Instant now = record.clock().instant();
      if (s.lease() != null && s.lease().heldAt(now) && !abandoned(s.lease(), record)) {
        if (System.nanoTime() >= deadline) {
          throw busy(s.lease());
        }
        // Said once, as the wait starts: in an incident, a teammate's rollback is news.
        record.warnOnce(
            "lease-wait",
            "Another rollback of this site is running: "
                + describe(s.lease())
                + ". Waiting up to "
                + waitText(record.options().leaseWait())
                + " for it to end.");
        pause(Math.min(POLL.toNanos(), Math.max(1, deadline - System.nanoTime())));
        continue;
      }
      String token = HexFormat.of().formatHex(randomBytes());
      Lease mine =
          new Lease(
              token,
              now.plus(record.options().leaseTtl()),
              new Holder(
                  record.who(),
                  record.options().host(),
                  ProcessHandle.current().pid(),
                  record.options().command(),
                  now));
      boolean[] taken = {false};
      boolean written =
          record.update(
              fresh -> {
                if (fresh.lease() != null
                    && fresh.lease().heldAt(record.clock().instant())
                    && !abandoned(fresh.lease(), record)) {
                  return null; // taken between our two reads
                }
                taken[0] = true;
                return fresh.withLease(mine);
              });
      if (!written) {
        return new SharedLease(record, null);
      }
      if (taken[0]) {
        pause(SETTLE.toNanos());
        Snapshot back = record.refresh();
        if (record.problem() != null) {
          return new SharedLease(record, null);
        }
        if (back.lease() != null && token.equals(back.lease().token())) {
          return new SharedLease(record, token);
        }
      }
      if (System.nanoTime() >= deadline) {
        Lease other = record.read().lease();
        throw busy(other == null ? mine : other);
      }
    }
  }

  /**
   * A lease whose holder ran on this machine (same host name) in a process that is gone: killed
   * with SIGKILL, it could not release it. It is taken over at once, as the OS frees a dead
   * process's file lock; another machine's lease is left to expire. Two machines with the same host
   * name would defeat this check: the compare-and-swap on the published deploy still holds.
   */
  static boolean abandoned(Lease lease, SharedRecord record) {
    Holder h = lease.holder();
    String host = record.options().host();
    if (h == null || h.pid() == null || h.host() == null || !h.host().equals(host)) {
      return false;
    }
    if (h.pid() == ProcessHandle.current().pid()) {
      return false;
    }
    return ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
  }

  private static RollbackException busy(Lease lease) {
    return new RollbackException(
        RollbackException.Kind.CONFLICT,
        "Another rollback of this site is running: "
            + describe(lease)
            + ". Wait for it to finish,"
            + " then check 'devops status'.");
  }

  /** "30 s", "0.5 s", "2 min". */
  private static String waitText(java.time.Duration wait) {
    long ms = wait.toMillis();
    if (ms % 60_000 == 0 && ms >= 120_000) {
      return ms / 60_000 + " min";
    }
    return ms % 1000 == 0
        ? ms / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** "alice@example.com on laptop-1 (pid 4242, devops rollback) since 10:04:05Z". */
  public static String describe(Lease lease) {
    Holder h = lease.holder();
    if (h == null) {
      return "holder unknown";
    }
    StringBuilder b =
        new StringBuilder(h.who() == null ? "someone" : Printable.clean(h.who(), 120));
    if (h.host() != null) {
      b.append(" on ").append(Printable.clean(h.host(), 120));
    }
    List<String> details = new ArrayList<>();
    if (h.pid() != null) {
      details.add("pid " + h.pid());
    }
    if (h.command() != null) {
      details.add(Printable.clean(h.command(), 80));
    }
    if (!details.isEmpty()) {
      b.append(" (").append(String.join(", ", details)).append(')');
    }
    if (h.since() != null) {
      b.append(" since ").append(h.since());
    }
    return b.toString();
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RollbackException(
          RollbackException.Kind.CONFLICT, "Interrupted while waiting for the rollback lease.", e);
    }
  }
}
