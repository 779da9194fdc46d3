package dev.devops.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code devops}: safe, verified rollbacks for Netlify sites.
 *
 * <p>The top-level commands are listed in {@link #SUBCOMMANDS}, and each group's in its {@link
 * CommandGroup#subcommands()}, not in the annotations: picocli builds the model of every listed
 * command eagerly (reflection over each class, its options and mixins), a few milliseconds per
 * command. {@link #register} adds only the commands a run can reach, and the whole tree where it is
 * needed (help, completion, a mistyped name). A bare {@code --version} needs no model at all
 * ({@link App#run}).
 */
@Command(
    name = "devops",
    versionProvider = VersionProvider.class,
    description =
        "Roll a Netlify site back to an earlier deploy in seconds, and prove that it did.")
public final class RootCommand implements Runnable, SpecAware {
  /** Every top-level command, in the order {@code devops --help} lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          InitCommand.class,
          StatusCommand.class,
          LogsCommand.class,
          DeployCommand.class,
          GuardCommand.class,
          DeploymentsCommand.class,
          RollbackCommand.class,
          BackupCommand.class,
          VerifyCommand.class,
          RecoverCommand.class,
          LocalCommand.class,
          DemoCommand.class,
          GenerateCompletion.class);

  private CommandSpec spec;

  @Override
  public void spec(CommandSpec spec) {
    this.spec = spec;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The whole command tree, with picocli's default factory (for tools and tests). */
  public static CommandLine commandLine() {
    CommandLine root = new CommandLine(new RootCommand());
    register(root, null);
    return root;
  }

  /**
   * Adds to {@code root} the commands that running {@code args} can reach: none for a bare {@code
   * --version}; the invoked one when the first word names a command, and below it only the
   * subcommands the arguments name; otherwise the whole tree ({@code null} args also means all).
   */
  static void register(CommandLine root, String[] args) {
    complete(root);
    if (args != null && onlyVersion(args)) {
      return;
    }
    String word = args == null ? null : firstWord(args);
    if (word != null) {
      for (Class<?> type : SUBCOMMANDS) {
        if (word.equals(nameOf(type)) && !type.equals(GenerateCompletion.class)) {
          add(root, List.of(type), args);
          return;
        }
      }
    }
    add(root, SUBCOMMANDS, null);
  }

  /**
   * Adds {@code types} under {@code parent}, each group with the subcommands {@code args} reach.
   */
  private static void add(CommandLine parent, List<Class<?>> types, String[] args) {
    for (Class<?> type : types) {
      parent.addSubcommand(type);
      CommandLine added = parent.getSubcommands().get(nameOf(type));
      complete(added);
      if (added.getCommand() instanceof CommandGroup group) {
        add(added, reachable(group, args), args);
      }
    }
  }

  /**
   * What annotations would otherwise do, done from code: each command's {@code -h/--help} and
   * {@code -V/--version}, {@code --json} for a {@link JsonOutput}, {@code --debug} for every {@link
   * BaseCommand}, and its model handed to a {@link SpecAware}. Picocli reads annotations by
   * reflection, and each annotation type the JVM first meets costs it a generated proxy class
   * (about 4 ms of start-up each); each mixin costs a model of its own.
   */
  static void complete(CommandLine line) {
    CommandSpec spec = line.getCommandSpec();
    addHelpOptions(spec);
    Object command = line.getCommand();
    if (command instanceof JsonOutput) {
      spec.addOption(flag("Write machine-readable JSON to stdout.", "--json").build());
    }
    if (command instanceof BaseCommand) {
      String debug =
          "Print request traces and full error details on stderr (the token is redacted).";
      spec.addOption(flag(debug, "--debug").build());
    }
    if (command instanceof SpecAware aware) {
      aware.spec(spec);
    }
  }

  /** A boolean option, as picocli models an annotated {@code boolean} field. */
  private static OptionSpec.Builder flag(String description, String... names) {
    return OptionSpec.builder(names).type(boolean.class).description(description);
  }

  /**
   * {@code -h/--help} and {@code -V/--version}, as picocli's {@code mixinStandardHelpOptions} adds
   * them, on every command of ours: built here from their specs, where that attribute builds a
   * mixin by reflection for each command a run models (three for {@code deployments list}, about 10
   * ms of its start). A command with an option of either name keeps its own ({@code deploy
   * --version}), and so do picocli's own commands (completion), which declare both.
   */
  static void addHelpOptions(CommandSpec spec) {
    if (spec.findOption("-h") == null && spec.findOption("--help") == null) {
      spec.addOption(
          flag("Show this help message and exit.", "-h", "--help").usageHelp(true).build());
    }
    if (spec.findOption("-V") == null && spec.findOption("--version") == null) {
      spec.addOption(
          flag("Print version information and exit.", "-V", "--version").versionHelp(true).build());
    }
  }

  /**
   * The subcommands of {@code group} that {@code args} can reach. Picocli takes a word for a
   * subcommand only when it is exactly a subcommand's name, so modelling the named ones parses
   * every command line as the whole tree would. All of them for help (which lists them), an
   * {@code @file} (whose words are not known yet), and a group named without a subcommand that
   * cannot run by itself (it prints its usage or an error); none for one that can ({@code
   * rollback}).
   */
  private static List<Class<?>> reachable(CommandGroup group, String[] args) {
    List<Class<?>> all = group.subcommands();
    if (args == null || wantsHelpOrFile(args)) {
      return all;
    }
    List<String> words = Arrays.asList(args);
    List<Class<?>> named = new ArrayList<>();
    for (Class<?> type : all) {
      if (words.contains(nameOf(type))) {
        named.add(type);
      }
    }
    return named.isEmpty() && !(group instanceof BaseCommand) ? all : named;
  }

  /** {@code --help}, a cluster of short options with {@code -h}, or an {@code @file}. */
  static boolean wantsHelpOrFile(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      boolean shortOptions = arg.startsWith("-") && !arg.startsWith("--");
      if (arg.equals("--help") || arg.startsWith("@") || (shortOptions && arg.indexOf('h') > 0)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code args} are exactly {@code --version} or {@code -V}: a run that only prints. */
  static boolean asksOnlyForVersion(String[] args) {
    return args.length == 1 && onlyVersion(args);
  }

  private static boolean onlyVersion(String[] args) {
    if (args.length == 0) {
      return false;
    }
    for (String arg : args) {
      if (!arg.equals("--version") && !arg.equals("-V")) {
        return false;
      }
    }
    return true;
  }

  /** The first argument, when it is a plain word (not an option, an @file or "--"). */
  private static String firstWord(String[] args) {
    if (args.length == 0) {
      return null;
    }
    String first = args[0];
    return first.isEmpty() || first.startsWith("-") || first.startsWith("@") ? null : first;
  }

  private static String nameOf(Class<?> type) {
    Command command = type.getAnnotation(Command.class);
    return command == null ? "" : command.name();
  }

  /** Used by {@link App}: the factory that hands each command its context. */
  static CommandLine create(IFactory factory, String[] args) {
    CommandLine root = new CommandLine(new RootCommand(), factory);
    register(root, args);
    return root;
  }
}
