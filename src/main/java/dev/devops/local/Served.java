package dev.devops.local;

import java.util.Map;

/** An immutable view of one ready deploy, as the static host serves it. */
record Served(String deployId, String siteName, Map<String, ServedFile> files) {
  record ServedFile(String sha, String mimeType, long size) {}
}
