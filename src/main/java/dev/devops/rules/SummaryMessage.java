package dev.devops.rules;

/**
 * One message of a deploy's {@code summary}, shaped as Netlify's deploy object carries it: {@code
 * {"type":"info","title":"No redirect rules processed","description":"...","details":""}}.
 */
public record SummaryMessage(String type, String title, String description, String details) {}
