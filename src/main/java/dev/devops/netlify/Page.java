package dev.devops.netlify;

import java.util.List;

/** One page of a paginated list, and whether the server says there is a next one. */
public record Page<T>(List<T> items, boolean hasNext) {}
