package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code .devops/guards/}: one small file per running guard, written when it starts watching and
 * removed when it ends. A file whose process is gone is a guard that was killed before it could say
 * how the deploy fared: the next guard warns about it. The files only ever serve that warning.
 */
public final class GuardMarkers {
  private static final Pattern NAME = Pattern.compile("gd-[A-Za-z0-9-]{1,64}\\.json");
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Markers read at most (newest names last); a marker file larger than this is skipped. */
  static final int MAX_MARKERS = 100;

  static final long MAX_BYTES = 64 * 1024;

  /** {@link Marker#verdict}: the deploy failed its checks and the guard began rolling it back. */
  public static final String UNHEALTHY = "unhealthy";

  private final Path dir;

  public GuardMarkers(Path stateDir) {
    this.dir = stateDir.resolve("guards");
  }

  /**
   * One guard.
   *
   * @param verdict null while watching; {@link #UNHEALTHY} once it decided to roll back
   * @param reason why, with the verdict
   */
  public record Marker(
      String id,
      @JsonProperty("site_id") String siteId,
      @JsonProperty("deploy_id") String deployId,
      String version,
      @JsonProperty("previous_id") String previousId,
      long pid,
      @JsonProperty("process_started_at") Instant processStartedAt,
      @JsonProperty("started_at") Instant startedAt,
      String verdict,
      String reason) {

    Marker judged(String why) {
      return new Marker(
          id,
          siteId,
          deployId,
          version,
          previousId,
          pid,
          processStartedAt,
          startedAt,
          UNHEALTHY,
          why);
    }

    /** Whether the guard that wrote it still runs. */
    boolean alive() {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isEmpty() || !process.get().isAlive()) {
        return false;
      }
      Instant started = process.get().info().startInstant().orElse(null);
      return started == null
          || processStartedAt == null
          || Duration.between(started, processStartedAt).abs().toSeconds() < 2;
    }
  }

  /** Writes the marker of a guard that starts watching {@code deployId} now. */
  public Marker start(
      String siteId, String deployId, String version, String previousId, Instant now) {
    ProcessHandle self = ProcessHandle.current();
    Marker marker =
        new Marker(
            "gd-"
                + ID_TIME.format(now)
                + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)),
            siteId,
            deployId,
            version,
            previousId,
            self.pid(),
            self.info().startInstant().orElse(null),
            now,
            null,
            null);
    write(marker);
    return marker;
  }

  /** Records that the guard judged the deploy unhealthy and is rolling it back. */
  public Marker judged(Marker marker, String reason) {
    Marker judged = marker.judged(reason);
    write(judged);
    return judged;
  }

  /** The guard ended and said so: its marker goes. */
  public void finish(Marker marker) {
    delete(marker);
  }

  /** Markers of {@code siteId} whose guard process is gone, oldest first. */
  public List<Marker> orphaned(String siteId) {
    List<Marker> found = new ArrayList<>();
    for (Marker m : read()) {
      if (siteId.equals(m.siteId()) && !m.alive()) {
        found.add(m);
      }
    }
    return found;
  }

  /** Removes markers once the site has been judged again. */
  public void clear(List<Marker> markers) {
    markers.forEach(this::delete);
  }

  private List<Marker> read() {
    List<Path> files = new ArrayList<>();
    try {
      for (Path p : SafeFiles.list(dir)) {
        if (NAME.matcher(p.getFileName().toString()).matches()) {
          files.add(p);
        }
      }
    } catch (UnsafeFileException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      return List.of();
    }
    files.sort(null);
    if (files.size() > MAX_MARKERS) {
      files = files.subList(files.size() - MAX_MARKERS, files.size());
    }
    List<Marker> markers = new ArrayList<>();
    for (Path p : files) {
      try {
        byte[] bytes = SafeFiles.readBounded(p, MAX_BYTES).orElse(null);
        if (bytes != null) {
          Marker m = Json.mapper().readValue(bytes, Marker.class);
          if (m != null && m.id() != null && p.getFileName().toString().equals(m.id() + ".json")) {
            markers.add(m);
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        // Not a marker this program wrote: it only ever served a warning, so it is left alone.
      }
    }
    return markers;
  }

  private void write(Marker marker) {
    try {
      SafeFiles.write(
          dir.resolve(marker.id() + ".json"),
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(marker.id() + ".json"), e);
    }
  }

  private void delete(Marker marker) {
    try {
      SafeFiles.deleteIfExists(dir.resolve(marker.id() + ".json"));
    } catch (IOException ignored) {
      // A marker left behind only means one warning too many.
    }
  }
}
