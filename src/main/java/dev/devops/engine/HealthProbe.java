package dev.devops.engine;

import dev.devops.config.ProjectConfig.HealthCheck;
import dev.devops.http.Urls;
import dev.devops.netlify.Fetched;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One configured health check: a GET of its path on the site that must answer the expected status
 * (any 2xx by default), with a body that contains the expected text, within {@code max_ms}. The
 * time includes what the client does on the way (a 5xx is retried as every served fetch is, so a
 * probe sees one only when it persists).
 */
final class HealthProbe implements Probe {
  /** Bodies longer than this fail the check rather than fill memory. */
  static final long MAX_BODY = 4L * 1024 * 1024;

  private final NetlifyClient client;
  private final String base;
  private final HealthCheck check;
  private final String name;

  HealthProbe(NetlifyClient client, String base, HealthCheck check, String name) {
    this.client = client;
    this.base = base;
    this.check = check;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String describe() {
    StringBuilder b = new StringBuilder("GET " + check.path() + " → ");
    b.append(check.status() == null ? "2xx" : String.valueOf(check.status()));
    if (check.contains() != null) {
      b.append(", contains \"").append(check.contains()).append('"');
    }
    if (check.maxMs() != null) {
      b.append(", ≤ ").append(check.maxMs()).append(" ms");
    }
    return b.toString();
  }

  @Override
  public Outcome run() {
    URI root = Urls.parse(base);
    if (root == null) {
      return Outcome.fail("the site URL " + base + " is not a URL");
    }
    String relative = check.path().startsWith("/") ? check.path().substring(1) : check.path();
    String url = Urls.of(root).root().segments(relative).build().toString();
    long start = System.nanoTime();
    Fetched answer;
    try {
      answer = client.fetch(url, MAX_BODY);
    } catch (NetlifyException | IllegalArgumentException e) {
      return Outcome.fail(unanswered(e.getMessage()));
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    int status = answer.status();
    boolean statusOk = check.status() == null ? answer.isSuccessful() : status == check.status();
    if (!statusOk) {
      return Outcome.fail(
          "answered "
              + status
              + ", expected "
              + (check.status() == null ? "2xx" : String.valueOf(check.status())));
    }
    if (check.contains() != null
        && !new String(answer.body(), StandardCharsets.UTF_8).contains(check.contains())) {
      return Outcome.fail(
          "answered " + status + " without \"" + check.contains() + "\" in the body");
    }
    if (check.maxMs() != null && ms > check.maxMs()) {
      return Outcome.fail("answered " + status + " in " + ms + " ms, over max_ms " + check.maxMs());
    }
    return Outcome.pass("answered " + status + " in " + ms + " ms");
  }

  /** "answered 500" from the client's "URL did not answer: answered 500.", else the reason. */
  private static String unanswered(String message) {
    String text = message == null ? "no answer" : message;
    int at = text.indexOf("did not answer: ");
    if (at >= 0) {
      text = text.substring(at + "did not answer: ".length());
    }
    if (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1);
    }
    return text.startsWith("answered ") ? text + " after retries" : "no answer: " + text;
  }
}
