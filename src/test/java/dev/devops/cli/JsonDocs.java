package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The field tables of docs/json/*.md: a JSON object must have exactly the fields its section
 * documents, so neither the docs nor the output can drift alone.
 */
final class JsonDocs {
  private static final Path DIR = Path.of("docs/json");

  private JsonDocs() {}

  /** Top-level field names in the table under "## {section}" (null: before the first section). */
  static Set<String> fields(String doc, String section) {
    List<String> lines;
    try {
      lines = Files.readAllLines(DIR.resolve(doc));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new LinkedHashSet<>();
    boolean in = section == null;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        if (in && section == null) {
          break;
        }
        in = line.substring(3).trim().equals(section);
        continue;
      }
      if (in && line.startsWith("| `")) {
        String cell = line.substring(1, line.indexOf('|', 1));
        for (String part : cell.split(",")) {
          String name = part.trim().replace("`", "");
          names.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
        }
      }
    }
    assertThat(names).as("documented fields of %s ## %s", doc, section).isNotEmpty();
    return names;
  }

  /**
   * Asserts that {@code node} has exactly the fields documented in {@code doc} ## {@code section}
   * (and in the sections {@code more}, for an object that extends another).
   */
  static void assertDocumented(JsonNode node, String doc, String section, String... more) {
    assertThat(node).as("%s ## %s: no object", doc, section).isNotNull();
    assertThat(node.isObject()).as("%s ## %s is an object: %s", doc, section, node).isTrue();
    List<String> actual = new ArrayList<>();
    node.fieldNames().forEachRemaining(actual::add);
    Set<String> documented = new LinkedHashSet<>(fields(doc, section));
    for (String other : more) {
      documented.addAll(fields(doc, other));
    }
    assertThat(actual)
        .as("fields of %s ## %s in %s", doc, section, node)
        .containsExactlyInAnyOrderElementsOf(documented);
  }
}
