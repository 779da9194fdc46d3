package dev.devops.local;

import dev.devops.rules.Router;
import dev.devops.rules.RuleSet;
import java.util.Map;

/**
 * An immutable view of one ready deploy, as the static host serves it: its files and the redirect
 * and header rules parsed from them, together, so that a publish switches both at once.
 */
record Served(
    String deployId, String siteName, Map<String, ServedFile> files, RuleSet rules, Router router) {
  record ServedFile(String sha, String mimeType, long size) {}

  Served(String deployId, String siteName, Map<String, ServedFile> files, RuleSet rules) {
    this(deployId, siteName, files, rules, new Router(rules));
  }
}
