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
import org.junit.jupiter.params.provider.CsvSource;
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
      List.of(
          "dev.devops.netlify.Site",
          "dev.devops.netlify.Deploy",
          "dev.devops.netlify.EnvVar",
          "dev.devops.netlify.DeployFile",
          "dev.devops.netlify.LogLine");

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

  /**
   * Input from strangers, as the API or a damaged file may send it: both read it alike, or both
   * refuse it. A list is written "[]" after the type's name.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "dev.devops.netlify.Site | {'id':'s1','name':['x'],'published_deploy':{'id':'d1'}}",
        "dev.devops.netlify.Site | {'id':'s1','name':{'a':1},'url':'u'}",
        "dev.devops.netlify.Site | {'id':'s1','id':'s2'}",
        "dev.devops.netlify.Site | {'id':'s1','created_at':''}",
        "dev.devops.netlify.Site | {'created_at':'1700000000'}",
        "dev.devops.netlify.Site | {'created_at':'1700000000.25'}",
        "dev.devops.netlify.Site | {'created_at':1700000000.5}",
        "dev.devops.netlify.Site | {'created_at':-1.5}",
        "dev.devops.netlify.Site | {'created_at':'2026-11-27T09:17:13+01:00'}",
        "dev.devops.netlify.Site | {'created_at':'yesterday'}",
        "dev.devops.netlify.Site | {'created_at':1e30}",
        "dev.devops.netlify.Site | {'created_at':true}",
        "dev.devops.netlify.Site | {'created_at':['2026-11-27T09:17:13Z']}",
        "dev.devops.netlify.Site | [1,2]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','title':['x'],'state':'ready'},{'id':'d2'}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','title':{'x':[1]}},{'id':'d2'}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','locked':'yes'}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','locked':'true','draft':1,'skipped':0}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','locked':{}}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','title':12,'branch':true}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','required':'x'}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','links':['x']}]",
        "dev.devops.netlify.Deploy[] | [{'id':'d1','summary':{'messages':[{'title':'a'}],'k':1,'k':2}}]",
        "dev.devops.netlify.Deploy[] | {'id':'d1'}",
        "dev.devops.netlify.DeployFile | {'path':'/a','sha':'x','size':'12'}",
        "dev.devops.netlify.DeployFile | {'path':'/a','size':'abc'}",
        "dev.devops.netlify.DeployFile | {'path':'/a','size':1.5}",
        "dev.devops.netlify.DeployFile | {'path':'/a','size':[1]}",
        "dev.devops.netlify.DeployFile | {'path':'/a','size':1e300}",
        "dev.devops.netlify.LogLine[] | [{'log':'hello','ts':'t'},{'message':'m'}]",
        "dev.devops.state.DeploymentRecords$Data | {'deploys':{'d1':{'version':{'x':1}},'d2':{'id':'d2'}}}",
        "dev.devops.state.DeploymentRecords$Data | {'schema':null,'deploys':{'d1':{'id':'d1','production':'true'}}}",
        "dev.devops.engine.SharedState$Snapshot | {'schema':1,'rollbacks':[{'id':'r','reason':['x']}],'marks':{}}",
        "dev.devops.engine.SharedState$Snapshot | {'schema':'x'}",
        "dev.devops.engine.SharedState$Snapshot | {'lease':{'holder':{'pid':'abc'}}}",
        "dev.devops.engine.SharedState$Snapshot | {'marks':{'d1':{'bad':'maybe'}}}",
      })
  void bothReadInputFromStrangersAlikeOrBothRefuseIt(String typeName, String quoted)
      throws Exception {
    String json = quoted.replace('\'', '"');
    boolean list = typeName.endsWith("[]");
    Class<?> type = Class.forName(list ? typeName.substring(0, typeName.length() - 2) : typeName);
    JavaType javaType = list ? Json.listOf(type) : Json.mapper().constructType(type);
    Object byMapper;
    try {
      byMapper = Json.mapper().readValue(json, javaType);
    } catch (IOException e) {
      byMapper = e;
    }
    Object byJr;
    try {
      byJr = list ? jr(type).listOfFrom(type, json) : jr(type).beanFrom(type, json);
    } catch (IOException e) {
      byJr = e;
    }
    if (byMapper instanceof IOException) {
      assertThat(byJr).as(json + " is refused by the mapper").isInstanceOf(IOException.class);
    } else {
      assertThat(byJr).as(json).usingRecursiveComparison().isEqualTo(byMapper);
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
      if (nulls && depth > 1) {
        return null;
      }
      Type item = ((ParameterizedType) declared).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      list.add(fill(item, rawOf(item), nulls && rawOf(item).isRecord(), depth + 1));
      return list;
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (nulls && depth > 1) {
        return null;
      }
      Type value = ((ParameterizedType) declared).getActualTypeArguments()[1];
      Map<String, Object> map = new LinkedHashMap<>();
      // A record's null fields, not a null value: no map of ours holds one.
      map.put(
          "key-" + depth, fill(value, rawOf(value), nulls && rawOf(value).isRecord(), depth + 1));
      return map;
    }
    if (raw.isRecord()) {
      if (nulls && depth > 2) {
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
