package dev.devops.rules;

import java.util.List;
import java.util.Map;

/**
 * A redirect rule as written, before validation: what both the {@code _redirects} line parser and
 * the {@code netlify.toml} table reader produce.
 *
 * @param status the status as written ({@code "301!"}, {@code "200"}), or null
 */
record RawRedirect(
    String from,
    Map<String, String> query,
    String to,
    String status,
    boolean force,
    Map<String, List<String>> conditions,
    String signed) {}
