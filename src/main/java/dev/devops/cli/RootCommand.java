package dev.devops.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine.Command;

/** {@code devops}: safe, verified rollbacks for Netlify sites. */
@Command(
    name = "devops",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Roll a Netlify site back to an earlier deploy in seconds, and prove that it did.",
    subcommands = {
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
      GenerateCompletion.class,
    })
public final class RootCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
