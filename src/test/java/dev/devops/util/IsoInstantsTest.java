package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IsoInstants} reads and writes exactly what {@link Instant} does, for any text. */
final class IsoInstantsTest {
  private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

  @Test
  void writesWhatInstantToStringWrites() {
    SplittableRandom random = new SplittableRandom(17);
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(YEAR_0 - 86_400L * 400, YEAR_10000 + 86_400L * 400);
      instants.add(Instant.ofEpochSecond(seconds, nanos(random)));
    }
    instants.addAll(
        List.of(
            Instant.EPOCH,
            Instant.MIN,
            Instant.MAX,
            Instant.ofEpochSecond(YEAR_0),
            Instant.ofEpochSecond(YEAR_0 - 1, 999_999_999),
            Instant.ofEpochSecond(YEAR_10000 - 1, 999_999_999),
            Instant.ofEpochSecond(YEAR_10000),
            Instant.ofEpochSecond(-1, 1),
            Instant.parse("2024-02-29T23:59:59.000001Z"),
            Instant.parse("2026-12-01T10:00:00Z")));
    for (Instant instant : instants) {
      assertThat(IsoInstants.format(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void readsWhatInstantParseReadsInTheShapesTheApiWrites() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(YEAR_0 + 86_400, YEAR_10000 - 86_400);
      Instant instant = Instant.ofEpochSecond(seconds, nanos(random));
      String text = instant.toString();
      assertThat(IsoInstants.parse(text)).as(text).isEqualTo(instant);
      int digits = random.nextInt(10);
      String withOffset =
          instant
              .atOffset(
                  ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1) / 60 * 60))
              .toString();
      sameAsInstantParse(withOffset);
      sameAsInstantParse(text.substring(0, 19) + fraction(random, digits) + "Z");
    }
  }

  @Test
  void readsEveryOtherTextAsInstantParseDoes() {
    for (String text :
        List.of(
            "2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00.1Z",
            "2026-12-01T10:00:00.123456789Z",
            "2026-12-01T10:00:00.1234567890Z",
            "2026-12-01T10:00:00.Z",
            "2026-12-01T10:00:00+01:00",
            "2026-12-01T10:00:00-00:00",
            "2026-12-01T10:00:00+18:00",
            "2026-12-01T10:00:00-18:00",
            "2026-12-01T10:00:00+19:00",
            "2026-12-01T10:00:00+05:60",
            "2026-12-01T10:00:00+0100",
            "2026-12-01T10:00:00+01",
            "2026-12-01T10:00:00+01:00:30",
            "2026-12-01t10:00:00z",
            "2026-12-01T10:00Z",
            "2026-12-01 10:00:00Z",
            "2026-12-01T10:00:00",
            "2024-02-29T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-12-00T00:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T23:60:00Z",
            "2026-12-31T23:59:60Z",
            "2026-12-01T10:00:61Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "2026-1a-01T00:00:00Z",
            "2026-12-01T10:00:00ZZ",
            "２０２６-12-01T10:00:00Z",
            "2026-12-01T10:00:00.١Z",
            "",
            "Z")) {
      sameAsInstantParse(text);
    }
  }

  @Test
  void refusesTextInstantParseRefusesWithItsException() {
    assertThatThrownBy(() -> IsoInstants.parse("2026-02-30T00:00:00Z"))
        .isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> IsoInstants.parse("yesterday"))
        .isInstanceOf(DateTimeParseException.class);
  }

  /** Same instant, or the same kind of refusal, as {@link Instant#parse}. */
  private static void sameAsInstantParse(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (DateTimeException refused) {
      assertThatThrownBy(() -> IsoInstants.parse(text)).as(text).isInstanceOf(refused.getClass());
      return;
    }
    assertThat(IsoInstants.parse(text)).as(text).isEqualTo(expected);
  }

  private static int nanos(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private static String fraction(SplittableRandom random, int digits) {
    if (digits == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder(".");
    for (int i = 0; i < digits; i++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }
}
