package dev.devops.cli;

import dev.devops.engine.BackupStore;
import java.time.Duration;

/**
 * A backup's bytes as they are stored, on stderr: a bar with the rate, redrawn in place on a
 * terminal; otherwise a line at each tenth.
 */
final class FetchProgress implements BackupStore.FetchListener {
  private static final int WIDTH = 24;

  private final BaseCommand command;
  private final boolean terminal;
  private long startNanos;
  private int totalFiles;
  private long totalBytes;
  private int lastTenth;
  private int doneFiles;
  private long doneBytes;
  private boolean open;

  FetchProgress(BaseCommand command) {
    this.command = command;
    this.terminal = command.ctx().color();
  }

  @Override
  public synchronized void fetching(int files, long bytes, String source) {
    close();
    startNanos = System.nanoTime();
    totalFiles = files;
    totalBytes = bytes;
    doneFiles = 0;
    doneBytes = 0;
    lastTenth = 0;
    command.say(
        "⬇️  Storing "
            + files
            + " file(s) of the backup ("
            + Text.bytes(bytes)
            + ") from the deploy's "
            + source
            + "...");
  }

  @Override
  public synchronized void fetched(long bytes) {
    if (totalFiles == 0) {
      return;
    }
    doneFiles++;
    doneBytes += bytes;
    if (terminal) {
      command.err().print("\r" + line() + "\u001b[K");
      command.err().flush();
      open = doneFiles < totalFiles;
      if (!open) {
        command.err().println();
      }
      return;
    }
    // Without a terminal: a line at each tenth of a long fetch, and one at the end.
    int tenth = doneFiles * 10 / totalFiles;
    if (doneFiles == totalFiles || (totalFiles >= 20 && tenth > lastTenth)) {
      lastTenth = tenth;
      command.say(line());
    }
  }

  private String line() {
    double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
    return bar(doneFiles, totalFiles)
        + " "
        + doneFiles
        + "/"
        + totalFiles
        + " files, "
        + Text.bytes(doneBytes)
        + " of "
        + Text.bytes(totalBytes)
        + ", "
        + Text.bytes((long) (doneBytes / seconds))
        + "/s";
  }

  @Override
  public synchronized void throughApi(int files, Duration estimate) {
    close();
    command.say(
        "⏳ "
            + files
            + " file(s) only the API can give: "
            + (estimate.isZero()
                ? "within Netlify's rate limit now."
                : "about " + estimate.toSeconds() + " s at Netlify's rate limit."));
  }

  synchronized void close() {
    if (open) {
      command.err().println();
      open = false;
    }
  }

  private static String bar(int done, int total) {
    int filled = (int) ((long) done * WIDTH / total);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
  }
}
