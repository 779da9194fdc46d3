package dev.devops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Small helpers around {@link HttpExchange}: bodies, query strings and JSON answers. */
final class Exchanges {
  /** A file or function upload, streamed to disk (never held in memory). */
  static final long MAX_UPLOAD_BYTES = 512L << 20;

  /** Any other body (JSON), read into memory: a 100,000-file digest is about 10 MB. */
  static final int MAX_BODY_BYTES = 64 << 20;

  private Exchanges() {}

  static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> result = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      result.putIfAbsent(key, value);
    }
    return result;
  }

  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "Malformed percent-encoding: " + raw);
    }
  }

  /** Decodes a URL path segment by segment ({@code +} stays a plus sign). */
  static String decodePath(String rawPath) {
    return Arrays.stream(rawPath.split("/", -1))
        .map(Exchanges::decode)
        .collect(Collectors.joining("/"));
  }

  static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : Json.mapper().writeValueAsBytes(body);
    sendBytes(exchange, status, "application/json; charset=utf-8", bytes);
  }

  static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("code", status);
    body.put("message", message);
    sendJson(exchange, status, body);
  }

  static void sendBytes(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    boolean noBody = status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
    if (noBody) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
