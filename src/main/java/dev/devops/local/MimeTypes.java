package dev.devops.local;

import java.util.Locale;
import java.util.Map;

/** Content types by file extension, as a static host would send them. */
final class MimeTypes {
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=UTF-8"),
          Map.entry("htm", "text/html; charset=UTF-8"),
          Map.entry("css", "text/css; charset=UTF-8"),
          Map.entry("js", "application/javascript; charset=UTF-8"),
          Map.entry("mjs", "application/javascript; charset=UTF-8"),
          Map.entry("json", "application/json; charset=UTF-8"),
          Map.entry("map", "application/json; charset=UTF-8"),
          Map.entry("webmanifest", "application/manifest+json; charset=UTF-8"),
          Map.entry("txt", "text/plain; charset=UTF-8"),
          Map.entry("md", "text/markdown; charset=UTF-8"),
          Map.entry("csv", "text/csv; charset=UTF-8"),
          Map.entry("xml", "application/xml; charset=UTF-8"),
          Map.entry("toml", "application/toml; charset=UTF-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("ttf", "font/ttf"),
          Map.entry("otf", "font/otf"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"),
          Map.entry("mp3", "audio/mpeg"));

  private MimeTypes() {}

  static String of(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash + 1) {
      return "application/octet-stream";
    }
    return BY_EXTENSION.getOrDefault(
        path.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
  }

  /** The bare media type, as Netlify's file list reports it ({@code text/html}). */
  static String bare(String path) {
    String type = of(path);
    int semicolon = type.indexOf(';');
    return semicolon < 0 ? type : type.substring(0, semicolon);
  }
}
