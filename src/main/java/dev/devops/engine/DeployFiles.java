package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import java.util.List;

/**
 * A deploy's files as far as they can be known. Netlify documents only the published deploy's
 * listing ({@code GET /sites/{id}/files}); the per-deploy listing is undocumented, so nothing may
 * make a rollback depend on it; and a deploy {@code devops deploy} made, or one backed up before,
 * is known from its local manifest.
 */
final class DeployFiles {
  private DeployFiles() {}

  /**
   * A file list and where it came from: {@code site_files}, {@code deploy_files}, {@code local}.
   */
  record Listing(List<DeployFile> files, String source) {}

  /** {@code deploy}'s files from the best source there is, or null when none has them. */
  static Listing find(NetlifyClient client, BackupStore store, Site site, Deploy deploy) {
    boolean published =
        site.publishedDeploy() != null && site.publishedDeploy().id().equals(deploy.id());
    if (published) {
      return new Listing(client.listSiteFiles(site.id(), deploy.id()), "site_files");
    }
    List<DeployFile> listed = listOrNull(client, deploy);
    if (listed != null) {
      return new Listing(listed, "deploy_files");
    }
    if (store != null) {
      var local = store.filesOf(deploy.id());
      if (local.isPresent()) {
        List<DeployFile> files = new java.util.ArrayList<>();
        for (BackupManifest.FileEntry f : local.get().files()) {
          files.add(new DeployFile(f.path(), f.sha(), f.size()));
        }
        return new Listing(files, "local");
      }
    }
    return null;
  }

  /**
   * The files of the site's published deploy {@code deployId} (documented {@code GET
   * /sites/{id}/files}); null when Netlify lists none (404 or empty).
   */
  static List<DeployFile> publishedOrNull(NetlifyClient client, String siteId, String deployId) {
    try {
      List<DeployFile> files = client.listSiteFiles(siteId, deployId);
      return files.isEmpty() ? null : files;
    } catch (NetlifyException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  /** The deploy's file list; null when Netlify does not list it (404 or empty). */
  static List<DeployFile> listOrNull(NetlifyClient client, Deploy deploy) {
    try {
      List<DeployFile> files = client.listDeployFiles(deploy);
      return files.isEmpty() ? null : files;
    } catch (NetlifyException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
  }

  /** The deploy's own permalink (only that deploy is served there), or null. */
  static String permalink(Deploy deploy) {
    return deploy.permalink();
  }
}
