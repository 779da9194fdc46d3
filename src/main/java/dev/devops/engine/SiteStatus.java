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
 * @param lastRollbackHost the machine the last rollback ran on, when the shared record says
 * @param lastRollbackSource where the last rollback was read: {@code local} or {@code shared}
 * @param lease the lease of a rollback running now (on any machine), or null
 * @param sharedProblem why the site's shared record could not be read, or null
 */
public record SiteStatus(
    DeployHistory history,
    boolean autoPublishLocked,
    boolean lockedByRollback,
    RollbackRecord lastRollback,
    String historyProblem,
    String lastRollbackHost,
    String lastRollbackSource,
    SharedState.Lease lease,
    String sharedProblem) {

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
    List<RollbackRecord> local = List.of();
    String problem = null;
    try {
      local =
          new RollbackHistory(ctx.stateDir())
              .all().stream().filter(r -> ctx.siteId().equals(r.siteId())).toList();
    } catch (dev.devops.config.ConfigException e) {
      problem = e.getMessage(); // the site's state still matters more than the local record
    }
    SharedRecord shared = ctx.shared();
    List<SharedRecord.Logged> merged = shared.merged(local);
    SharedRecord.Logged newest = merged.isEmpty() ? null : merged.get(merged.size() - 1);
    RollbackRecord last = newest == null ? null : newest.record();
    SharedState.Lease lease = shared.read().lease();
    if (lease != null
        && (!lease.heldAt(ctx.clock().instant()) || SharedLease.abandoned(lease, shared))) {
      lease = null;
    }
    boolean locked = site.isAutoPublishLocked();
    boolean pinned =
        locked
            && last != null
            && history.current().isPresent()
            && history.current().get().id().equals(last.to().id());
    return new SiteStatus(
        history,
        locked,
        pinned,
        last,
        problem,
        newest == null ? null : newest.host(),
        newest == null ? null : newest.source(),
        lease,
        shared.problem());
  }
}
