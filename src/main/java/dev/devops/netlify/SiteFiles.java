package dev.devops.netlify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The files of a static site directory and their SHA1 digests, as Netlify's file-digest deploy
 * wants them: paths relative to the directory with '/' separators and no leading slash; dotfiles
 * and dot-directories skipped except {@code .well-known} (as netlify-cli does).
 */
public final class SiteFiles {
  /** More files than this is almost certainly the wrong directory. */
  public static final int MAX_FILES = 200_000;

  private final Map<String, String> digest;
  private final Map<String, Path> paths;
  private final long totalBytes;

  private SiteFiles(Map<String, String> digest, Map<String, Path> paths, long totalBytes) {
    this.digest = Collections.unmodifiableMap(digest);
    this.paths = Collections.unmodifiableMap(paths);
    this.totalBytes = totalBytes;
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
    return new SiteFiles(new TreeMap<>(digest), Map.copyOf(files), totalBytes);
  }

  /** Lists and hashes the site in {@code dir} with up to {@code threads} files hashed at once. */
  public static SiteFiles hash(Path dir, int threads) throws IOException {
    List<Path> files = list(dir);
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
        String relative = relative(dir, file);
        digest.put(relative, shas.get(i).get());
        paths.put(relative, file);
        bytes += Files.size(file);
      }
      return new SiteFiles(digest, paths, bytes);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException("cannot hash " + dir + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing " + dir, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The files to deploy, in a stable order; symbolic links to directories are not followed. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return d.equals(dir) || included(d.getFileName().toString())
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (included(file.getFileName().toString())
                && (attrs.isRegularFile() || Files.isRegularFile(file))) {
              if (files.size() >= MAX_FILES) {
                throw new IOException(
                    dir + " has more than " + MAX_FILES + " files: is it the site's build output?");
              }
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    return files;
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
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "devops-hash");
    t.setDaemon(true);
    return t;
  }
}
