package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {
  @Test
  void durationsAsPeopleTypeThem() {
    assertThat(DurationConverter.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse(" 1H ")).isEqualTo(Duration.ofHours(1));
    for (String bad : new String[] {"", "soon", "2 m", "m", "-1s", "1m-", "1d", "1e3"}) {
      assertThat(DurationConverter.parse(bad)).as(bad).isNull();
    }
  }
}
