package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.Site;
import java.time.Duration;

/** Bounded polling of the API. */
final class Waits {
  private Waits() {}

  /** Polls the site until {@code deployId} is its published deploy; returns the site. */
  static Site untilPublished(
      NetlifyClient client, String siteId, String deployId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 50;
    while (true) {
      Site site = client.getSite(siteId);
      Deploy published = site.publishedDeploy();
      if (published != null && deployId.equals(published.id())) {
        return site;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The site did not publish "
                + deployId
                + " within "
                + timeout.toSeconds()
                + " s (it still serves "
                + (published == null ? "nothing" : published.id())
                + ").");
      }
      sleep(pause);
      pause = Math.min(pause * 2, 1000);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting.", e);
    }
  }
}
