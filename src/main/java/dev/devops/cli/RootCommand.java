package dev.devops.cli;

import static dev.devops.cli.CommandGroup.sub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code devops}: safe, verified rollbacks for Netlify sites.
 *
 * <p>The top-level commands are listed in {@link #SUBCOMMANDS}, and each group's in its {@link
 * CommandGroup#subcommands()}: {@link #register} models only the commands a run can reach, and the
 * whole tree where it is needed (help, completion, a mistyped name). Each command of ours builds
 * its model from code ({@link Model}); a bare {@code --version} needs no model at all ({@link
 * App#run}).
 */
public final class RootCommand implements Runnable, SpecAware, Model.Described {
  /** Every top-level command, in the order {@code devops --help} lists them. */
  static final List<CommandGroup.Sub> SUBCOMMANDS =
      List.of(
          sub("init", InitCommand.class),
          sub("status", StatusCommand.class),
          sub("logs", LogsCommand.class),
          sub("deploy", DeployCommand.class),
          sub("guard", GuardCommand.class),
          sub("deployments", DeploymentsCommand.class),
          sub("rollback", RollbackCommand.class),
          sub("backup", BackupCommand.class),
          sub("verify-deployment", VerifyCommand.class),
          sub("emergency-recover", RecoverCommand.class),
          sub("local", LocalCommand.class),
          sub("demo", DemoCommand.class),
          sub("generate-completion", GenerateCompletion.class));

  private CommandSpec spec;

  @Override
  public void spec(CommandSpec spec) {
    this.spec = spec;
  }

  @Override
  public void describe(CommandSpec spec) {
    spec.name("devops").versionProvider(new VersionProvider());
    Model.description(
        spec, "Roll a Netlify site back to an earlier deploy in seconds, and prove that it did.");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The whole command tree, with picocli's default factory (for tools and tests). */
  public static CommandLine commandLine() {
    return create(CommandLine.defaultFactory(), null);
  }

  /** The root alone, with no subcommand: {@link #register} adds them. */
  static CommandLine root(IFactory factory) {
    return model(new RootCommand(), factory);
  }

  /**
   * Adds to {@code root} the commands that running {@code args} can reach: none for a bare {@code
   * --version}; the invoked one when the first word names a command, and below it only the
   * subcommands the arguments name; otherwise the whole tree ({@code null} args also means all).
   */
  static void register(CommandLine root, String[] args) {
    if (args != null && onlyVersion(args)) {
      return;
    }
    String word = args == null ? null : firstWord(args);
    if (word != null) {
      for (CommandGroup.Sub sub : SUBCOMMANDS) {
        if (word.equals(sub.name()) && !sub.type().equals(GenerateCompletion.class)) {
          add(root, List.of(sub), args);
          return;
        }
      }
    }
    add(root, SUBCOMMANDS, null);
  }

  /** Adds {@code subs} under {@code parent}, each group with the subcommands {@code args} reach. */
  private static void add(CommandLine parent, List<CommandGroup.Sub> subs, String[] args) {
    IFactory factory = parent.getFactory();
    for (CommandGroup.Sub sub : subs) {
      CommandLine added;
      try {
        Object command = factory.create(sub.type());
        // Picocli's completion command (it declares its own -h and -V) is the one model read from
        // its annotations; its -V prints devops's version too, not picocli's.
        if (command instanceof Model.Described) {
          added = model(command, factory);
        } else {
          added = new CommandLine(command, factory);
          added.getCommandSpec().versionProvider(new VersionProvider());
        }
      } catch (Exception e) {
        throw new CommandLine.InitializationException("Cannot create " + sub.name() + ": " + e, e);
      }
      added.getCommandSpec().name(sub.name());
      parent.addSubcommand(sub.name(), added);
      if (added.getCommand() instanceof CommandGroup group) {
        add(added, reachable(group, args), args);
      }
    }
  }

  /**
   * The model of one command of ours, from code: its own {@link Model.Described#describe}, then
   * {@code -h/--help} and {@code -V/--version}, {@code --json} for a {@link JsonOutput}, {@code
   * --debug} for every {@link BaseCommand}, and the model handed to a {@link SpecAware}.
   */
  private static CommandLine model(Object command, IFactory factory) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command, factory);
    ((Model.Described) command).describe(spec);
    addHelpOptions(spec);
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
    return new CommandLine(spec, factory);
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
      if (spec.versionProvider() == null && spec.version().length == 0) {
        spec.versionProvider(new VersionProvider()); // picocli prints a command's own, not devops's
      }
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
  private static List<CommandGroup.Sub> reachable(CommandGroup group, String[] args) {
    List<CommandGroup.Sub> all = group.subcommands();
    if (args == null || wantsHelpOrFile(args)) {
      return all;
    }
    List<String> words = Arrays.asList(args);
    List<CommandGroup.Sub> named = new ArrayList<>();
    for (CommandGroup.Sub sub : all) {
      if (words.contains(sub.name())) {
        named.add(sub);
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

  /** Used by {@link App}: the factory that hands each command its context. */
  static CommandLine create(IFactory factory, String[] args) {
    CommandLine root = root(factory);
    register(root, args);
    return root;
  }
}
