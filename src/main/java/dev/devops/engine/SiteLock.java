package dev.devops.engine;

import dev.devops.config.ConfigException;
import dev.devops.engine.RollbackException.Kind;
import dev.devops.util.Printable;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one rollback at a time change a site: an OS file lock on {@code .devops/locks/SITE.lock}.
 * The OS drops the lock when its process dies, so a killed rollback never blocks the next one; the
 * pid, time and rollback id written inside only serve the refusal message.
 */
public final class SiteLock implements AutoCloseable {
  /** Locks held by this process: the OS lock does not exclude threads of one JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private SiteLock(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code siteId}, waiting up to {@code wait} for another holder to finish; then
   * refuses with a {@link Kind#CONFLICT} that names the holder.
   */
  public static SiteLock acquire(
      Path stateDir, String siteId, String rollbackId, Duration wait, Clock clock) {
    Path dir = stateDir.resolve("locks");
    Path path = dir.resolve(siteId + ".lock").toAbsolutePath().normalize();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        SiteLock taken = tryTake(path);
        if (taken != null) {
          try {
            taken.describeHolder(rollbackId, clock);
          } catch (IOException e) {
            taken.close();
            throw e;
          }
          return taken;
        }
        if (System.nanoTime() >= deadline) {
          throw new RollbackException(
              Kind.CONFLICT,
              "Another rollback of this site is running ("
                  + holder(path)
                  + "): wait for it to finish, then check 'devops status'.");
        }
        Thread.sleep(100);
      }
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      // The file system's failure (read-only, full, permissions), not another rollback.
      throw new UncheckedIOException("Cannot take the site lock " + SafeFiles.display(path), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RollbackException(Kind.CONFLICT, "Interrupted while waiting for the site lock.", e);
    }
  }

  private static SiteLock tryTake(Path path) throws IOException {
    if (!HELD.add(path)) {
      return null;
    }
    FileChannel channel = null;
    try {
      channel = SafeFiles.openLock(path);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new SiteLock(path, channel, lock);
      }
    } catch (OverlappingFileLockException e) {
      // Held by this JVM through another channel: treat as busy.
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      HELD.remove(path);
      throw e;
    }
    if (channel != null) {
      channel.close();
    }
    HELD.remove(path);
    return null;
  }

  private void describeHolder(String rollbackId, Clock clock) throws IOException {
    String text =
        "pid "
            + ProcessHandle.current().pid()
            + ", since "
            + clock.instant()
            + (rollbackId == null ? "" : ", rollback " + rollbackId)
            + "\n";
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
  }

  /** What the holder wrote (pid, time, rollback id), made printable. */
  private static String holder(Path path) {
    try {
      String text =
          new String(SafeFiles.readBounded(path, 4096).orElse(new byte[0]), StandardCharsets.UTF_8)
              .trim();
      return text.isEmpty() ? "holder unknown" : Printable.clean(text, 200);
    } catch (IOException e) {
      return "holder unknown";
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // Closing the channel releases the OS lock in any case.
    } finally {
      HELD.remove(path);
    }
  }
}
