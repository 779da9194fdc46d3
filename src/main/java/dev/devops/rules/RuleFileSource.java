package dev.devops.rules;

import java.io.IOException;

/** A deploy's files as far as rules need them; how they are stored is the caller's business. */
public interface RuleFileSource {
  /** The size in bytes of the file at {@code path} ({@code /_redirects}), or -1 if absent. */
  long size(String path);

  /** The bytes of the file at {@code path}; only asked for files within the size limit. */
  byte[] read(String path) throws IOException;
}
