package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import java.util.List;

/**
 * A deploy's files as far as Netlify shows them. The per-deploy file listing is not part of the
 * documented API, so nothing here may make a rollback depend on it.
 */
final class DeployFiles {
  private DeployFiles() {}

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
