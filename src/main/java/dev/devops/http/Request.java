package dev.devops.http;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request: method, URL, headers and an optional body, plus the name of the operation it
 * performs (for logs and errors) and whether sending it twice is harmless.
 *
 * @param method GET, HEAD, POST, PUT or DELETE
 * @param url an absolute http or https URL
 * @param headers header names (case-insensitive) to values
 * @param body the body, or null
 * @param operation what the request does, for example {@code getSite}
 * @param idempotent sending it again after a failure cannot do harm
 */
public record Request(
    String method,
    URI url,
    Map<String, String> headers,
    RequestBody body,
    String operation,
    boolean idempotent) {

  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers == null ? Map.of() : headers);
    headers = Collections.unmodifiableMap(copy);
    operation = operation == null ? method + " " + url.getRawPath() : operation;
  }

  public static Request get(URI url, String operation) {
    return new Request("GET", url, Map.of(), null, operation, true);
  }

  /** This request with {@code name} set to {@code value} (replacing any earlier value). */
  public Request header(String name, String value) {
    Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    copy.put(name, value);
    return new Request(method, url, copy, body, operation, idempotent);
  }

  /** The value of header {@code name}, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The host the request goes to, lower-case. */
  public String host() {
    return url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
  }
}
