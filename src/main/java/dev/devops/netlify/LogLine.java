package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonAlias;

/** One line of a deploy log ({@code GET /deploys/{id}/log}). */
public record LogLine(String ts, String level, String section, @JsonAlias("log") String message) {}
