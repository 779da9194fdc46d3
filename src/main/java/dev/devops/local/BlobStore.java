package dev.devops.local;

import dev.devops.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();
  private final AtomicLong cachedBytes = new AtomicLong();

  BlobStore(Path root, String algorithm) throws IOException {
    this.root = root;
    this.algorithm = algorithm;
    Files.createDirectories(root);
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(name -> !AtomicFiles.isTempName(name))
          .forEach(present::add);
    }
  }

  boolean has(String digest) {
    return present.contains(digest);
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
    if (present.contains(digest)) {
      return;
    }
    Path target = path(digest);
    if (!Files.exists(target)) {
      AtomicFiles.write(target, content);
    }
    present.add(digest);
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

  long size(String digest) {
    byte[] cached = cache.get(digest);
    if (cached != null) {
      return cached.length;
    }
    try {
      return Files.size(path(digest));
    } catch (IOException e) {
      return -1;
    }
  }

  Path path(String digest) {
    return root.resolve(digest.substring(0, 2)).resolve(digest);
  }
}
