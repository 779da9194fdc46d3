package dev.devops.demo;

import dev.devops.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's sample site, a small coffee shop, in four releases. The last one ships a checkout that
 * is visibly broken, which is what the demo rolls back.
 */
public final class DemoSite {
  /** One release of the sample site. */
  public record Release(String version, String message, List<String> features, boolean broken) {}

  public static final List<Release> RELEASES =
      List.of(
          new Release("v1.2.0", "Launch the spring menu", List.of("Spring menu"), false),
          new Release(
              "v1.2.1", "Add product search", List.of("Spring menu", "Product search"), false),
          new Release(
              "v1.2.2",
              "Fix cart rounding",
              List.of("Spring menu", "Product search", "Cart totals rounded to the cent"),
              false),
          new Release(
              "v1.2.3",
              "New one-page checkout",
              List.of("Spring menu", "Product search", "One-page checkout"),
              true));

  private DemoSite() {}

  /** The release the demo ends on after rolling back from the broken one. */
  public static Release lastGood() {
    return RELEASES.get(RELEASES.size() - 2);
  }

  public static Release broken() {
    return RELEASES.get(RELEASES.size() - 1);
  }

  /** Writes {@code release} as a static site into {@code dir}. */
  public static void write(Path dir, Release release) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> file : files(release).entrySet()) {
      Path target = dir.resolve(file.getKey());
      AtomicFiles.writeString(target, file.getValue());
    }
  }

  /** The site's files for {@code release}: path to content. */
  public static Map<String, String> files(Release release) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", index(release));
    files.put(
        "about.html", page(release, "About us", "<p>Roasted in small batches since 2009.</p>"));
    files.put("404.html", page(release, "Not found", "<p>That page is not on the menu.</p>"));
    files.put("menu.json", menu(release));
    files.put("assets/app.js", script(release));
    files.put("assets/style.css", STYLE);
    files.put("health.txt", release.broken() ? "degraded\n" : "ok\n");
    return files;
  }

  private static String index(Release release) {
    StringBuilder features = new StringBuilder();
    for (String feature : release.features()) {
      features.append("      <li>").append(feature).append("</li>\n");
    }
    String checkout =
        release.broken()
            ? """
                <section class="checkout broken">
                  <h2>💥 Checkout unavailable</h2>
                  <pre>TypeError: Cannot read properties of undefined (reading 'items')
                    at renderCheckout (app.js:12)</pre>
                  <p>Orders cannot be placed.</p>
                </section>
              """
            : """
                <section class="checkout">
                  <h2>Checkout</h2>
                  <p>Your cart: 2 × Flat white — <strong>$8.40</strong></p>
                  <button>Place order</button>
                </section>
              """;
    return """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Bean There %s</title>
          <link rel="stylesheet" href="/assets/style.css">
        </head>
        <body class="%s">
          <header><h1>☕ Bean There</h1><span class="version" id="version">%s</span></header>
          <main>
            <p class="release">%s</p>
            <ul>
        %s    </ul>
        %s  </main>
          <script src="/assets/app.js"></script>
        </body>
        </html>
        """
        .formatted(
            release.version(),
            release.broken() ? "broken" : "ok",
            release.version(),
            release.message(),
            features,
            checkout);
  }

  private static String page(Release release, String title, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>%s · Bean There %s</title>
        <link rel="stylesheet" href="/assets/style.css"></head>
        <body><header><h1>☕ Bean There</h1></header><main><h2>%s</h2>%s</main></body>
        </html>
        """
        .formatted(title, release.version(), title, body);
  }

  private static String menu(Release release) {
    String extra =
        release.features().contains("Product search")
            ? ",\n  {\"name\": \"Cold brew\", \"price\": 4.50}"
            : "";
    return """
        {
          "version": "%s",
          "items": [
          {"name": "Flat white", "price": 4.20},
          {"name": "Espresso", "price": 3.00}%s
          ]
        }
        """
        .formatted(release.version(), extra);
  }

  private static String script(Release release) {
    if (release.broken()) {
      return """
          // One-page checkout
          function renderCheckout(cart) {
            return cart.items.map((item) => item.name).join(', ');
          }
          renderCheckout(window.cart);
          """;
    }
    return """
        // Cart totals, rounded to the cent (%s)
        function total(items) {
          return Math.round(items.reduce((sum, item) => sum + item.price, 0) * 100) / 100;
        }
        document.documentElement.dataset.total = total([{price: 4.2}, {price: 4.2}]);
        """
        .formatted(release.version());
  }

  private static final String STYLE =
      """
      body { font-family: system-ui, sans-serif; margin: 0; background: #faf7f2; color: #2b2118; }
      header { display: flex; justify-content: space-between; align-items: center;
               padding: 1rem 2rem; background: #2b2118; color: #faf7f2; }
      .version { font-family: monospace; background: #6f4e37; padding: .2rem .6rem; border-radius: 4px; }
      main { max-width: 40rem; margin: 2rem auto; }
      .checkout { border: 2px solid #6f4e37; border-radius: 8px; padding: 1rem; }
      .checkout.broken { border-color: #c0392b; background: #fdecea; color: #c0392b; }
      body.broken header { background: #c0392b; }
      """;
}
