package dev.devops.cli;

import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Picocli's model of a command, built from code: what {@code @Command}, {@code @Option} and
 * {@code @Parameters} would declare, with each option bound to its field by a setter. Picocli reads
 * annotations by reflection: the JVM generates a proxy class for each annotation type it meets (for
 * {@code @Command}, {@code @Option}, and those on {@code Object}'s methods, which picocli scans for
 * subcommand methods), about 27 ms of {@code deployments list} (README, Benchmarks). Picocli's own
 * completion command is the one model still read from its annotations, and only when it is modelled
 * (help, completion).
 */
final class Model {
  private Model() {}

  /** A command of ours: it names its options and parameters, and describes itself. */
  interface Described {
    /** Adds this command's description, options and parameters to {@code spec}. */
    void describe(CommandSpec spec);
  }

  /**
   * An option that takes a value of {@code type}: picocli converts it and hands it to {@code
   * field}. {@code initial} is the field's value before parsing, which picocli restores before each
   * parse (not for an option in a group; a command line is parsed once per run).
   */
  static <V> OptionSpec.Builder option(
      Class<V> type, V initial, Consumer<? super V> field, String... names) {
    Binding<V> binding = new Binding<>(initial, field);
    return OptionSpec.builder(names)
        .type(type)
        .initialValue(initial)
        .getter(binding)
        .setter(binding);
  }

  /** A boolean option of arity 0, false unless given. */
  static OptionSpec.Builder flag(Consumer<Boolean> field, String... names) {
    return option(boolean.class, false, field, names);
  }

  /** A positional parameter of {@code type}, null unless given. */
  static <V> PositionalParamSpec.Builder parameter(Class<V> type, Consumer<? super V> field) {
    Binding<V> binding = new Binding<>(null, field);
    return PositionalParamSpec.builder().type(type).getter(binding).setter(binding);
  }

  /** The one-line description of a command, or its paragraphs. */
  static void description(CommandSpec spec, String... lines) {
    spec.usageMessage().description(lines);
  }

  /** Keeps the last value picocli set (its getter) and writes it to the command's field. */
  private static final class Binding<V> implements IGetter, ISetter {
    private final Consumer<? super V> field;
    private V value;

    Binding(V initial, Consumer<? super V> field) {
      this.value = initial;
      this.field = field;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T newValue) {
      V old = value;
      value = (V) newValue;
      field.accept(value);
      return (T) old;
    }
  }
}
