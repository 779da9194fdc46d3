package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import java.time.Instant;

/** Deploy and site records built by hand, for the pure history and rendering tests. */
public final class TestDeploys {
  private TestDeploys() {}

  public static Deploy deploy(
      String id,
      String state,
      String title,
      String commitRef,
      Instant createdAt,
      Instant publishedAt) {
    return new Deploy(
        id,
        "site-1",
        state,
        "app",
        "https://app.example.com",
        "https://app.example.com",
        null,
        "https://" + id + "--app.netlify.app",
        "https://" + id + "--app.netlify.app",
        createdAt,
        createdAt,
        publishedAt,
        title,
        "main",
        commitRef,
        null,
        "production",
        false,
        false,
        false,
        null,
        null,
        null,
        null,
        "cli");
  }

  public static Deploy ready(String id, String title, Instant createdAt, Instant publishedAt) {
    return deploy(id, "ready", title, null, createdAt, publishedAt);
  }

  public static Site site(Deploy published) {
    return new Site(
        "site-1",
        "app",
        "current",
        "http://app.example.com",
        "https://app.example.com",
        null,
        null,
        "acc-1",
        "team",
        null,
        null,
        published);
  }
}
