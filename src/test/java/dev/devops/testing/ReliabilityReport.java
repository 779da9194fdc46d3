package dev.devops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reliability suite's summary: each suite writes its section to {@code
 * target/reliability/NN-name.md} and prints it; {@code summary.md} is rebuilt from all sections, so
 * unit tests and integration tests (separate JVMs) end up in one table.
 */
public final class ReliabilityReport {
  private static final Path DIR = Path.of("target", "reliability");

  private ReliabilityReport() {}

  /** Prints {@code markdown} to the test output and stores it as section {@code name}. */
  public static void section(String name, String markdown) {
    System.out.println(markdown);
    try {
      Files.createDirectories(DIR);
      Files.writeString(DIR.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
      List<Path> sections;
      try (Stream<Path> files = Files.list(DIR)) {
        sections =
            files
                .filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.md"))
                .sorted()
                .toList();
      }
      StringBuilder summary = new StringBuilder("# Reliability suite summary\n");
      for (Path section : sections) {
        summary.append('\n').append(Files.readString(section, StandardCharsets.UTF_8));
      }
      Files.writeString(DIR.resolve("summary.md"), summary.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that {@code secret} appears in none of {@code outputs} and in no file under any of
   * {@code roots} (read as bytes, so binary backups are scanned too); returns how many files and
   * outputs were scanned.
   */
  public static int assertNoSecret(String secret, List<String> outputs, Path... roots) {
    int scanned = 0;
    for (String output : outputs) {
      assertThat(output).as("an output").doesNotContain(secret);
      scanned++;
    }
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(indexOf(Files.readAllBytes(file), needle)).as(file.toString()).isEqualTo(-1);
          scanned++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return scanned;
  }

  /** Asserts that every file under {@code .devops/} is 0600 and every directory 0700. */
  public static int assertOwnerOnly(Path devops) {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> paths = Files.walk(devops)) {
      for (Path path : paths.toList()) {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
        if (!perms.equals(expected)) {
          wrong.add(devops.relativize(path) + " " + perms);
        }
        checked++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(wrong).as("paths under .devops that are not owner-only").isEmpty();
    return checked;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
