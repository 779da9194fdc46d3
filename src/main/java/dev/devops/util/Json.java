package dev.devops.util;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.time.Instant;
import java.util.List;

/**
 * The shared data-binding mapper: lenient on input, ISO-8601 dates on output. What the incident's
 * first commands read and write goes through {@link JrJson} instead.
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(instants())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Builds and caches the reader of {@code type} now (the first use of a type builds it by
   * reflection, milliseconds each): {@code mapper().readValue} of the same type then finds it.
   */
  public static void prepareReader(JavaType type) {
    MAPPER.readerFor(type);
  }

  public static void prepareReader(Class<?> type) {
    prepareReader(MAPPER.constructType(type));
  }

  /** Builds and caches the writer of {@code type} now, as {@link #prepareReader} does. */
  public static void prepareWriter(Class<?> type) {
    MAPPER.writerFor(type);
  }

  /** {@code List<type>}, as readers of lists are keyed. */
  public static JavaType listOf(Class<?> type) {
    return MAPPER.getTypeFactory().constructCollectionType(List.class, type);
  }

  /**
   * {@link Instant}, the only java.time type our JSON holds, with the (de)serializers the whole
   * JavaTimeModule would register for it. That module also builds those of a dozen other types,
   * with their formatters, on every start.
   */
  private static SimpleModule instants() {
    return new SimpleModule("instants")
        .addSerializer(Instant.class, InstantSerializer.INSTANCE)
        .addDeserializer(Instant.class, InstantDeserializer.INSTANT);
  }
}
