package dev.devops.local;

import dev.devops.util.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
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
  private static final int STREAM_BUFFER_BYTES = 64 * 1024;

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
    return HexFormat.of().formatHex(newDigest().digest(content));
  }

  private MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Streams {@code in} into the store under {@code digest}, hashing while writing a temporary file
   * in the store (swept at start if the process dies) and moving it into place only when the bytes
   * hash to {@code digest}; content already stored is only hashed. Memory stays bounded whatever
   * the size. Returns the number of bytes read; refuses more than {@code maxBytes} (413) and
   * content of another digest (422).
   */
  long put(String digest, InputStream in, long maxBytes) throws IOException {
    MessageDigest hash = newDigest();
    boolean stored = sizes.containsKey(digest);
    Path tmp = root.resolve(AtomicFiles.tempName(root.resolve("upload")));
    long size = 0;
    try {
      try (FileChannel out =
          stored
              ? null
              : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[STREAM_BUFFER_BYTES];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          size += n;
          if (size > maxBytes) {
            throw new ApiException(413, "Request body larger than " + maxBytes + " bytes");
          }
          hash.update(buffer, 0, n);
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          while (out != null && chunk.hasRemaining()) {
            out.write(chunk);
          }
        }
        if (out != null) {
          out.force(true);
        }
      }
      String actual = HexFormat.of().formatHex(hash.digest());
      if (!actual.equals(digest)) {
        throw ApiException.unprocessable(
            "content does not match its digest: expected " + digest + ", got " + actual);
      }
      if (!stored) {
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        AtomicFiles.moveIfAbsent(tmp, target);
        AtomicFiles.syncDirectory(target.getParent());
        sizes.put(digest, size);
      }
      return size;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when the blob is small enough to be held in memory by {@link #read}. */
  boolean isSmall(String digest) {
    long size = size(digest);
    return size >= 0 && size <= CACHEABLE_BYTES;
  }

  /**
   * Streams the blob to {@code out} from disk, in bounded memory: for blobs too large for {@link
   * #read}.
   */
  void transferTo(String digest, OutputStream out) throws IOException {
    try (InputStream in = Files.newInputStream(path(digest))) {
      in.transferTo(out);
    }
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
