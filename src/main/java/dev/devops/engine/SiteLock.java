package dev.devops.engine;

import dev.devops.engine.RollbackException.Kind;
import dev.devops.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
      AtomicFiles.createPrivateDirectories(dir);
      while (true) {
        SiteLock taken = tryTake(path);
        if (taken != null) {
          taken.describeHolder(rollbackId, clock);
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
    } catch (IOException e) {
      throw new RollbackException(
          Kind.CONFLICT, "Cannot take the site lock " + path + ": " + e.getMessage(), e);
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
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      AtomicFiles.setPermissions(path, AtomicFiles.OWNER_ONLY_FILE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new SiteLock(path, channel, lock);
      }
    } catch (OverlappingFileLockException e) {
      // Held by this JVM through another channel: treat as busy.
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

  private static String holder(Path path) {
    try {
      String text = Files.readString(path).trim();
      return text.isEmpty() ? "holder unknown" : text;
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
