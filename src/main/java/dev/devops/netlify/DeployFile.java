package dev.devops.netlify;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.devops.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One file of a deploy: its path (with a leading slash), SHA1 and size. Netlify's file object also
 * carries {@code id} (the path again) and {@code mime_type}; nothing here needs them, and a
 * 50,000-file listing reads faster without decoding them.
 */
public record DeployFile(String path, String sha, Long size) {

  /**
   * Reads a listDeployFiles answer (a JSON array of files) token by token. Unknown fields are
   * skipped; anything that is not an array of objects with scalar fields is malformed. The list is
   * unmodifiable: a client may hand the same one to several callers.
   */
  static List<DeployFile> readList(byte[] json) throws IOException {
    try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.VALUE_NULL) {
        return List.of();
      }
      expect(parser, first == JsonToken.START_ARRAY, "an array of files");
      List<DeployFile> files = new ArrayList<>();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        expect(parser, token == JsonToken.START_OBJECT, "a file object");
        files.add(readFile(parser));
      }
      expect(parser, parser.nextToken() == null, "the end of the body");
      return Collections.unmodifiableList(files);
    }
  }

  private static DeployFile readFile(JsonParser parser) throws IOException {
    String path = null;
    String sha = null;
    Long size = null;
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "path" -> path = scalar(parser, value);
        case "sha" -> sha = scalar(parser, value);
        case "size" -> {
          expect(parser, value == JsonToken.VALUE_NULL || value.isNumeric(), "a numeric size");
          size = value == JsonToken.VALUE_NULL ? null : parser.getValueAsLong();
        }
        default -> parser.skipChildren(); // a string left unread is never decoded
      }
    }
    return new DeployFile(path, sha, size);
  }

  private static String scalar(JsonParser parser, JsonToken value) throws IOException {
    expect(parser, value.isScalarValue(), "a string");
    return value == JsonToken.VALUE_NULL ? null : parser.getValueAsString();
  }

  private static void expect(JsonParser parser, boolean holds, String what) throws IOException {
    if (!holds) {
      throw new JsonParseException(parser, "expected " + what);
    }
  }
}
