package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFilter;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Page;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a site's production history from the API, and resolves what people type for a deploy (an id
 * or a version label) to the deploy itself.
 */
public final class SiteHistory {
  /** Most production deploys a full read takes: 20 pages of 100. */
  public static final int MAX_PAGES = 20;

  private final EngineContext ctx;

  SiteHistory(EngineContext ctx) {
    this.ctx = ctx;
  }

  /** A history and whether the platform has older deploys than it holds. */
  public record Page(DeployHistory history, boolean hasMore) {}

  /**
   * The site and the newest production deploys: one API page sized for {@code targets} rollback
   * targets plus the live deploy. The two requests run side by side.
   */
  public Page recent(int targets) {
    NetlifyClient api = ctx.client();
    int perPage = Math.min(100, targets + 1);
    ctx.shared().prefetch();
    CompletableFuture<DeploymentRecords> local = CompletableFuture.supplyAsync(ctx::localRecords);
    CompletableFuture<dev.devops.netlify.Page<Deploy>> deploys =
        CompletableFuture.supplyAsync(
            () -> api.listSiteDeploys(ctx.siteId(), DeployFilter.PRODUCTION, 1, perPage));
    Site site = api.getSite(ctx.siteId());
    dev.devops.netlify.Page<Deploy> page = Futures.join(deploys);
    return new Page(of(site, page.items(), Futures.join(local)), page.hasNext());
  }

  /** The site and every production deploy, up to {@link #MAX_PAGES} pages. */
  public Page all() {
    ctx.shared().prefetch();
    Site site = ctx.client().getSite(ctx.siteId());
    List<Deploy> deploys = new ArrayList<>();
    boolean hasMore = false;
    for (int page = 1; page <= MAX_PAGES; page++) {
      dev.devops.netlify.Page<Deploy> result =
          ctx.client().listSiteDeploys(ctx.siteId(), DeployFilter.PRODUCTION, page, 100);
      deploys.addAll(result.items());
      hasMore = result.hasNext();
      if (!hasMore) {
        break;
      }
    }
    return new Page(of(site, deploys), hasMore);
  }

  /** A history of {@code site} from {@code deploys}, labelled with the project's records. */
  public DeployHistory of(Site site, List<Deploy> deploys) {
    return DeployHistory.of(site, deploys, ctx.records(), ctx.clock().instant());
  }

  /** Like {@link #of(Site, List)}, with this machine's records already read. */
  private DeployHistory of(Site site, List<Deploy> deploys, DeploymentRecords local) {
    return DeployHistory.of(
        site, deploys, local.with(ctx.shared().overlay()), ctx.clock().instant());
  }

  /**
   * The deploy that {@code idOrVersion} names, in {@code history} or, failing that, by id through
   * the API. It must belong to this site.
   *
   * @throws RollbackException NOT_FOUND when no deploy has that id or label, AMBIGUOUS_TARGET when
   *     a label names several
   */
  public Deploy resolve(DeployHistory history, String idOrVersion) {
    String wanted = checked(idOrVersion);
    var entry = history.find(wanted);
    if (entry.isPresent()) {
      return entry.get().deploy();
    }
    if (!RollbackPlanner.looksLikeId(wanted)) {
      throw notFound(wanted);
    }
    Deploy deploy;
    try {
      deploy = ctx.client().getDeploy(wanted);
    } catch (NetlifyException e) {
      if (e.isNotFound()) {
        throw notFound(wanted);
      }
      throw e;
    }
    if (deploy.siteId() != null && !deploy.siteId().equals(history.site().id())) {
      throw new RollbackException(
          RollbackException.Kind.NOT_FOUND,
          "Deploy " + wanted + " belongs to another site.",
          wanted,
          null);
    }
    return deploy;
  }

  /** Like {@link #resolve(DeployHistory, String)}, reading a recent page of history first. */
  public Deploy resolve(String idOrVersion) {
    Page page = recent(20);
    try {
      return resolve(page.history(), idOrVersion);
    } catch (RollbackException e) {
      if (e.kind() != RollbackException.Kind.NOT_FOUND || !page.hasMore()) {
        throw e;
      }
      return resolve(all().history(), idOrVersion); // an older label
    }
  }

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,252}");

  /** An id or version label, trimmed; anything else is refused before it reaches a URL. */
  static String checked(String idOrVersion) {
    String wanted = idOrVersion == null ? "" : idOrVersion.trim();
    if (!NAME.matcher(wanted).matches() || wanted.contains("..")) {
      String shown = wanted.replaceAll("\\p{Cntrl}", "?");
      throw new dev.devops.netlify.InvalidInputException(
          "Invalid id '"
              + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown)
              + "': deploy ids and version labels are letters, digits, '.', '_', '+' and '-'.");
    }
    return wanted;
  }

  static RollbackException notFound(String wanted) {
    return new RollbackException(
        RollbackException.Kind.NOT_FOUND,
        "No deploy with version or id '"
            + wanted
            + "': list them with 'devops deployments list --all'.",
        wanted,
        null);
  }
}
