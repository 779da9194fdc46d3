package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** Our Locale.US week data (bin/devops puts it first) says what the JDK's own data says. */
class UsCalendarDataTest {
  private final UsCalendarData provider = new UsCalendarData();

  @Test
  void agreesWithTheJdksDataForLocaleUs() {
    // This JVM runs with the JDK's default providers: this is the CLDR answer.
    Calendar jdk = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.US);
    assertThat(provider.getFirstDayOfWeek(Locale.US)).isEqualTo(jdk.getFirstDayOfWeek());
    assertThat(provider.getMinimalDaysInFirstWeek(Locale.US))
        .isEqualTo(jdk.getMinimalDaysInFirstWeek());
  }

  @Test
  void answersForLocaleUsOnlyAndLeavesEveryOtherLocaleToTheJdk() {
    assertThat(provider.isSupportedLocale(Locale.US)).isTrue();
    assertThat(provider.isSupportedLocale(Locale.forLanguageTag("en-US-u-ca-gregory"))).isTrue();
    assertThat(provider.isSupportedLocale(Locale.UK)).isFalse();
    assertThat(provider.isSupportedLocale(Locale.ENGLISH)).isFalse();
    assertThat(provider.isSupportedLocale(Locale.ROOT)).isFalse();
    assertThat(provider.isSupportedLocale(new Locale("en", "US", "POSIX"))).isFalse();
    assertThat(provider.getAvailableLocales()).containsExactly(Locale.US);
  }
}
