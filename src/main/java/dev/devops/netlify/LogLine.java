package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonAlias;

/** One line of a deploy log ({@code GET /deploys/{id}/log}). */
public record LogLine(String ts, @JsonAlias("log") String message, String level, String section) {}
