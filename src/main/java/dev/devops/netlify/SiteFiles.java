package dev.devops.netlify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The files of a static site directory and their SHA1 digests, as Netlify's file-digest deploy
 * wants them: paths relative to the directory with '/' separators and no leading slash; dotfiles
 * and dot-directories skipped except {@code .well-known} (as netlify-cli does). Symbolic links are
 * not deployed unless asked for: see {@link #list}.
 */
public final class SiteFiles {
  /** More files than this is almost certainly the wrong directory. */
  public static final int MAX_FILES = 200_000;

  private final Map<String, String> digest;
  private final Map<String, Path> paths;
  private final long totalBytes;
  private final List<String> skippedLinks;

  private SiteFiles(
      Map<String, String> digest, Map<String, Path> paths, long totalBytes, List<String> skipped) {
    this.digest = Collections.unmodifiableMap(digest);
    this.paths = Collections.unmodifiableMap(paths);
    this.totalBytes = totalBytes;
    this.skippedLinks = List.copyOf(skipped);
  }

  /**
   * Symbolic links inside the directory were found and not followed: what {@link #list} says about
   * those that point outside it, which are refused unless followed.
   */
  public static final class LinksOutsideException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> links;

    LinksOutsideException(Path dir, List<String> links) {
      super(
          dir
              + " has "
              + links.size()
              + " symbolic link(s) pointing outside it ("
              + String.join(", ", links.subList(0, Math.min(3, links.size())))
              + (links.size() > 3 ? ", ..." : "")
              + "): nothing was deployed; remove them, or pass --follow-symlinks to deploy what"
              + " they point to.");
      this.links = List.copyOf(links);
    }

    /** Each link as "path -> target", sorted. */
    public List<String> links() {
      return links;
    }
  }

  /** Relative path to SHA1 hex, sorted by path. */
  public Map<String, String> digest() {
    return digest;
  }

  /** The local file of a relative path. */
  public Path file(String relativePath) {
    return paths.get(relativePath);
  }

  public int count() {
    return digest.size();
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** Symbolic links inside the directory that were skipped (not followed), as relative paths. */
  public List<String> skippedLinks() {
    return skippedLinks;
  }

  /**
   * Files whose SHA1s and sizes are already known, such as a backup's: {@code digest} maps each
   * relative path to its SHA1 and {@code files} to the local file holding those bytes. Dotfiles are
   * kept: they were part of the deploy.
   */
  public static SiteFiles known(
      Map<String, String> digest, Map<String, Path> files, long totalBytes) {
    if (!files.keySet().containsAll(digest.keySet())) {
      throw new IllegalArgumentException("Every path of the digest needs a local file");
    }
    return new SiteFiles(new TreeMap<>(digest), Map.copyOf(files), totalBytes, List.of());
  }

  /** {@link #hash(Path, int, boolean)} without following symbolic links. */
  public static SiteFiles hash(Path dir, int threads) throws IOException {
    return hash(dir, threads, false);
  }

  /**
   * Lists ({@link #list}) and hashes the site in {@code dir} with up to {@code threads} files
   * hashed at once.
   *
   * @throws LinksOutsideException when links point outside {@code dir} and {@code followLinks} is
   *     false
   * @throws IOException when a file cannot be read (the message names it)
   */
  public static SiteFiles hash(Path dir, int threads, boolean followLinks) throws IOException {
    Listing listing = list(dir, followLinks);
    List<Path> files = listing.files();
    Path root = listing.root();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), SiteFiles::daemon);
    try {
      List<Future<String>> shas = new ArrayList<>(files.size());
      for (Path file : files) {
        shas.add(pool.submit(() -> sha1(file)));
      }
      Map<String, String> digest = new TreeMap<>();
      Map<String, Path> paths = new TreeMap<>();
      long bytes = 0;
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        String relative = relative(root, file);
        digest.put(relative, shas.get(i).get());
        paths.put(relative, file);
        bytes += Files.size(file);
      }
      return new SiteFiles(digest, paths, bytes, listing.skippedLinks());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io;
      }
      throw new IOException("cannot hash " + dir + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * What {@link #list} found: the files to deploy, and the links skipped.
   *
   * @param root {@code dir} with its own links resolved (the user named it)
   * @param files the files to deploy, sorted
   * @param skippedLinks links inside {@code root} that were not followed, relative, sorted
   */
  record Listing(Path root, List<Path> files, List<String> skippedLinks) {}

  /**
   * The files to deploy, in a stable order. netlify-cli (folder-walker, {@code lstat}) skips every
   * symbolic link; so does this, for links that stay inside {@code dir}. A link that points outside
   * it (to a file or a folder, for example into {@code ~/.ssh}) is refused with the list of such
   * links, so that nothing from elsewhere is published by surprise. With {@code followLinks}, every
   * link is followed and what it points to is deployed. FIFOs, devices and sockets are skipped.
   */
  static Listing list(Path dir, boolean followLinks) throws IOException {
    Path root = dir.toRealPath();
    List<Path> files = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    Set<FileVisitOption> options =
        followLinks
            ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
            : EnumSet.noneOf(FileVisitOption.class);
    Files.walkFileTree(
        root,
        options,
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return d.equals(root) || included(d.getFileName().toString())
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!included(file.getFileName().toString())) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              // Not followed (a dangling one is skipped in both modes, as netlify-cli does).
              Path target = resolved(file);
              if (target == null || target.startsWith(root) || followLinks) {
                skipped.add(relative(root, file));
              } else {
                outside.add(relative(root, file) + " -> " + target);
              }
            } else if (attrs.isRegularFile()) {
              if (files.size() >= MAX_FILES) {
                throw new IOException(
                    dir + " has more than " + MAX_FILES + " files: is it the site's build output?");
              }
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
              throw new IllegalArgumentException(
                  dir + " has a symbolic link loop at " + relative(root, file) + ".");
            }
            throw e;
          }
        });
    if (!outside.isEmpty()) {
      outside.sort(null);
      throw new LinksOutsideException(dir, outside);
    }
    files.sort(null);
    skipped.sort(null);
    return new Listing(root, files, skipped);
  }

  /** Where a link leads, or null when it leads nowhere. */
  private static Path resolved(Path link) {
    try {
      return link.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean included(String name) {
    return (!name.startsWith(".") || name.equals(".well-known")) && !name.equals("__MACOSX");
  }

  private static String relative(Path dir, Path file) {
    StringBuilder b = new StringBuilder();
    for (Path part : dir.relativize(file)) {
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(part);
    }
    return b.toString();
  }

  static String sha1(Path file) {
    try {
      return Sha1.hex(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "devops-hash");
    t.setDaemon(true);
    return t;
  }
}
