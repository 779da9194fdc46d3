package dev.devops.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code .devops/config.json} token by token into its on-disk shape. Every project command
 * reads the config before its first request, and Jackson's data binding would first build the JSON
 * mapper and the readers of five classes (about 30 ms of a 400 ms {@code deployments list}); the
 * streaming parser needs neither. Unknown fields are skipped; a value of the wrong type is reported
 * at its line and column, by its place in the file ("'rollback.verify_sample' must be a whole
 * number"). Syntax errors are the parser's own, and reach the caller as {@link IOException}s.
 */
final class ConfigReader {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String display;
  private final JsonParser parser;

  private ConfigReader(String display, JsonParser parser) {
    this.display = display;
    this.parser = parser;
  }

  /** The config in {@code bytes}; null when they hold JSON's {@code null}. */
  static ConfigStore.OnDisk read(String display, byte[] bytes) throws IOException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      ConfigReader reader = new ConfigReader(display, parser);
      JsonToken first = parser.nextToken();
      ConfigStore.OnDisk config = null;
      if (first == JsonToken.START_OBJECT) {
        config = reader.config();
      } else if (first != JsonToken.VALUE_NULL) {
        throw reader.wrongType("the file", "a JSON object");
      }
      if (parser.nextToken() != null) {
        throw reader.wrongType("the file", "one JSON object, with nothing after it");
      }
      return config;
    }
  }

  private ConfigStore.OnDisk config() throws IOException {
    ConfigStore.OnDisk config = new ConfigStore.OnDisk();
    fields("", config);
    return config;
  }

  /**
   * The fields of the object the parser is in, named from the top ("rollback.lock"); the sections'
   * fields are read by the same loop, one level down.
   */
  private void fields(String prefix, ConfigStore.OnDisk config) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      // A name with a dot would pass for a section's field: no field of ours has one.
      String at = name.indexOf('.') < 0 ? prefix + name : "";
      switch (at) {
        case "platform" -> config.platform = string(at);
        case "site_id" -> config.siteId = string(at);
        case "site_name" -> config.siteName = string(at);
        case "api_url" -> config.apiUrl = string(at);
        case "health_checks" -> config.healthChecks = healthChecks();
        case "rollback" -> {
          config.rollback = startsObject(at) ? new ConfigStore.Rollback() : null;
          if (config.rollback != null) {
            fields("rollback.", config);
          }
        }
        case "rollback.lock" -> config.rollback.lock = bool(at);
        case "rollback.publish_timeout_seconds" ->
            config.rollback.publishTimeoutSeconds = integer(at);
        case "rollback.verify_sample" -> config.rollback.verifySample = integer(at);
        case "deployment" -> {
          config.deployment = startsObject(at) ? new ConfigStore.Deployment() : null;
          if (config.deployment != null) {
            fields("deployment.", config);
          }
        }
        case "deployment.rollback_on_failure" -> config.deployment.rollbackOnFailure = bool(at);
        case "deployment.health_check_enabled" -> config.deployment.healthCheckEnabled = bool(at);
        default -> parser.skipChildren(); // a field of a newer version, or a note
      }
    }
  }

  /** A list of checks, or the short form {@code {"paths": [...]}}. */
  private ConfigStore.HealthChecks healthChecks() throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    ConfigStore.HealthChecks checks = new ConfigStore.HealthChecks();
    if (token == JsonToken.START_ARRAY) {
      checks.list = checks("health_checks");
      return checks;
    }
    if (token != JsonToken.START_OBJECT) {
      throw wrongType("health_checks", "a list of checks or {\"paths\": [...]}");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      token = parser.nextToken();
      if (!name.equals("paths")) {
        parser.skipChildren();
      } else if (token == JsonToken.VALUE_NULL) {
        checks.paths = null;
      } else if (token == JsonToken.START_ARRAY) {
        checks.paths = checks("health_checks.paths");
      } else {
        throw wrongType("health_checks.paths", "a list of paths");
      }
    }
    return checks;
  }

  /** The entries of the list the parser is at; at most one more than a config may hold. */
  private List<ConfigStore.CheckOnDisk> checks(String where) throws IOException {
    List<ConfigStore.CheckOnDisk> entries = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      String at = where + "[" + entries.size() + "]";
      if (entries.size() > ConfigStore.MAX_HEALTH_CHECKS) {
        parser.skipChildren(); // the count alone is reported; memory stays bounded
        continue;
      }
      if (token == JsonToken.VALUE_NULL) {
        entries.add(null);
      } else if (token == JsonToken.VALUE_STRING) {
        entries.add(ConfigStore.CheckOnDisk.ofPath(parser.getText()));
      } else if (token == JsonToken.START_OBJECT) {
        entries.add(check(at));
      } else {
        throw wrongType(at, "a path or a check object");
      }
    }
    return entries;
  }

  private ConfigStore.CheckOnDisk check(String where) throws IOException {
    ConfigStore.CheckOnDisk check = new ConfigStore.CheckOnDisk();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      String at = where + "." + name;
      switch (name) {
        case "path" -> check.path = string(at);
        case "status" -> check.status = integer(at);
        case "contains" -> check.contains = string(at);
        case "max_ms" -> check.maxMs = integer(at);
        default -> parser.skipChildren();
      }
    }
    return check;
  }

  /** True at an object's start, false at null; anything else is the wrong type. */
  private boolean startsObject(String at) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return false;
    }
    if (token != JsonToken.START_OBJECT) {
      throw wrongType(at, "an object");
    }
    return true;
  }

  private String string(String at) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw wrongType(at, "a string");
    }
    return parser.getText();
  }

  private Integer integer(String at) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(at, "a whole number");
    }
    if (parser.getNumberType() != JsonParser.NumberType.INT) {
      throw error("'" + at + "' is out of range");
    }
    return parser.getIntValue();
  }

  private Boolean bool(String at) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw wrongType(at, "true or false");
    }
    return token == JsonToken.VALUE_TRUE;
  }

  /** "file:line:column: 'place' must be WHAT.", at the start of the value the parser is at. */
  private ConfigException wrongType(String at, String what) {
    String place = at.equals("the file") ? "the file" : "'" + at + "'";
    return error(place + " must be " + what);
  }

  /** "file:line:column: MESSAGE.", at the start of the value the parser is at. */
  private ConfigException error(String message) {
    JsonLocation where = parser.currentTokenLocation();
    return new ConfigException(
        ConfigException.Kind.MALFORMED,
        display
            + ":"
            + Math.max(1, where.getLineNr())
            + ":"
            + Math.max(1, where.getColumnNr())
            + ": "
            + message
            + ".");
  }
}
