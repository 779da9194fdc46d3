package dev.devops.util;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants in the one shape the API and our records use ({@code 2026-12-01T10:00:00.123Z},
 * or with an offset), read and written without {@code DateTimeFormatter}: the first use of that
 * class builds its two dozen standard formatters (70 classes on the list's path: README,
 * Benchmarks). Anything else goes to {@link Instant#parse} and {@link Instant#toString}, so the
 * results are always theirs.
 */
public final class IsoInstants {
  private static final int SECONDS_PER_DAY = 86_400;
  private static final long FIRST_FOUR_DIGIT_DAY = LocalDate.of(0, 1, 1).toEpochDay();
  private static final long LAST_FOUR_DIGIT_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  private IsoInstants() {}

  /** {@code text} as {@link Instant#parse} reads it; throws {@link DateTimeParseException}. */
  public static Instant parse(CharSequence text) {
    Instant fast = parseCommonShape(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /** {@code instant} as {@link Instant#toString} writes it. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    if (days < FIRST_FOUR_DIGIT_DAY || days > LAST_FOUR_DIGIT_DAY) {
      return instant.toString(); // years of other than four digits carry a sign or more digits
    }
    LocalDate date = LocalDate.ofEpochDay(days);
    StringBuilder out = new StringBuilder(30);
    digits(out, date.getYear(), 4).append('-');
    digits(out, date.getMonthValue(), 2).append('-');
    digits(out, date.getDayOfMonth(), 2).append('T');
    digits(out, secondOfDay / 3600, 2).append(':');
    digits(out, secondOfDay / 60 % 60, 2).append(':');
    digits(out, secondOfDay % 60, 2);
    int nanos = instant.getNano();
    if (nanos != 0) { // as many digits as needed, in groups of three
      out.append('.');
      if (nanos % 1_000_000 == 0) {
        digits(out, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        digits(out, nanos / 1000, 6);
      } else {
        digits(out, nanos, 9);
      }
    }
    return out.append('Z').toString();
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of one to nine digits, then {@code Z} or
   * {@code ±HH:mm}; null for any other text, and for a leap second or an offset of 18 hours, which
   * {@link Instant#parse} treats in its own way.
   */
  private static Instant parseCommonShape(CharSequence text) {
    int length = text.length();
    if (length < 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    if ((year | month | day | hour | minute | second) < 0
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    int at = 19;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < length && at - start < 10 && isDigit(text.charAt(at))) {
        nanos = nanos * 10 + (text.charAt(at++) - '0');
      }
      int count = at - start;
      if (count == 0 || count > 9) {
        return null;
      }
      for (int i = count; i < 9; i++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (at == length - 1 && text.charAt(at) == 'Z') {
      offsetSeconds = 0;
    } else if (at == length - 6
        && (text.charAt(at) == '+' || text.charAt(at) == '-')
        && text.charAt(at + 3) == ':') {
      int offsetHours = number(text, at + 1, at + 3);
      int offsetMinutes = number(text, at + 4, at + 6);
      if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
        return null;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text.charAt(at) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // no such day: Instant.parse gives its own message
    }
    long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
    return Instant.ofEpochSecond(seconds - offsetSeconds, nanos);
  }

  /** The decimal number in {@code text[from, to)}, or -1 unless it is all ASCII digits. */
  private static int number(CharSequence text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static StringBuilder digits(StringBuilder out, int value, int width) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(text);
  }
}
