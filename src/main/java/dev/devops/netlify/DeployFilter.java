package dev.devops.netlify;

/**
 * Query filters of listSiteDeploys; null means "not set".
 *
 * @param production only production deploys
 * @param state only deploys in this state (for example {@code ready})
 * @param branch only deploys of this branch
 * @param latestPublished only the latest published deploy
 */
public record DeployFilter(
    Boolean production, String state, String branch, Boolean latestPublished) {
  public static final DeployFilter ALL = new DeployFilter(null, null, null, null);
  public static final DeployFilter PRODUCTION = new DeployFilter(true, null, null, null);
}
