package dev.devops.util;

import java.util.Calendar;
import java.util.Locale;
import java.util.spi.CalendarDataProvider;

/**
 * The week data of {@link Locale#US} (weeks start on Sunday; week 1 is the one with January 1st),
 * the same as the JDK's own CLDR data. bin/devops puts installed providers first ({@code
 * -Djava.locale.providers=SPI,...}) so that this one answers: Jackson's date format asks for it
 * while the JSON mapper starts, and the JDK's CLDR provider answers only after turning the ~800
 * language tags it knows into Locales (about 20 ms of {@code deployments list --json}). Every other
 * locale is left to the JDK.
 */
public final class UsCalendarData extends CalendarDataProvider {
  @Override
  public int getFirstDayOfWeek(Locale locale) {
    return Calendar.SUNDAY;
  }

  @Override
  public int getMinimalDaysInFirstWeek(Locale locale) {
    return 1;
  }

  @Override
  public Locale[] getAvailableLocales() {
    return new Locale[] {Locale.US};
  }

  @Override
  public boolean isSupportedLocale(Locale locale) {
    return Locale.US.equals(locale.stripExtensions());
  }
}
