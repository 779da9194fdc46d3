package dev.devops.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file writes: write a temporary sibling, fsync it, rename it over the target, fsync the
 * directory. A reader (or a process restarted after kill -9) sees the old file or the new one,
 * never a torn one.
 */
public final class AtomicFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  public static void writeString(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), null);
  }

  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, null);
  }

  /** Writes {@code content} to {@code target} atomically, with {@code permissions} if not null. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(tempName(target));
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        if (permissions != null) {
          setPermissions(tmp, permissions);
        }
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveAtomically(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /** Renames {@code source} over {@code target} in one step; both must be on one file system. */
  public static void moveAtomically(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("file system cannot rename atomically: " + target.getParent(), e);
    }
  }

  /** Moves {@code source} to {@code target} unless {@code target} already exists. */
  public static boolean moveIfAbsent(Path source, Path target) throws IOException {
    if (Files.exists(target)) {
      Files.deleteIfExists(source);
      return false;
    }
    try {
      moveAtomically(source, target);
      return true;
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(source);
      return false;
    }
  }

  public static String tempName(Path target) {
    return "."
        + target.getFileName()
        + ".tmp-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /** True for the temporary files this class writes, so that a store can sweep them at start. */
  public static boolean isTempName(String fileName) {
    return fileName.startsWith(".") && fileName.contains(".tmp-");
  }

  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some file systems cannot open or sync a directory; the rename itself is still atomic.
    }
  }

  public static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Not a POSIX file system: nothing more to restrict.
    }
  }

  /** Creates {@code dir} (and parents) readable by the owner only. */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    setPermissions(dir, OWNER_ONLY_DIR);
    return dir;
  }
}
