package dev.devops.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files under a project's {@code .devops/}. That folder travels with repositories (git stores
 * symbolic links), so it may hold links to the user's own files, FIFOs, devices, sockets or files
 * of another user. Every path inside a {@code .devops} folder is checked from that folder down,
 * component by component and without following links: only folders and regular files owned by the
 * user running devops are used; anything else is an {@link UnsafeFileException} naming the path.
 * Files are opened with {@link LinkOption#NOFOLLOW_LINKS}, read up to a bound, and written
 * atomically and owner-only ({@link AtomicFiles}).
 *
 * <p>Paths outside any {@code .devops} folder (a data directory the user chose) are used as given:
 * links are followed, but FIFOs, devices and sockets are still refused before opening.
 */
public final class SafeFiles {
  /** The project's state folder: checks start there. */
  public static final String STATE_DIR = ".devops";

  /** Bound for small files: the project config, lock holders. */
  public static final long SMALL_FILE_BYTES = 1L << 20;

  /** Bound for record files: deployments.json, rollback-history.json, backup manifests. */
  public static final long RECORD_FILE_BYTES = 32L << 20;

  /** Temporary files of killed writes are deleted once they are this old. */
  static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

  private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

  private SafeFiles() {}

  /** What a path must be. */
  private enum Kind {
    FILE,
    FOLDER,
    EITHER
  }

  /** True when {@code path} exists (a checked regular file or folder). */
  public static boolean exists(Path path) throws IOException {
    return check(path, Kind.EITHER) != null;
  }

  /** True when {@code path} is a checked regular file; false when absent. */
  public static boolean isRegularFile(Path path) throws IOException {
    BasicFileAttributes attrs = check(path, Kind.EITHER);
    return attrs != null && attrs.isRegularFile();
  }

  /** True when {@code path} is a checked folder; false when absent. */
  public static boolean isDirectory(Path path) throws IOException {
    BasicFileAttributes attrs = check(path, Kind.EITHER);
    return attrs != null && attrs.isDirectory();
  }

  /**
   * The bytes of {@code file}, empty when it does not exist.
   *
   * @throws UnsafeFileException when it (or a folder above it, up to {@code .devops}) is not a
   *     regular file or folder of this user, or it holds more than {@code maxBytes}
   */
  public static Optional<byte[]> readBounded(Path file, long maxBytes) throws IOException {
    BasicFileAttributes attrs = check(file, Kind.FILE);
    if (attrs == null) {
      return Optional.empty();
    }
    if (attrs.size() > maxBytes) {
      throw tooLarge(file, maxBytes);
    }
    byte[] bytes;
    try (SeekableByteChannel channel = open(file, Set.of(StandardOpenOption.READ));
        InputStream in = Channels.newInputStream(channel)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(file, maxBytes);
    }
    return Optional.of(bytes);
  }

  /**
   * Creates {@code dir} and the folders above it up to {@code .devops}, each readable by the owner
   * only; existing ones must be folders of this user, not links, and keep their permissions.
   */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    Path anchor = anchor(abs);
    if (anchor == null) {
      check(abs, Kind.FOLDER);
      if (!Files.isDirectory(abs)) {
        AtomicFiles.beforeWrite(abs);
        Files.createDirectories(abs);
        AtomicFiles.setPermissions(abs, AtomicFiles.OWNER_ONLY_DIR);
      }
      return dir;
    }
    Path project = anchor.getParent();
    if (!Files.isDirectory(project)) {
      AtomicFiles.beforeWrite(project);
      Files.createDirectories(project);
    }
    Path current = project;
    for (Path part : project.relativize(abs)) {
      current = current.resolve(part);
      BasicFileAttributes attrs = checkOne(anchor, current, Kind.FOLDER);
      if (attrs == null) {
        AtomicFiles.beforeWrite(current);
        try {
          Files.createDirectory(current);
        } catch (FileAlreadyExistsException raced) {
          // Another process made it, or something else is there: checked next.
        }
        checkOne(anchor, current, Kind.FOLDER);
        AtomicFiles.setPermissions(current, AtomicFiles.OWNER_ONLY_DIR);
      }
    }
    return dir;
  }

  /**
   * Writes {@code content} to {@code target} atomically (temporary file, fsync, rename), readable
   * by the owner only, after checking the target's folders and whatever is in its place.
   */
  public static void write(Path target, byte[] content) throws IOException {
    createPrivateDirectories(parent(target));
    check(target, Kind.FILE);
    AtomicFiles.write(target, content, AtomicFiles.OWNER_ONLY_FILE);
  }

  /**
   * A stream into a new owner-only temporary file beside {@code target}, for content too large to
   * hold in memory; {@link AtomicFiles.Output#commit()} renames it over the target ({@link
   * AtomicFiles.Output#commitIfAbsent()} for content-addressed files), closing without a commit
   * deletes it.
   */
  public static AtomicFiles.Output newOutputStream(Path target) throws IOException {
    createPrivateDirectories(parent(target));
    check(target, Kind.FILE);
    return AtomicFiles.Output.open(target, AtomicFiles.OWNER_ONLY_FILE);
  }

  /** Opens (creating it owner-only if needed) a lock file: read and write, never through a link. */
  public static FileChannel openLock(Path file) throws IOException {
    createPrivateDirectories(parent(file));
    check(file, Kind.FILE);
    AtomicFiles.beforeWrite(file);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              ownerOnly(file));
    } catch (IOException e) {
      check(file, Kind.FILE); // a link or FIFO put there meanwhile is refused by name
      throw e;
    }
    AtomicFiles.setPermissions(file, AtomicFiles.OWNER_ONLY_FILE);
    return channel;
  }

  /** The entries of folder {@code dir}, sorted; empty when it does not exist. */
  public static List<Path> list(Path dir) throws IOException {
    if (check(dir, Kind.FOLDER) == null) {
      return List.of();
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    }
    entries.sort(null);
    return entries;
  }

  /** Deletes {@code path} if it exists (a link is removed itself, never what it points to). */
  public static void deleteIfExists(Path path) throws IOException {
    check(parent(path), Kind.FOLDER);
    Files.deleteIfExists(path);
  }

  /** A new CLI run sweeps each folder again (runs in tests share one process). */
  public static void forgetSweeps() {
    SWEPT.clear();
  }

  /**
   * Deletes what killed writes left in {@code dir}: files with {@link AtomicFiles}' temporary
   * names, regular (not links), of this user and older than a minute, in a folder of this user.
   * Runs once per folder per run ({@link #forgetSweeps}); returns how many files it deleted.
   */
  public static int sweepLeftovers(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!SWEPT.add(abs)) {
      return 0;
    }
    int deleted = 0;
    Instant cutoff = Instant.now().minus(LEFTOVER_AGE);
    try {
      BasicFileAttributes folder = attributes(abs, false);
      if (folder == null || !folder.isDirectory() || !mine(folder)) {
        return 0;
      }
      try (DirectoryStream<Path> temps =
          Files.newDirectoryStream(abs, p -> AtomicFiles.isTempName(p.getFileName().toString()))) {
        for (Path temp : temps) {
          BasicFileAttributes attrs = attributes(temp, false);
          if (attrs != null
              && attrs.isRegularFile()
              && mine(attrs)
              && attrs.lastModifiedTime().toInstant().isBefore(cutoff)
              && Files.deleteIfExists(temp)) {
            deleted++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Leftovers are only clutter: the next run tries again.
    }
    return deleted;
  }

  /** {@code path} as messages name it: relative to the project when it is under {@code .devops}. */
  public static String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path anchor = anchor(abs);
    if (anchor == null) {
      return abs.toString();
    }
    StringBuilder b = new StringBuilder();
    for (Path part : anchor.getParent().relativize(abs)) {
      b.append(b.length() == 0 ? "" : "/").append(part);
    }
    return b.toString();
  }

  // ---- checks

  /**
   * Checks {@code path} and, under {@code .devops}, every folder between {@code .devops} and it;
   * returns its attributes, or null when it (or a folder above it) does not exist.
   */
  private static BasicFileAttributes check(Path path, Kind kind) throws IOException {
    Path abs = path.toAbsolutePath().normalize();
    Path anchor = anchor(abs);
    if (anchor == null) {
      BasicFileAttributes attrs = attributes(abs, true);
      if (attrs != null) {
        requireKind(abs.toString(), abs, attrs, kind);
      }
      return attrs;
    }
    Path current = anchor.getParent();
    BasicFileAttributes attrs = null;
    Iterator<Path> parts = anchor.getParent().relativize(abs).iterator();
    while (parts.hasNext()) {
      current = current.resolve(parts.next());
      attrs = checkOne(anchor, current, parts.hasNext() ? Kind.FOLDER : kind);
      if (attrs == null) {
        return null;
      }
    }
    return attrs;
  }

  /** Checks one component under {@code .devops}, without following it. */
  private static BasicFileAttributes checkOne(Path anchor, Path path, Kind kind)
      throws IOException {
    BasicFileAttributes attrs = attributes(path, false);
    if (attrs == null) {
      return null;
    }
    String shown = display(path);
    if (attrs.isSymbolicLink()) {
      throw refused(shown, "is a symbolic link");
    }
    requireKind(shown, path, attrs, kind);
    if (!mine(attrs)) {
      throw refused(
          shown,
          "belongs to another user ("
              + ((PosixFileAttributes) attrs).owner().getName()
              + "), not to the user running devops");
    }
    return attrs;
  }

  private static void requireKind(String shown, Path path, BasicFileAttributes attrs, Kind kind)
      throws UnsafeFileException {
    if (attrs.isOther() || (!attrs.isRegularFile() && !attrs.isDirectory())) {
      throw refused(shown, "is " + special(path));
    }
    if (kind == Kind.FILE && attrs.isDirectory()) {
      throw refused(shown, "is a folder where a file belongs");
    }
    if (kind == Kind.FOLDER && !attrs.isDirectory()) {
      throw refused(shown, "is a file where a folder belongs");
    }
  }

  private static UnsafeFileException refused(String shown, String what) {
    return new UnsafeFileException(
        "Refusing "
            + shown
            + ": it "
            + what
            + " (everything under .devops must be a plain file or folder of yours: remove or replace"
            + " it).");
  }

  private static UnsafeFileException tooLarge(Path file, long maxBytes) {
    return new UnsafeFileException(
        "Refusing "
            + display(file)
            + ": it is larger than "
            + (maxBytes >> 20)
            + " MB, more than devops ever writes there (move it aside).");
  }

  /** "a FIFO (named pipe)", "a device", "a socket", from the file's mode when the system has it. */
  private static String special(Path path) {
    try {
      int type =
          (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
      switch (type) {
        case 0010000:
          return "a FIFO (named pipe)";
        case 0020000:
        case 0060000:
          return "a device";
        case 0140000:
          return "a socket";
        default:
          break;
      }
    } catch (IOException | RuntimeException e) {
      // Not a Unix file system: the generic words below.
    }
    return "neither a regular file nor a folder";
  }

  /** {@code .devops} itself or the nearest folder of that name above {@code abs}; else null. */
  private static Path anchor(Path abs) {
    for (Path p = abs; p != null && p.getParent() != null; p = p.getParent()) {
      Path name = p.getFileName();
      if (name != null && name.toString().equals(STATE_DIR)) {
        return p;
      }
    }
    return null;
  }

  private static Path parent(Path path) {
    return path.toAbsolutePath().normalize().getParent();
  }

  /** The attributes (owner too where the system has owners), or null when absent. */
  private static BasicFileAttributes attributes(Path path, boolean follow) throws IOException {
    LinkOption[] options =
        follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    try {
      if (posix(path)) {
        return Files.readAttributes(path, PosixFileAttributes.class, options);
      }
      return Files.readAttributes(path, BasicFileAttributes.class, options);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static SeekableByteChannel open(Path file, Set<StandardOpenOption> options)
      throws IOException {
    Set<OpenOption> all = new java.util.HashSet<>(options);
    if (anchor(file.toAbsolutePath().normalize()) != null) {
      all.add(LinkOption.NOFOLLOW_LINKS);
    }
    try {
      return Files.newByteChannel(file, all);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      check(file, Kind.FILE); // a link swapped in since the check is refused by name
      throw e;
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path file) {
    return posix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY_FILE)}
        : new FileAttribute<?>[0];
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Owned by the user running devops; true where the system has no owners to compare. */
  static boolean mine(BasicFileAttributes attrs) {
    if (!(attrs instanceof PosixFileAttributes posix) || CurrentUser.PRINCIPAL == null) {
      return true;
    }
    return posix.owner().equals(CurrentUser.PRINCIPAL);
  }

  /** The user this process runs as, looked up once. */
  private static final class CurrentUser {
    static final UserPrincipal PRINCIPAL = lookup();

    private static UserPrincipal lookup() {
      try {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
          return Files.getOwner(self); // the effective user, without a user database lookup
        }
      } catch (IOException | RuntimeException e) {
        // Fall back to the user database.
      }
      try {
        return FileSystems.getDefault()
            .getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name"));
      } catch (IOException | RuntimeException e) {
        return null; // no way to tell: ownership is not checked
      }
    }
  }
}
