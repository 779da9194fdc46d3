package dev.devops.engine;

import dev.devops.netlify.Site;
import java.util.List;
import java.util.Optional;

/**
 * Where a site stands: its published deploy, whether auto publishing is locked (and whether the
 * last rollback did it), and that rollback. One API call.
 *
 * @param history the site with its published deploy only
 * @param autoPublishLocked new production deploys build but do not go live
 * @param lockedByRollback locked, and the last rollback went to the published deploy
 * @param lastRollback the newest rollback recorded for this site, or null
 * @param historyProblem why the rollback history could not be read, or null
 */
public record SiteStatus(
    DeployHistory history,
    boolean autoPublishLocked,
    boolean lockedByRollback,
    RollbackRecord lastRollback,
    String historyProblem) {

  public Site site() {
    return history.site();
  }

  public Optional<DeployEntry> published() {
    return history.current();
  }

  /** Reads the site now. */
  public static SiteStatus read(EngineContext ctx) {
    Site site = ctx.client().getSite(ctx.siteId());
    DeployHistory history = ctx.history().of(site, List.of());
    RollbackRecord last = null;
    String problem = null;
    try {
      last = new RollbackHistory(ctx.stateDir()).last(ctx.siteId()).orElse(null);
    } catch (dev.devops.config.ConfigException e) {
      problem = e.getMessage(); // the site's state still matters more than the local record
    }
    boolean locked = site.isAutoPublishLocked();
    boolean pinned =
        locked
            && last != null
            && history.current().isPresent()
            && history.current().get().id().equals(last.to().id());
    return new SiteStatus(history, locked, pinned, last, problem);
  }
}
