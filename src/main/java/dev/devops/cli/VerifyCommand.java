package dev.devops.cli;

import static dev.devops.cli.Model.option;

import dev.devops.engine.VerificationResult;
import dev.devops.engine.Verifier;
import dev.devops.netlify.Deploy;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops verify-deployment}: proves a deploy is what the site serves. */
public final class VerifyCommand extends EngineCommand implements JsonOutput {
  String id;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Check that a deploy is published and that the site serves its exact bytes.");
    spec.addOption(
        option(String.class, id, v -> id = v, "--id")
            .required(true)
            .paramLabel("ID")
            .description("The deploy expected to be live, id or version.")
            .build());
  }

  @Override
  protected int execute() throws Exception {
    Deploy deploy = engine().history().resolve(id);
    VerificationResult result = Verifier.verifyAndRecord(engine(), deploy.id());
    if (json()) {
      printJson(result);
    } else {
      StringBuilder b =
          new StringBuilder(
              result.ok() ? "✓ Deployment verified\n\n" : "⚠️ Deployment not verified\n\n");
      b.append("URL: ").append(Text.clean(result.url())).append("\n\nVerification:\n");
      RollbackView.verification(b, result);
      report(b.toString().stripTrailing());
    }
    return ExitCode.of(result).code();
  }
}
