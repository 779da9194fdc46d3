package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared mapper reads and writes instants exactly as with the whole JavaTimeModule. */
class JsonTest {
  record At(Instant at) {}

  private static final ObjectMapper WHOLE_MODULE =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  @Test
  void writesInstantsAsTheJavaTimeModuleDoes() throws Exception {
    for (Instant at :
        List.of(
            Instant.parse("2026-11-27T09:17:13Z"),
            Instant.parse("2026-11-27T09:17:13.120Z"),
            Instant.parse("1969-12-31T23:59:59.999999999Z"),
            Instant.EPOCH)) {
      assertThat(Json.mapper().writeValueAsString(new At(at)))
          .isEqualTo(WHOLE_MODULE.writeValueAsString(new At(at)));
    }
  }

  @Test
  void readsInstantsAsTheJavaTimeModuleDoes() {
    for (String value :
        List.of(
            "\"2026-11-27T09:17:13Z\"",
            "\"2026-11-27T09:17:13.123456Z\"",
            "\"2026-11-27T10:17:13+01:00\"",
            "\"2026-11-27T09:17:13.000+0000\"",
            "\" 2026-11-27T09:17:13Z \"",
            "\"\"",
            "null",
            "1764235033",
            "1764235033.5",
            "\"1764235033\"",
            "\"yesterday\"",
            "[\"2026-11-27T09:17:13Z\"]",
            "{}")) {
      String json = "{\"at\":" + value + "}";
      assertThat(outcome(Json.mapper(), json)).as(json).isEqualTo(outcome(WHOLE_MODULE, json));
    }
  }

  private static String outcome(ObjectMapper mapper, String json) {
    try {
      return String.valueOf(mapper.readValue(json, At.class));
    } catch (Exception e) {
      return e.getClass().getName();
    }
  }
}
