package dev.devops.cli;

import java.util.List;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;

/**
 * {@code devops}: safe, verified rollbacks for Netlify sites.
 *
 * <p>The top-level commands are listed in {@link #SUBCOMMANDS}, not in the annotation: picocli
 * builds the model of every listed command eagerly (reflection over each class, its options and
 * mixins), which costs about 100 ms per start. {@link #register} adds only the command a run
 * invokes, and all of them where the whole tree is needed (help, completion, a mistyped name). A
 * bare {@code --version} needs no model at all ({@link App#run}).
 */
@Command(
    name = "devops",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Roll a Netlify site back to an earlier deploy in seconds, and prove that it did.")
public final class RootCommand implements Runnable {
  /** Every top-level command, in the order {@code devops --help} lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          InitCommand.class,
          StatusCommand.class,
          LogsCommand.class,
          DeployCommand.class,
          DeploymentsCommand.class,
          RollbackCommand.class,
          BackupCommand.class,
          VerifyCommand.class,
          RecoverCommand.class,
          LocalCommand.class,
          DemoCommand.class,
          GenerateCompletion.class);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

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
   * Adds to {@code root} the top-level commands that running {@code args} can reach: none for a
   * bare {@code --version}, the invoked one when the first word names a command, otherwise all
   * ({@code null} args also means all).
   */
  static void register(CommandLine root, String[] args) {
    if (args != null && onlyVersion(args)) {
      return;
    }
    String word = args == null ? null : firstWord(args);
    if (word != null) {
      for (Class<?> type : SUBCOMMANDS) {
        if (word.equals(nameOf(type)) && !type.equals(GenerateCompletion.class)) {
          root.addSubcommand(type);
          return;
        }
      }
    }
    for (Class<?> type : SUBCOMMANDS) {
      root.addSubcommand(type);
    }
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
