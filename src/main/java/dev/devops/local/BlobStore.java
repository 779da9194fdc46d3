package dev.devops.local;

import dev.devops.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Content-addressed, immutable blobs: one file per digest, written to a temporary sibling, fsynced
 * and renamed into place, so a blob that exists under its name is always whole. Small blobs are
 * kept in memory for serving.
 */
final class BlobStore {
  private static final int CACHEABLE_BYTES = 1 << 20;
  private static final long CACHE_BUDGET_BYTES = 128L << 20;

  private final Path root;
  private final String algorithm;

  /** Every stored blob's size: listings and publishes need 50,000 sizes without a stat each. */
  private final ConcurrentHashMap<String, Long> sizes = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();
  private final AtomicLong cachedBytes = new AtomicLong();

  BlobStore(Path root, String algorithm) throws IOException {
    this.root = root;
    this.algorithm = algorithm;
    Files.createDirectories(root);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            if (attrs.isRegularFile() && !AtomicFiles.isTempName(name)) {
              sizes.put(name, attrs.size());
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  boolean has(String digest) {
    return sizes.containsKey(digest);
  }

  String digest(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stores {@code content} under {@code digest}; refuses content that does not hash to it. */
  void put(String digest, byte[] content) throws IOException {
    String actual = digest(content);
    if (!actual.equals(digest)) {
      throw ApiException.unprocessable(
          "content does not match its digest: expected " + digest + ", got " + actual);
    }
    if (sizes.containsKey(digest)) {
      return;
    }
    Path target = path(digest);
    if (!Files.exists(target)) {
      AtomicFiles.write(target, content);
    }
    sizes.put(digest, (long) content.length);
  }

  byte[] read(String digest) {
    byte[] cached = cache.get(digest);
    if (cached != null) {
      return cached;
    }
    try {
      byte[] content = Files.readAllBytes(path(digest));
      if (content.length <= CACHEABLE_BYTES
          && cachedBytes.addAndGet(content.length) <= CACHE_BUDGET_BYTES) {
        cache.putIfAbsent(digest, content);
      }
      return content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The blob's size in bytes, or -1 when it is not stored. */
  long size(String digest) {
    Long size = sizes.get(digest);
    return size == null ? -1 : size;
  }

  Path path(String digest) {
    return root.resolve(digest.substring(0, 2)).resolve(digest);
  }
}
