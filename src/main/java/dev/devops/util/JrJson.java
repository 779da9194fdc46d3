package dev.devops.util;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterModifier;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.BeanConstructors;
import com.fasterxml.jackson.jr.ob.impl.BeanPropertyIntrospector;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
import com.fasterxml.jackson.jr.ob.impl.POJODefinition;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JSON through jackson-jr, for what a command reads and writes on its way to its first answer: the
 * API's answers, the project's records, the site's shared record and the incident commands'
 * reports. jackson-jr binds the same records by the same names as the data-binding mapper ({@link
 * Json}), without its start-up: the mapper and its per-type readers cost {@code deployments list
 * --json} about 100 ms of its ~440 on two cores (README, Benchmarks).
 *
 * <p>The types keep their Jackson annotations, which stay the one place their JSON names are
 * written: {@code @JsonProperty} renames, {@code @JsonAlias} adds names to read,
 * {@code @JsonIgnore} leaves a property out of what is written. A record's Java names are read too
 * (jackson-jr binds a record's components by them). {@code @JsonInclude} is not read: {@link
 * #compact()} leaves null properties out, for the types whose annotation says so. Properties are
 * written in the order they are declared. Scalars and {@link Instant}s are read as the mapper reads
 * them, and an array or object where a scalar belongs is refused, as the mapper refuses it.
 */
public final class JrJson {
  /** Writes every property, null ones included: the commands' reports and the site's metadata. */
  private static final JSON JSON_WITH_NULLS =
      JSON.builder()
          .register(new Extension())
          .build()
          .with(
              JSON.Feature.WRITE_NULL_PROPERTIES,
              JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
          // A record's isX() accessor is its component isX, not a property "x"; a key given twice
          // keeps its last value, as with the mapper (jackson-jr's deferred maps would keep both).
          .without(
              JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY,
              JSON.Feature.USE_IS_GETTERS,
              JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS,
              JSON.Feature.USE_DEFERRED_MAPS);

  /** Leaves null properties out: the project's records and the site's shared record. */
  private static final JSON COMPACT = JSON_WITH_NULLS.without(JSON.Feature.WRITE_NULL_PROPERTIES);

  private static final JSON PRETTY = JSON_WITH_NULLS.with(JSON.Feature.PRETTY_PRINT_OUTPUT);
  private static final JSON PRETTY_COMPACT = COMPACT.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

  private JrJson() {}

  /** Reads and writes with null properties written. */
  public static JSON json() {
    return JSON_WITH_NULLS;
  }

  /** Reads and writes with null properties left out (what {@code @JsonInclude(NON_NULL)} does). */
  public static JSON compact() {
    return COMPACT;
  }

  /** {@code value} as indented JSON, laid out as the mapper's default pretty printer does. */
  public static String pretty(Object value) throws IOException {
    return PRETTY.asString(value);
  }

  /** {@code value} as indented JSON without its null properties (the project's records file). */
  public static String prettyCompact(Object value) throws IOException {
    return PRETTY_COMPACT.asString(value);
  }

  /**
   * A command's JSON result written through this class rather than the mapper. Marked types are
   * checked against the mapper's output for the same value (JrJsonTest).
   */
  public interface Output {}

  /** Our names, aliases and ignored properties, and Instants. */
  private static final class Extension extends JacksonJrExtension {
    @Override
    protected void register(ExtensionContext context) {
      context.insertModifier(new Names());
      context.insertProvider(new Values());
    }
  }

  /**
   * A record's properties are its components, in order, named by their annotations; a class's are
   * what jackson-jr finds, renamed the same way and written in the order its fields are declared.
   */
  private static final class Names extends ReaderWriterModifier {
    @Override
    public POJODefinition pojoDefinitionForDeserialization(JSONReader reader, Class<?> type) {
      List<POJODefinition.Prop> props = new ArrayList<>();
      if (type.isRecord()) {
        // Matched to the canonical constructor by position: every component, in order.
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
          RecordComponent c = components[i];
          types[i] = c.getType();
          Field field = field(type, c.getName());
          props.add(
              new POJODefinition.Prop(
                  c.getName(),
                  c.getName(),
                  field,
                  null,
                  null,
                  null,
                  readNames(field, c.getName())));
        }
        return new POJODefinition(type, array(props), recordConstructor(type, types));
      }
      POJODefinition found =
          BeanPropertyIntrospector.instance().pojoDefinitionForDeserialization(reader, type);
      for (POJODefinition.Prop p : found.getProperties()) {
        List<String> names = readNames(field(type, p.name), p.name);
        props.add(
            names.isEmpty()
                ? p
                : new POJODefinition.Prop(
                    p.name, p.originalName(), p.field, p.setter, p.getter, p.isGetter, names));
      }
      return found.withProperties(props);
    }

    @Override
    public POJODefinition pojoDefinitionForSerialization(JSONWriter writer, Class<?> type) {
      List<POJODefinition.Prop> props = new ArrayList<>();
      if (type.isRecord()) {
        for (RecordComponent c : type.getRecordComponents()) {
          Field field = field(type, c.getName());
          if (!ignored(field) && !ignored(c.getAccessor())) {
            props.add(
                new POJODefinition.Prop(
                    rename(field, c.getName()),
                    c.getName(),
                    null,
                    null,
                    c.getAccessor(),
                    null,
                    null));
          }
        }
        return new POJODefinition(type, array(props), null);
      }
      POJODefinition found =
          BeanPropertyIntrospector.instance().pojoDefinitionForSerialization(writer, type);
      for (POJODefinition.Prop p : found.getProperties()) {
        Field field = field(type, p.name);
        if (ignored(field) || ignored(p.getter) || ignored(p.isGetter)) {
          continue;
        }
        String renamed = rename(field, p.name);
        props.add(
            renamed.equals(p.name)
                ? p
                : new POJODefinition.Prop(
                    renamed, p.name, p.field, p.setter, p.getter, p.isGetter, null));
      }
      // jackson-jr sorts a class's properties by name; the mapper keeps their declared order.
      List<Field> fields = Arrays.asList(type.getDeclaredFields());
      props.sort(Comparator.comparingInt(p -> declared(fields, p)));
      return found.withProperties(props);
    }

    /**
     * A record's canonical constructor, found from its components here: jackson-jr's own
     * introspection of a record, whose properties are replaced anyway, also reads all its methods,
     * and asks for its components through reflection, which makes the JDK read the annotations of
     * that method of Class's (README, Benchmarks: list and status 7 ms faster without it).
     */
    private static BeanConstructors recordConstructor(Class<?> type, Class<?>[] componentTypes) {
      try {
        return new BeanConstructors(type)
            .addRecordConstructor(type.getDeclaredConstructor(componentTypes));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(
            "record " + type.getName() + " has no canonical constructor", e);
      }
    }

    private static POJODefinition.Prop[] array(List<POJODefinition.Prop> props) {
      return props.toArray(new POJODefinition.Prop[0]);
    }

    /** The names besides its own that a property is read by: its @JsonProperty and aliases. */
    private static List<String> readNames(Field field, String name) {
      List<String> names = new ArrayList<>();
      String renamed = rename(field, name);
      if (!renamed.equals(name)) {
        names.add(renamed);
      }
      JsonAlias alias = field == null ? null : field.getAnnotation(JsonAlias.class);
      if (alias != null) {
        names.addAll(Arrays.asList(alias.value()));
      }
      return names;
    }

    private static int declared(List<Field> fields, POJODefinition.Prop p) {
      for (int i = 0; i < fields.size(); i++) {
        String name = fields.get(i).getName();
        if (name.equals(p.name) || name.equals(p.originalName())) {
          return i;
        }
      }
      return fields.size();
    }

    private static Field field(Class<?> type, String name) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          return c.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
          // a superclass may declare it
        }
      }
      return null;
    }

    private static String rename(Field field, String name) {
      JsonProperty property = field == null ? null : field.getAnnotation(JsonProperty.class);
      return property == null || property.value().isEmpty() ? name : property.value();
    }

    private static boolean ignored(AnnotatedElement element) {
      JsonIgnore ignore = element == null ? null : element.getAnnotation(JsonIgnore.class);
      return ignore != null && ignore.value();
    }
  }

  /** Scalars and {@link Instant}s, read as the mapper reads them. */
  private static final class Values extends ReaderWriterProvider {
    @Override
    public ValueReader findValueReader(JSONReader reader, Class<?> type) {
      if (type == Instant.class) {
        return new InstantReader();
      }
      boolean scalar =
          type == String.class
              || type == Boolean.class
              || type == boolean.class
              || type == Integer.class
              || type == int.class
              || type == Long.class
              || type == long.class;
      return scalar ? new ScalarReader(type) : null;
    }

    @Override
    public ValueWriter findValueWriter(JSONWriter writer, Class<?> type) {
      return type == Instant.class ? new InstantWriter() : null;
    }
  }

  /**
   * Text, a boolean or a whole number where the type says so. jackson-jr's own readers turn an
   * array or object found there into null without reading past it, and the rest of the document is
   * then misread (a page's later deploys dropped, a record's later keys lost): here it is refused,
   * as the mapper refuses it. As with the mapper, a number or boolean is read as text, a number
   * given as text as a number, a fraction as its whole part, "true"/"false" and numbers as booleans
   * (0 is false), and an empty text as null.
   */
  private static final class ScalarReader extends ValueReader {
    ScalarReader(Class<?> type) {
      super(type);
    }

    @Override
    public Object read(JSONReader reader, JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return absent();
      }
      if (token == null || !token.isScalarValue()) {
        throw refused(parser);
      }
      if (_valueType == String.class) {
        return parser.getText();
      }
      String text = token == JsonToken.VALUE_STRING ? parser.getText().trim() : null;
      if (text != null && text.isEmpty()) {
        return absent();
      }
      if (_valueType == Boolean.class || _valueType == boolean.class) {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          return token == JsonToken.VALUE_TRUE;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
          return parser.getDecimalValue().signum() != 0;
        }
        if ("true".equals(text) || "false".equals(text)) {
          return Boolean.valueOf(text);
        }
        throw refused(parser);
      }
      boolean isInt = _valueType == Integer.class || _valueType == int.class;
      try {
        if (token == JsonToken.VALUE_NUMBER_INT) {
          return isInt ? (Object) parser.getIntValue() : (Object) parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          double value = parser.getDoubleValue();
          double max = isInt ? Integer.MAX_VALUE : Long.MAX_VALUE;
          if (!(Math.abs(value) <= max)) { // out of range, or not a number
            throw refused(parser);
          }
          return isInt ? (Object) (int) value : (Object) (long) value;
        }
        if (text != null) {
          return isInt ? (Object) Integer.parseInt(text) : (Object) Long.parseLong(text);
        }
      } catch (NumberFormatException e) {
        throw refused(parser);
      }
      throw refused(parser);
    }

    /** What null and an empty text read as: null, or a primitive's zero. */
    private Object absent() {
      if (_valueType == boolean.class) {
        return false;
      }
      if (_valueType == int.class) {
        return 0;
      }
      return _valueType == long.class ? (Object) 0L : null;
    }

    private JSONObjectException refused(JsonParser parser) throws IOException {
      String expected = _valueType == String.class ? "text" : _valueType.getSimpleName();
      return JSONObjectException.from(
          parser, "expected " + expected + ", found " + _tokenDesc(parser));
    }
  }

  /**
   * {@link Instant} as the mapper reads it: ISO-8601 text (with Z or an offset), a number of
   * seconds since the epoch (whole or with a fraction; a number, or digits as text), an empty text
   * for null.
   */
  private static final class InstantReader extends ValueReader {
    private static final Pattern SECONDS = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    InstantReader() {
      super(Instant.class);
    }

    @Override
    public Object read(JSONReader reader, JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      try {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          return seconds(parser.getDecimalValue());
        }
        if (token == JsonToken.VALUE_STRING) {
          String text = parser.getText().trim();
          if (text.isEmpty()) {
            return null;
          }
          return SECONDS.matcher(text).matches()
              ? seconds(new BigDecimal(text))
              : IsoInstants.parse(text);
        }
      } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
        throw JSONObjectException.from(parser, "not an ISO-8601 instant: " + _tokenDesc(parser));
      }
      throw JSONObjectException.from(
          parser, "expected an ISO-8601 instant, found " + _tokenDesc(parser));
    }

    private static Instant seconds(BigDecimal value) {
      long whole = value.setScale(0, RoundingMode.DOWN).longValueExact();
      int nanos = value.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
  }

  private static final class InstantWriter implements ValueWriter {
    @Override
    public void writeValue(JSONWriter context, JsonGenerator generator, Object value)
        throws IOException {
      generator.writeString(IsoInstants.format((Instant) value));
    }

    @Override
    public Class<?> valueType() {
      return Instant.class;
    }
  }
}
