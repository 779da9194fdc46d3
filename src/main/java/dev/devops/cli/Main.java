package dev.devops.cli;

/** Process entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(App.run(CliContext.system(), args));
  }
}
