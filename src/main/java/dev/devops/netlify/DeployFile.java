package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One file of a deploy: its path (with a leading slash), SHA1, size and MIME type. */
public record DeployFile(
    String id, String path, String sha, @JsonProperty("mime_type") String mimeType, Long size) {}
