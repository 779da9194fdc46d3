package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jackson-jr ({@link JrJson}) and the data-binding mapper ({@link Json}) agree on every type that
 * moved to jackson-jr: each reads what the other writes into an equal value, and a command's report
 * is written byte for byte alike. Every value is built with every property set (names, nesting,
 * lists, maps, instants all exercised), and again with every nullable property null.
 */
class JrJsonTest {
  /** What NetlifyClient decodes with jackson-jr: the API's answers. */
  private static final List<String> API_TYPES =
      List.of("dev.devops.netlify.Site", "dev.devops.netlify.Deploy", "dev.devops.netlify.EnvVar");

  /** What the project's records file and the site's shared record hold. */
  private static final List<String> STORED_TYPES =
      List.of("dev.devops.state.DeploymentRecords$Data", "dev.devops.engine.SharedState$Snapshot");

  /** The reports written through jackson-jr (each a JrJson.Output). */
  private static final List<String> REPORTS =
      List.of("dev.devops.cli.DeploymentsList$Report", "dev.devops.cli.StatusCommand$Report");

  static List<String> boundTypes() {
    List<String> all = new ArrayList<>(API_TYPES);
    all.addAll(STORED_TYPES);
    return all;
  }

  @ParameterizedTest
  @MethodSource("boundTypes")
  void eachReadsWhatTheOtherWrites(String typeName) throws Exception {
    Class<?> type = Class.forName(typeName);
    for (boolean nulls : new boolean[] {false, true}) {
      Object value = fill(type, type, nulls, 0);
      JavaType javaType = Json.mapper().constructType(type);
      byte[] byJr = jr(type).asBytes(value);
      assertThat((Object) jr(type).beanFrom(type, byJr))
          .as(typeName)
          .usingRecursiveComparison()
          .isEqualTo(value);
      // The names jackson-jr writes are the ones the mapper reads (from the same annotations).
      assertThat((Object) Json.mapper().readValue(byJr, javaType))
          .as(typeName)
          .usingRecursiveComparison()
          .isEqualTo(value);
      // And what the mapper writes (its own extras included) jackson-jr reads as the mapper does.
      byte[] byMapper = Json.mapper().writeValueAsBytes(value);
      assertThat((Object) jr(type).beanFrom(type, byMapper))
          .as(typeName)
          .usingRecursiveComparison()
          .isEqualTo(Json.mapper().readValue(byMapper, javaType));
      if (STORED_TYPES.contains(typeName)) {
        // Stored as the mapper stored them: the same properties, null ones left out alike.
        assertThat(Json.mapper().readTree(byJr))
            .as(typeName)
            .isEqualTo(Json.mapper().readTree(byMapper));
      }
    }
  }

  static List<String> reports() {
    return REPORTS;
  }

  @ParameterizedTest
  @MethodSource("reports")
  void aReportIsWrittenByteForByteAsTheMapperWritesIt(String typeName) throws Exception {
    Class<?> type = Class.forName(typeName);
    assertThat(JrJson.Output.class.isAssignableFrom(type)).isTrue();
    for (boolean nulls : new boolean[] {false, true}) {
      Object value = fill(type, type, nulls, 0);
      assertThat(JrJson.pretty(value))
          .as(typeName)
          .isEqualTo(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }
  }

  @Test
  void unknownPropertiesAreIgnoredAndBadValuesRefused() throws Exception {
    Class<?> site = Class.forName("dev.devops.netlify.Site");
    Object read = JrJson.json().beanFrom(site, "{\"id\":\"a\",\"surprise\":{\"x\":[1,2]}}");
    assertThat(read.toString()).contains("id=a");
    assertThatThrownBy(() -> JrJson.json().beanFrom(site, "{\"created_at\":\"yesterday\"}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> JrJson.json().beanFrom(site, "[1,2]")).isInstanceOf(IOException.class);
  }

  @Test
  void instantsAreReadAndWrittenAsTheMapperDoes() throws Exception {
    for (String text :
        List.of(
            "\"2026-11-27T09:17:13Z\"",
            "\"2026-11-27T09:17:13.120Z\"",
            "\"2026-11-27T09:17:13.123456789Z\"",
            "1700000000",
            "null")) {
      String json = "{\"at\":" + text + "}";
      assertThat(JrJson.json().beanFrom(At.class, json))
          .as(text)
          .isEqualTo(Json.mapper().readValue(json, At.class));
    }
    At at = new At(Instant.parse("2026-11-27T09:17:13.120Z"));
    assertThat(JrJson.json().asString(at)).isEqualTo(Json.mapper().writeValueAsString(at));
  }

  record At(Instant at) {}

  private static com.fasterxml.jackson.jr.ob.JSON jr(Class<?> type) {
    return STORED_TYPES.contains(type.getName()) ? JrJson.compact() : JrJson.json();
  }

  // ---- values with every property set, or every nullable one null

  private static Object fill(Type declared, Class<?> raw, boolean nulls, int depth)
      throws Exception {
    if (raw == String.class) {
      return nulls ? null : "text \"é\" " + depth;
    }
    if (raw == Instant.class) {
      return nulls ? null : Instant.parse("2026-11-27T09:17:13.120Z").plusSeconds(depth);
    }
    if (raw == boolean.class) {
      return true;
    }
    if (raw == Boolean.class) {
      return nulls ? null : Boolean.TRUE;
    }
    if (raw == int.class || raw == Integer.class) {
      return nulls && raw == Integer.class ? null : 7 + depth;
    }
    if (raw == long.class || raw == Long.class) {
      return nulls && raw == Long.class ? null : 42L + depth;
    }
    if (raw == Object.class) {
      return nulls ? null : Map.of("messages", List.of(Map.of("title", "No rules processed")));
    }
    if (raw.isEnum()) {
      return nulls ? null : raw.getEnumConstants()[0];
    }
    if (List.class.isAssignableFrom(raw)) {
      if (nulls) {
        return null;
      }
      Type item = ((ParameterizedType) declared).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      list.add(fill(item, rawOf(item), false, depth + 1));
      return list;
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (nulls) {
        return null;
      }
      Type value = ((ParameterizedType) declared).getActualTypeArguments()[1];
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("key-" + depth, fill(value, rawOf(value), false, depth + 1));
      return map;
    }
    if (raw.isRecord()) {
      if (nulls && depth > 0) {
        return null;
      }
      RecordComponent[] components = raw.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] =
            depth > 3 && !types[i].isPrimitive()
                ? null
                : fill(components[i].getGenericType(), types[i], nulls, depth + 1);
      }
      Constructor<?> canonical = raw.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    }
    Constructor<?> noArgs = raw.getDeclaredConstructor();
    noArgs.setAccessible(true);
    Object bean = noArgs.newInstance();
    for (Field field : raw.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      Object value = fill(field.getGenericType(), field.getType(), nulls, depth + 1);
      if (value != null || !field.getType().isPrimitive()) {
        if (value == null && field.get(bean) != null) {
          continue; // a collection the class starts with is never null
        }
        field.set(bean, value);
      }
    }
    return bean;
  }

  private static Class<?> rawOf(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }
}
