package dev.devops.cli;

import dev.devops.engine.VerificationResult;
import dev.devops.engine.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devops verify-deployment}: proves a deploy is what the site serves. */
@Command(
    name = "verify-deployment",
    description = "Check that a deploy is published and that the site serves its exact bytes.",
    mixinStandardHelpOptions = true)
public final class VerifyCommand extends EngineCommand {
  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "The deploy expected to be live.")
  String id;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    var settings = settings();
    VerificationResult result =
        new Verifier(client(), settings.verifySample(), settings.healthPaths())
            .verify(config().siteId(), id);
    if (json()) {
      printJson(result);
    } else {
      StringBuilder b =
          new StringBuilder(
              result.ok() ? "✓ Deployment verified\n\n" : "⚠️ Deployment not verified\n\n");
      b.append("URL: ").append(result.url()).append("\n\nVerification:\n");
      RollbackView.verification(b, result);
      say(b.toString().stripTrailing());
    }
    return (result.ok() ? ExitCode.OK : ExitCode.UNVERIFIED).code();
  }
}
