package dev.devops.local;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.devops.local.LocalPlatform.Options.PublishedAt;
import dev.devops.local.Model.DeployRecord;
import dev.devops.local.Model.EnvFile;
import dev.devops.local.Model.EnvValue;
import dev.devops.local.Model.EnvVarRecord;
import dev.devops.local.Model.LogEntry;
import dev.devops.local.Model.Meta;
import dev.devops.local.Model.SiteRecord;
import dev.devops.local.Store.DeployRequest;
import dev.devops.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Netlify's REST API (the subset deploys and rollbacks use), below {@code /api/v1}. */
final class Api {
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final List<String> ALL_SCOPES =
      List.of("builds", "functions", "runtime", "post-processing");
  private static final List<String> ENV_CONTEXTS =
      List.of(
          "all", "dev", "dev-server", "branch-deploy", "deploy-preview", "production", "branch");
  static final String RAW_CONTENT_TYPE = "application/vnd.bitballoon.v1.raw";
  private static final String LOCAL_DOMAIN = ".localhost";

  /** A bound of ours (Netlify documents none): metadata is a small object of snippet values. */
  static final int METADATA_MAX_BYTES = 256 * 1024;

  interface Handler {
    Reply handle(Call call) throws IOException;
  }

  /**
   * One operation. {@code streamed}: the handler reads the request body itself (uploads), so it is
   * never held in memory whole.
   */
  record Route(
      String method, Pattern pattern, String operationId, Handler handler, boolean streamed) {}

  /** Operations Netlify answers but does not document: off unless the platform is told. */
  private static final List<String> UNDOCUMENTED = List.of("listDeployFiles", "getDeployFile");

  /** listSiteDeploys' {@code state} filter: the spec's enum. */
  private static final List<String> DEPLOY_STATES =
      List.of(
          "new",
          "pending_review",
          "accepted",
          "rejected",
          "enqueued",
          "building",
          "uploading",
          "uploaded",
          "preparing",
          "prepared",
          "processing",
          "processed",
          "ready",
          "error",
          "retrying");

  /** A matched API request; {@code body} is null for a streamed route (read the exchange). */
  record Call(HttpExchange exchange, Matcher match, Map<String, String> query, byte[] body) {
    String param(int group) {
      return Exchanges.decode(match.group(group));
    }

    JsonNode json() {
      if (body.length == 0) {
        return Json.mapper().createObjectNode();
      }
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw ApiException.unprocessable("Request body is not valid JSON");
      }
    }

    Boolean flag(String name) {
      String value = query.get(name);
      if (value == null || value.isEmpty()) {
        return null;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true", "1" -> true;
        case "false", "0" -> false;
        default -> throw ApiException.unprocessable(name + ": must be true or false");
      };
    }

    int integer(String name, int fallback) {
      String value = query.get(name);
      if (value == null || value.isEmpty()) {
        return fallback;
      }
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw ApiException.unprocessable(name + ": must be an integer");
      }
    }
  }

  record Reply(
      int status,
      JsonNode body,
      Map<String, String> headers,
      byte[] raw,
      String rawType,
      String rawBlob) {
    Reply(int status, JsonNode body, Map<String, String> headers, byte[] raw, String rawType) {
      this(status, body, headers, raw, rawType, null);
    }

    static Reply json(int status, JsonNode body) {
      return new Reply(status, body, Map.of(), null, null);
    }

    /** A stored blob too large to hold in memory, streamed from disk. */
    static Reply blob(String sha, String type) {
      return new Reply(200, null, Map.of("ETag", "\"" + sha + "\""), null, type, sha);
    }

    static Reply noContent() {
      return new Reply(204, null, Map.of(), null, null);
    }
  }

  private final Store store;
  private final LocalPlatform platform;
  private final LocalPlatform.Options options;
  private final List<Route> routes = new ArrayList<>();

  /** The last few rendered file listings (see {@link #fileListing}), least recently used out. */
  private final Map<String, FileListing> fileListings =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FileListing> eldest) {
          return size() > 4;
        }
      };

  Api(Store store, LocalPlatform platform, LocalPlatform.Options options) {
    this.store = store;
    this.options = options;
    // Render a deploy's listing as it becomes ready: a rollback's first look at a 50,000-file
    // deploy then costs a copy, not a render in a cold JVM.
    store.onReady(this::fileListing);
    this.platform = platform;
    route("GET", "/user", "getCurrentUser", this::getCurrentUser);
    route("GET", "/accounts", "listAccountsForUser", this::listAccounts);
    route("GET", "/accounts/([^/]+)", "getAccount", this::getAccount);
    route("GET", "/accounts/([^/]+)/env", "getEnvVars", this::getEnvVars);
    route("POST", "/accounts/([^/]+)/env", "createEnvVars", this::createEnvVars);
    route("GET", "/accounts/([^/]+)/env/([^/]+)", "getEnvVar", this::getEnvVar);
    route("PUT", "/accounts/([^/]+)/env/([^/]+)", "updateEnvVar", this::updateEnvVar);
    route("PATCH", "/accounts/([^/]+)/env/([^/]+)", "setEnvVarValue", this::setEnvVarValue);
    route("DELETE", "/accounts/([^/]+)/env/([^/]+)", "deleteEnvVar", this::deleteEnvVar);
    route(
        "DELETE",
        "/accounts/([^/]+)/env/([^/]+)/value/([^/]+)",
        "deleteEnvVarValue",
        this::deleteEnvVarValue);
    route("GET", "/sites", "listSites", this::listSites);
    route("POST", "/sites", "createSite", this::createSite);
    route("GET", "/sites/([^/]+)", "getSite", this::getSite);
    route("DELETE", "/sites/([^/]+)", "deleteSite", this::deleteSite);
    route("GET", "/sites/([^/]+)/env", "getSiteEnvVars", this::getSiteEnvVars);
    route("GET", "/sites/([^/]+)/deploys", "listSiteDeploys", this::listSiteDeploys);
    route("POST", "/sites/([^/]+)/deploys", "createSiteDeploy", this::createSiteDeploy);
    route("GET", "/sites/([^/]+)/deploys/([^/]+)", "getSiteDeploy", this::getSiteDeploy);
    route("PUT", "/sites/([^/]+)/deploys/([^/]+)", "updateSiteDeploy", this::updateSiteDeploy);
    route("DELETE", "/sites/([^/]+)/deploys/([^/]+)", "deleteSiteDeploy", this::deleteSiteDeploy);
    route(
        "POST",
        "/sites/([^/]+)/deploys/([^/]+)/restore",
        "restoreSiteDeploy",
        this::restoreSiteDeploy);
    route("PUT", "/sites/([^/]+)/rollback", "rollbackSiteDeploy", this::rollbackSiteDeploy);
    route("GET", "/sites/([^/]+)/metadata", "getSiteMetadata", this::getSiteMetadata);
    route("PUT", "/sites/([^/]+)/metadata", "updateSiteMetadata", this::updateSiteMetadata);
    route("GET", "/sites/([^/]+)/files", "listSiteFiles", this::listSiteFiles);
    route("GET", "/sites/([^/]+)/files/(.+)", "getSiteFileByPathName", this::getSiteFile);
    route("GET", "/deploys/([^/]+)", "getDeploy", this::getDeploy);
    route("DELETE", "/deploys/([^/]+)", "deleteDeploy", this::deleteDeploy);
    route("POST", "/deploys/([^/]+)/cancel", "cancelSiteDeploy", this::cancelDeploy);
    route("POST", "/deploys/([^/]+)/restore", "restoreDeploy", this::restoreDeploy);
    route("POST", "/deploys/([^/]+)/lock", "lockDeploy", c -> lock(c, true));
    route("POST", "/deploys/([^/]+)/unlock", "unlockDeploy", c -> lock(c, false));
    route("GET", "/deploys/([^/]+)/files", "listDeployFiles", this::listDeployFiles);
    route("GET", "/deploys/([^/]+)/files/(.+)", "getDeployFile", this::getDeployFile);
    streamedRoute("PUT", "/deploys/([^/]+)/files/(.+)", "uploadDeployFile", this::uploadDeployFile);
    streamedRoute(
        "PUT", "/deploys/([^/]+)/functions/([^/]+)", "uploadDeployFunction", this::uploadFunction);
    route("GET", "/deploys/([^/]+)/log", "getDeployLog", this::getDeployLog);
    route("GET", "/([^/]+)/sites", "listSitesForAccount", this::listSitesForAccount);
    route("POST", "/([^/]+)/sites", "createSiteInTeam", this::createSiteInTeam);
  }

  private void route(String method, String pattern, String operationId, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pattern), operationId, handler, false));
  }

  private void streamedRoute(String method, String pattern, String operationId, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pattern), operationId, handler, true));
  }

  /** The route for {@code method} and {@code path} (below the API prefix). */
  Route find(String method, String path) {
    boolean pathKnown = false;
    String lookup = "HEAD".equals(method) ? "GET" : method;
    for (Route route : routes) {
      if (route.pattern.matcher(path).matches()) {
        if (route.method.equals(lookup)) {
          if (!options.undocumentedEndpoints() && UNDOCUMENTED.contains(route.operationId)) {
            throw new ApiException(404, "Not Found"); // as if the route did not exist
          }
          return route;
        }
        pathKnown = true;
      }
    }
    if (pathKnown) {
      throw new ApiException(405, "Method " + method + " not allowed on " + path);
    }
    throw new ApiException(404, "Not Found");
  }

  // ---- rendering ------------------------------------------------------------------------------

  private static ObjectNode object() {
    return Json.mapper().createObjectNode();
  }

  private static ArrayNode array() {
    return Json.mapper().createArrayNode();
  }

  private static void putTime(ObjectNode node, String field, Instant time) {
    if (time != null) {
      node.put(field, time.toString());
    }
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** {@code value}, or JSON null: Netlify sends null for what a site or deploy does not have. */
  private static void putText(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private static void putTimeOrNull(ObjectNode node, String field, Instant time) {
    putText(node, field, time == null ? null : time.toString());
  }

  ObjectNode renderSite(SiteRecord site) {
    synchronized (store) {
      Meta meta = store.meta();
      String url = platform.siteUrl(site.name);
      ObjectNode node = object();
      node.put("id", site.id);
      node.put("site_id", site.id);
      node.put("state", "current");
      node.put("plan", "nf_team_dev");
      node.put("name", site.name);
      node.putNull("custom_domain");
      node.putArray("domain_aliases");
      node.putNull("branch_deploy_custom_domain");
      node.putNull("deploy_preview_custom_domain");
      node.putNull("password");
      node.putNull("notification_email");
      node.put("url", url);
      node.put("ssl_url", url);
      node.put("admin_url", url);
      node.putNull("screenshot_url");
      putTime(node, "created_at", site.createdAt);
      putTime(node, "updated_at", site.updatedAt);
      node.put("user_id", meta.userId);
      node.putNull("session_id");
      node.put("ssl", false);
      node.put("force_ssl", false);
      node.put("managed_dns", false);
      DeployRecord published = store.publishedDeploy(site);
      if (published != null) {
        node.put("deploy_url", deployUrl(published, site));
        node.set("published_deploy", renderDeploy(published));
      } else {
        node.putNull("deploy_url");
        node.putNull("published_deploy");
      }
      node.put("account_id", meta.accountId);
      node.put("account_name", "Local");
      node.put("account_slug", meta.accountSlug);
      node.putNull("git_provider");
      node.putNull("deploy_hook");
      node.putObject("capabilities");
      node.putObject("processing_settings").putObject("html").put("pretty_urls", true);
      node.putObject("build_settings").putObject("env");
      node.put("id_domain", site.id + ".localhost:" + platform.port());
      node.putNull("default_hooks_data");
      node.putNull("build_image");
      node.putNull("prerender");
      node.put("functions_region", "local");
      node.put("prevent_non_git_prod_deploys", false);
      return node;
    }
  }

  /**
   * A deploy's {@code deploy_url}: as on Netlify, its branch's URL when it has a branch (git
   * production deploys carry their branch there), else its own permalink.
   */
  private String deployUrl(DeployRecord deploy, SiteRecord site) {
    return deploy.branch != null
        ? platform.deployUrl(Store.branchSlug(deploy.branch), site.name)
        : platform.deployUrl(deploy.id, site.name);
  }

  ObjectNode renderDeploy(DeployRecord deploy) {
    synchronized (store) {
      SiteRecord site = store.site(deploy.siteId);
      String siteUrl = platform.siteUrl(site.name);
      String permalink = platform.deployUrl(deploy.id, site.name);
      String branchUrl =
          deploy.branch == null
              ? null
              : platform.deployUrl(Store.branchSlug(deploy.branch), site.name);
      ObjectNode node = object();
      node.put("id", deploy.id);
      node.put("site_id", deploy.siteId);
      node.put("user_id", store.meta().userId);
      node.putNull("build_id");
      node.put("state", deploy.state);
      node.put("name", site.name);
      node.put("url", siteUrl);
      node.put("ssl_url", siteUrl);
      node.put("admin_url", siteUrl);
      node.put("deploy_url", deployUrl(deploy, site));
      node.put("deploy_ssl_url", deployUrl(deploy, site));
      node.putNull("screenshot_url");
      node.putNull("review_id");
      node.put("draft", deploy.draft);
      ArrayNode required = node.putArray("required");
      store.requiredFiles(deploy).forEach(required::add);
      ArrayNode requiredFunctions = node.putArray("required_functions");
      store.requiredFunctions(deploy).forEach(requiredFunctions::add);
      node.putArray("required_edge_functions");
      node.putArray("required_server");
      putText(node, "error_message", deploy.errorMessage);
      putText(node, "branch", deploy.branch);
      putText(node, "commit_ref", deploy.commitRef);
      node.putNull("commit_url");
      node.putNull("skipped");
      putTime(node, "created_at", deploy.createdAt);
      putTime(node, "updated_at", deploy.updatedAt);
      putTimeOrNull(
          node,
          "published_at",
          store.publishedAt(deploy, options.publishedAtOnRestore() == PublishedAt.KEEP));
      putText(node, "title", deploy.title);
      node.put("context", deploy.context());
      node.put("locked", deploy.locked);
      node.putNull("review_url");
      putText(node, "framework", deploy.framework);
      putIfSet(node, "framework_version", deploy.frameworkVersion); // not in the spec
      node.putNull("skew_protection_token");
      node.putArray("function_schedules");
      node.put("functions_region", "local");
      node.putArray("functions_region_overrides");
      putIfSet(node, "deploy_source", deploy.deploySource);
      ArrayNode functions = node.putArray("available_functions");
      if ("ready".equals(deploy.state)) {
        for (Map.Entry<String, String> function : deploy.functions.entrySet()) {
          ObjectNode entry = functions.addObject();
          entry.put("n", function.getKey());
          entry.put("d", function.getKey());
          entry.put("id", function.getValue());
          Model.FunctionMeta meta = deploy.functionMeta.get(function.getKey());
          entry.put("r", meta != null && meta.runtime != null ? meta.runtime : "js");
          entry.put("s", store.functions.size(function.getValue()));
        }
      }
      if (deploy.summary != null) {
        node.set("summary", renderSummary(deploy.summary));
      }
      // Netlify's real production deploys: permalink = the deploy's own URL, alias = the site's
      // URL, branch = null. For branch deploys alias and branch are the branch's URL (no real
      // sample found; see docs/local-platform.md).
      ObjectNode links = node.putObject("links");
      links.put("permalink", permalink);
      if (deploy.production()) {
        links.put("alias", siteUrl);
        links.putNull("branch");
      } else {
        putText(links, "alias", branchUrl);
        putText(links, "branch", branchUrl);
      }
      return node;
    }
  }

  private static ObjectNode renderSummary(Model.Summary summary) {
    ObjectNode node = object();
    node.put("status", summary.status);
    ArrayNode messages = node.putArray("messages");
    for (Model.SummaryMessage message : summary.messages) {
      ObjectNode entry = messages.addObject();
      entry.put("type", message.type);
      entry.put("title", message.title);
      entry.put("description", message.description);
      entry.put("details", message.details);
    }
    return node;
  }

  private ObjectNode renderFile(String path, String sha) {
    ObjectNode node = object();
    node.put("id", path);
    node.put("path", path);
    node.put("sha", sha);
    node.put("mime_type", MimeTypes.bare(path));
    node.put("size", store.blobs.size(sha));
    return node;
  }

  private ArrayNode renderFiles(DeployRecord deploy) {
    ArrayNode result = array();
    synchronized (store) {
      new java.util.TreeMap<>(deploy.files)
          .forEach((path, sha) -> result.add(renderFile(path, sha)));
    }
    return result;
  }

  private ObjectNode renderEnvVar(EnvVarRecord var) {
    ObjectNode node = object();
    node.put("key", var.key);
    ArrayNode scopes = node.putArray("scopes");
    var.scopes.forEach(scopes::add);
    ArrayNode values = node.putArray("values");
    for (EnvValue value : var.values) {
      ObjectNode v = values.addObject();
      v.put("id", value.id);
      v.put("value", value.value);
      v.put("context", value.context);
      putIfSet(v, "context_parameter", value.contextParameter);
    }
    node.put("is_secret", var.isSecret);
    putTime(node, "updated_at", var.updatedAt);
    ObjectNode by = node.putObject("updated_by");
    by.put("id", store.meta().userId);
    by.put("full_name", "Local User");
    by.put("email", "local@localhost");
    return node;
  }

  /**
   * The site a path (or {@code site_id} query) names: by id or, as Netlify documents ("you can
   * either use the id of a site ... or the domain of the site"), by its domain, here {@code
   * NAME.localhost}.
   */
  private SiteRecord site(String key) {
    SiteRecord site = store.siteById(key);
    String host = key.toLowerCase(Locale.ROOT);
    if (site == null && host.endsWith(LOCAL_DOMAIN)) {
      site = store.siteByName(host.substring(0, host.length() - LOCAL_DOMAIN.length()));
    }
    if (site == null) {
      throw ApiException.notFound("Site");
    }
    return site;
  }

  // ---- user and accounts ----------------------------------------------------------------------

  private Reply getCurrentUser(Call call) {
    Meta meta = store.meta();
    ObjectNode node = object();
    node.put("id", meta.userId);
    node.put("uid", meta.userId);
    node.put("full_name", "Local User");
    node.put("email", "local@localhost");
    node.put("site_count", store.sites().size());
    putTime(node, "created_at", meta.createdAt);
    node.putArray("login_providers");
    return Reply.json(200, node);
  }

  private ObjectNode renderAccount() {
    Meta meta = store.meta();
    ObjectNode node = object();
    node.put("id", meta.accountId);
    node.put("name", "Local");
    node.put("slug", meta.accountSlug);
    node.put("type", "personal");
    node.put("type_name", "Starter");
    node.putObject("capabilities");
    node.put("billing_name", "Local User");
    node.put("billing_email", "local@localhost");
    node.putArray("roles_allowed").add("Owner");
    putTime(node, "created_at", meta.createdAt);
    putTime(node, "updated_at", meta.createdAt);
    return node;
  }

  private Reply listAccounts(Call call) {
    ArrayNode result = array();
    result.add(renderAccount());
    return Reply.json(200, result);
  }

  private Reply getAccount(Call call) {
    requireAccount(call.param(1));
    return Reply.json(200, renderAccount());
  }

  private void requireAccount(String idOrSlug) {
    Meta meta = store.meta();
    if (!idOrSlug.equals(meta.accountId) && !idOrSlug.equals(meta.accountSlug)) {
      throw ApiException.notFound("Account");
    }
  }

  // ---- sites ----------------------------------------------------------------------------------

  private Reply listSites(Call call) {
    String name = call.query().get("name");
    List<SiteRecord> sites = new ArrayList<>(store.sites());
    sites.removeIf(s -> name != null && !name.isEmpty() && !s.name.contains(name));
    sites.sort((a, b) -> b.createdAt.compareTo(a.createdAt));
    return paginate(call, sites, this::renderSite);
  }

  private Reply listSitesForAccount(Call call) {
    requireAccount(call.param(1));
    return listSites(call);
  }

  private Reply createSite(Call call) {
    JsonNode body = call.json();
    if (!body.isObject()) {
      throw ApiException.unprocessable("Request body must be a JSON object");
    }
    String name = body.path("name").isTextual() ? body.path("name").asText() : null;
    SiteRecord site = store.createSite(name);
    return Reply.json(201, renderSite(site));
  }

  private Reply createSiteInTeam(Call call) {
    requireAccount(call.param(1));
    return createSite(call);
  }

  private Reply getSite(Call call) {
    return Reply.json(200, renderSite(site(call.param(1))));
  }

  private Reply deleteSite(Call call) {
    store.deleteSite(site(call.param(1)));
    return Reply.noContent();
  }

  // ---- deploys --------------------------------------------------------------------------------

  private Reply listSiteDeploys(Call call) {
    SiteRecord site = site(call.param(1));
    String stateFilter = call.query().get("state");
    if (stateFilter != null && !stateFilter.isEmpty() && !DEPLOY_STATES.contains(stateFilter)) {
      throw ApiException.unprocessable("state: must be one of " + String.join(", ", DEPLOY_STATES));
    }
    List<DeployRecord> deploys;
    synchronized (store) {
      deploys = store.deploysOf(site);
      Boolean production = call.flag("production");
      Boolean previews = call.flag("deploy-previews");
      Boolean latestPublished = call.flag("latest-published");
      String state = call.query().get("state");
      String branch = call.query().get("branch");
      Predicate<DeployRecord> keep = d -> true;
      if (production != null) {
        keep = keep.and(d -> d.production() == production);
      }
      if (previews != null) {
        keep = keep.and(d -> "deploy-preview".equals(d.context()) == previews);
      }
      if (state != null && !state.isEmpty()) {
        keep = keep.and(d -> state.equals(d.state));
      }
      if (branch != null && !branch.isEmpty()) {
        keep = keep.and(d -> branch.equals(d.branch));
      }
      if (Boolean.TRUE.equals(latestPublished)) {
        String published = site.publishedDeployId();
        keep = keep.and(d -> d.id.equals(published));
      }
      deploys.removeIf(keep.negate());
    }
    return paginate(call, deploys, this::renderDeploy);
  }

  private <T> Reply paginate(
      Call call, List<T> items, java.util.function.Function<T, ObjectNode> render) {
    int perPage = Math.max(1, Math.min(100, call.integer("per_page", 100)));
    int page = Math.max(1, call.integer("page", 1));
    int last = Math.max(1, (items.size() + perPage - 1) / perPage);
    ArrayNode result = array();
    for (int i = (page - 1) * perPage; i < Math.min(items.size(), page * perPage); i++) {
      result.add(render.apply(items.get(i)));
    }
    List<String> links = new ArrayList<>();
    if (page < last) {
      links.add("<" + pageUrl(call, page + 1, perPage) + ">; rel=\"next\"");
    }
    if (page > 1) {
      links.add("<" + pageUrl(call, Math.min(page - 1, last), perPage) + ">; rel=\"prev\"");
    }
    links.add("<" + pageUrl(call, last, perPage) + ">; rel=\"last\"");
    return new Reply(200, result, Map.of("Link", String.join(", ", links)), null, null);
  }

  private String pageUrl(Call call, int page, int perPage) {
    StringBuilder url = new StringBuilder(platform.apiUrl());
    url.append(call.exchange().getRequestURI().getRawPath()).append('?');
    for (Map.Entry<String, String> entry : call.query().entrySet()) {
      if (!entry.getKey().equals("page") && !entry.getKey().equals("per_page")) {
        url.append(encode(entry.getKey())).append('=').append(encode(entry.getValue())).append('&');
      }
    }
    return url.append("page=").append(page).append("&per_page=").append(perPage).toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private DeployRequest deployRequest(Call call, boolean create) {
    JsonNode body = call.json();
    if (!body.isObject()) {
      throw ApiException.unprocessable("Request body must be a JSON object");
    }
    String title = call.query().get("title");
    if (title == null) {
      title = text(body, "title");
    }
    String commitRef = call.query().get("commit_ref");
    if (commitRef == null) {
      commitRef = text(body, "commit_ref");
    }
    String branch = call.query().get("branch");
    if (branch == null) {
      branch = text(body, "branch");
    }
    Boolean draft = null;
    if (body.has("draft") && !body.get("draft").isNull()) {
      if (!body.get("draft").isBoolean()) {
        throw ApiException.unprocessable("draft: must be a boolean");
      }
      draft = body.get("draft").asBoolean();
    }
    Map<String, String> files = digest(body, "files", SHA1, true);
    Map<String, String> functions = digest(body, "functions", SHA256, false);
    if (!create && files == null && functions == null) {
      throw ApiException.unprocessable("files: a file digest is required");
    }
    return new DeployRequest(
        title,
        draft,
        branch,
        commitRef,
        text(body, "framework"),
        text(body, "framework_version"),
        text(body, "deploy_source"),
        files,
        functions);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw ApiException.unprocessable(field + ": must be a string");
    }
    return value.asText();
  }

  private static Map<String, String> digest(
      JsonNode body, String field, Pattern sha, boolean paths) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw ApiException.unprocessable(field + ": must be an object");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String value =
          entry.getValue().isTextual() ? entry.getValue().asText().toLowerCase(Locale.ROOT) : "";
      if (!sha.matcher(value).matches()) {
        throw ApiException.unprocessable(
            field
                + ": "
                + entry.getKey()
                + " must map to a "
                + (paths ? "SHA1" : "SHA256")
                + " hex digest");
      }
      String key = paths ? normalizePath(entry.getKey()) : entry.getKey();
      if (!paths && !key.matches("[A-Za-z0-9_.-]+")) {
        throw ApiException.unprocessable(field + ": invalid function name " + key);
      }
      result.put(key, value);
    }
    return result;
  }

  /** A deploy path with exactly one leading slash; refuses empty and {@code ..} segments. */
  static String normalizePath(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    if (p.equals("/") || p.endsWith("/") || p.contains("//") || p.indexOf('\0') >= 0) {
      throw ApiException.unprocessable("Invalid file path: " + path);
    }
    for (String segment : p.substring(1).split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw ApiException.unprocessable("Invalid file path: " + path);
      }
    }
    return p;
  }

  private Reply createSiteDeploy(Call call) {
    SiteRecord site = site(call.param(1));
    String type = call.exchange().getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/zip")) {
      throw ApiException.unprocessable("Zip deploys are not supported locally; send a file digest");
    }
    synchronized (store) {
      DeployRecord deploy = store.createDeploy(site, deployRequest(call, true));
      return Reply.json(200, renderDeploy(deploy));
    }
  }

  private Reply updateSiteDeploy(Call call) {
    SiteRecord site = site(call.param(1));
    synchronized (store) {
      DeployRecord deploy = store.deployOfSite(site, call.param(2));
      store.updateDeploy(deploy, deployRequest(call, false));
      return Reply.json(200, renderDeploy(deploy));
    }
  }

  private Reply getSiteDeploy(Call call) {
    SiteRecord site = site(call.param(1));
    return Reply.json(200, renderDeploy(store.deployOfSite(site, call.param(2))));
  }

  private Reply getDeploy(Call call) {
    return Reply.json(200, renderDeploy(store.deploy(call.param(1))));
  }

  private Reply deleteSiteDeploy(Call call) {
    SiteRecord site = site(call.param(1));
    synchronized (store) {
      store.deleteDeploy(store.deployOfSite(site, call.param(2)));
    }
    return Reply.noContent();
  }

  private Reply deleteDeploy(Call call) {
    store.deleteDeploy(store.deploy(call.param(1)));
    return Reply.noContent();
  }

  private Reply cancelDeploy(Call call) {
    synchronized (store) {
      return Reply.json(201, renderDeploy(store.cancel(store.deploy(call.param(1)))));
    }
  }

  private Reply restoreSiteDeploy(Call call) {
    SiteRecord site = site(call.param(1));
    synchronized (store) {
      DeployRecord deploy = store.deployOfSite(site, call.param(2));
      return Reply.json(201, renderDeploy(store.restore(site, deploy)));
    }
  }

  private Reply restoreDeploy(Call call) {
    synchronized (store) {
      DeployRecord deploy = store.deploy(call.param(1));
      return Reply.json(201, renderDeploy(store.restore(store.site(deploy.siteId), deploy)));
    }
  }

  private Reply rollbackSiteDeploy(Call call) {
    store.rollback(site(call.param(1)));
    return Reply.noContent();
  }

  private Reply lock(Call call, boolean locked) {
    synchronized (store) {
      return Reply.json(200, renderDeploy(store.setLocked(store.deploy(call.param(1)), locked)));
    }
  }

  // ---- files ----------------------------------------------------------------------------------

  private Reply listDeployFiles(Call call) {
    return fileListing(store.deploy(call.param(1)));
  }

  /**
   * A deploy's file listing. A ready deploy's files and their blobs never change, so its rendered
   * listing is kept for the next caller: a 50,000-file listing is 7 MB of JSON, and a rollback asks
   * for the same one several times. It is rendered outside the store's lock, which a listing of
   * that size would otherwise hold for tens of milliseconds.
   */
  private Reply fileListing(DeployRecord deploy) {
    Map<String, String> files;
    synchronized (store) {
      if (!"ready".equals(deploy.state)) {
        return Reply.json(200, renderFiles(deploy));
      }
      FileListing cached = fileListings.get(deploy.id);
      if (cached != null && cached.files() == deploy.files) {
        return cached.reply();
      }
      files = deploy.files; // a ready deploy's map is never changed again
    }
    FileListing rendered = new FileListing(files, renderListing(files));
    synchronized (store) {
      fileListings.put(deploy.id, rendered);
    }
    return rendered.reply();
  }

  /** {@code files} as listDeployFiles answers, sorted by path, streamed straight to bytes. */
  private byte[] renderListing(Map<String, String> files) {
    String[] paths = files.keySet().toArray(new String[0]);
    Arrays.sort(paths);
    ByteArrayOutputStream out = new ByteArrayOutputStream(paths.length * 160 + 2);
    try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      json.writeStartArray();
      for (String path : paths) {
        String sha = files.get(path);
        json.writeStartObject();
        json.writeStringField("id", path);
        json.writeStringField("path", path);
        json.writeStringField("sha", sha);
        json.writeStringField("mime_type", MimeTypes.bare(path));
        json.writeNumberField("size", store.blobs.size(sha));
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The rendered listing of a deploy's files, valid while the deploy holds that same map. */
  private record FileListing(Map<String, String> files, byte[] json) {
    Reply reply() {
      return new Reply(200, null, Map.of(), json, "application/json; charset=utf-8");
    }
  }

  // ---- site metadata --------------------------------------------------------------------------

  private Reply getSiteMetadata(Call call) {
    byte[] json = store.metadata(site(call.param(1)));
    return new Reply(200, null, Map.of(), json, "application/json; charset=utf-8");
  }

  /** Replaces the whole object, as Netlify's docs say ("replace the metadata object"). */
  private Reply updateSiteMetadata(Call call) throws IOException {
    SiteRecord site = site(call.param(1));
    if (call.body().length > METADATA_MAX_BYTES) {
      throw ApiException.unprocessable(
          "metadata: larger than " + METADATA_MAX_BYTES + " bytes of JSON");
    }
    JsonNode metadata = call.json();
    if (!metadata.isObject()) {
      throw ApiException.unprocessable("metadata: must be a JSON object");
    }
    store.replaceMetadata(site, Json.mapper().writeValueAsBytes(metadata));
    return Reply.noContent();
  }

  private Reply listSiteFiles(Call call) {
    SiteRecord site = site(call.param(1));
    DeployRecord published;
    synchronized (store) {
      published = store.publishedDeploy(site);
    }
    return published == null ? Reply.json(200, array()) : fileListing(published);
  }

  private Reply getDeployFile(Call call) {
    return fileReply(
        call, store.deploy(call.param(1)), Exchanges.decodePath(call.match().group(2)));
  }

  private Reply getSiteFile(Call call) {
    SiteRecord site = site(call.param(1));
    DeployRecord published = store.publishedDeploy(site);
    if (published == null) {
      throw ApiException.notFound("File");
    }
    return fileReply(call, published, Exchanges.decodePath(call.match().group(2)));
  }

  private Reply fileReply(Call call, DeployRecord deploy, String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
    String sha;
    synchronized (store) {
      sha = deploy.files.get(path);
      if (sha == null || !store.blobs.has(sha)) {
        throw ApiException.notFound("File");
      }
    }
    String type = call.exchange().getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith(RAW_CONTENT_TYPE) && !store.blobs.isSmall(sha)) {
      return Reply.blob(sha, MimeTypes.of(path));
    }
    if (type != null && type.startsWith(RAW_CONTENT_TYPE)) {
      return new Reply(
          200, null, Map.of("ETag", "\"" + sha + "\""), store.blobs.read(sha), MimeTypes.of(path));
    }
    return Reply.json(200, renderFile(path, sha));
  }

  private Reply uploadDeployFile(Call call) throws IOException {
    String path = normalizePath(Exchanges.decodePath(call.match().group(2)));
    String size = call.query().get("size");
    String length = call.exchange().getRequestHeaders().getFirst("Content-Length");
    if (size != null && !size.isEmpty() && length != null && !size.equals(length)) {
      throw ApiException.unprocessable(
          "size: " + size + " does not match the body's " + length + " bytes");
    }
    long received;
    try (InputStream body = call.exchange().getRequestBody()) {
      received = store.uploadFile(call.param(1), path, body, Exchanges.MAX_UPLOAD_BYTES);
    }
    if (size != null && !size.isEmpty() && !size.equals(String.valueOf(received))) {
      throw ApiException.unprocessable(
          "size: " + size + " does not match the body's " + received + " bytes");
    }
    String sha;
    synchronized (store) {
      sha = store.deploy(call.param(1)).files.get(path);
    }
    return Reply.json(200, renderFile(path, sha));
  }

  private Reply uploadFunction(Call call) throws IOException {
    String name = call.param(2);
    DeployRecord deploy;
    try (InputStream body = call.exchange().getRequestBody()) {
      deploy =
          store.uploadFunction(
              call.param(1),
              name,
              body,
              Exchanges.MAX_UPLOAD_BYTES,
              call.query().get("runtime"),
              call.query().get("invocation_mode"));
    }
    ObjectNode node = object();
    synchronized (store) {
      node.put("id", deploy.functions.get(name));
      node.put("name", name);
      node.put("sha", deploy.functions.get(name));
    }
    node.put("region", "local");
    return Reply.json(200, node);
  }

  private Reply getDeployLog(Call call) {
    ArrayNode result = array();
    synchronized (store) {
      for (LogEntry entry : store.log(store.deploy(call.param(1)))) {
        ObjectNode node = result.addObject();
        putTime(node, "ts", entry.ts);
        node.put("log", entry.log);
        putIfSet(node, "level", entry.level);
        putIfSet(node, "section", entry.section);
      }
    }
    return Reply.json(200, result);
  }

  // ---- environment variables ------------------------------------------------------------------

  private String envScope(Call call) {
    requireAccount(call.param(1));
    String siteId = call.query().get("site_id");
    return siteId == null || siteId.isEmpty() ? Store.ACCOUNT_SCOPE : site(siteId).id;
  }

  private Reply listEnv(String scope, Call call) {
    String context = call.query().get("context_name");
    String scopeFilter = call.query().get("scope");
    ArrayNode result = array();
    synchronized (store) {
      for (EnvVarRecord var : store.env(scope).vars) {
        if (scopeFilter != null
            && !scopeFilter.isEmpty()
            && !var.scopes.contains(scopeFilter.replace('_', '-'))) {
          continue;
        }
        ObjectNode node = renderEnvVar(var);
        if (context != null && !context.isEmpty() && !context.equals("all")) {
          ArrayNode values = (ArrayNode) node.get("values");
          for (Iterator<JsonNode> it = values.iterator(); it.hasNext(); ) {
            String c = it.next().path("context").asText();
            if (!c.equals(context) && !c.equals("all")) {
              it.remove();
            }
          }
        }
        result.add(node);
      }
    }
    return Reply.json(200, result);
  }

  private Reply getEnvVars(Call call) {
    return listEnv(envScope(call), call);
  }

  private Reply getSiteEnvVars(Call call) {
    return listEnv(site(call.param(1)).id, call);
  }

  private EnvVarRecord findVar(String scope, String key) {
    return store.env(scope).vars.stream()
        .filter(v -> v.key.equals(key))
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("Environment variable"));
  }

  private EnvVarRecord parseVar(JsonNode node, String keyFromPath) {
    if (!node.isObject()) {
      throw ApiException.unprocessable("Each environment variable must be a JSON object");
    }
    EnvVarRecord var = new EnvVarRecord();
    var.key = keyFromPath != null ? keyFromPath : text(node, "key");
    if (var.key == null || !ENV_KEY.matcher(var.key).matches()) {
      throw ApiException.unprocessable("key: must be a valid variable name");
    }
    if (node.has("scopes")) {
      for (JsonNode scope : node.get("scopes")) {
        if (!ALL_SCOPES.contains(scope.asText())) {
          throw ApiException.unprocessable("scopes: unknown scope " + scope.asText());
        }
        var.scopes.add(scope.asText());
      }
    } else {
      var.scopes.addAll(ALL_SCOPES);
    }
    for (JsonNode value : node.path("values")) {
      var.values.add(parseValue(value));
    }
    var.isSecret = node.path("is_secret").asBoolean(false);
    var.updatedAt = Ids.now();
    return var;
  }

  private EnvValue parseValue(JsonNode node) {
    if (!node.isObject() || !node.has("value")) {
      throw ApiException.unprocessable("values: each value needs a value and a context");
    }
    EnvValue value = new EnvValue();
    value.id = Ids.newId();
    value.value = node.get("value").asText();
    value.context = node.path("context").asText("all");
    if (!ENV_CONTEXTS.contains(value.context)) {
      throw ApiException.unprocessable("context: unknown context " + value.context);
    }
    value.contextParameter = text(node, "context_parameter");
    return value;
  }

  private Reply createEnvVars(Call call) {
    String scope = envScope(call);
    JsonNode body = call.json();
    if (!body.isArray()) {
      throw ApiException.unprocessable(
          "Request body must be a JSON array of environment variables");
    }
    List<EnvVarRecord> created = new ArrayList<>();
    for (JsonNode node : body) {
      created.add(parseVar(node, null));
    }
    ArrayNode result = array();
    synchronized (store) {
      EnvFile file = store.env(scope);
      for (EnvVarRecord var : created) {
        if (file.vars.stream().anyMatch(v -> v.key.equals(var.key))
            || created.stream().filter(v -> v.key.equals(var.key)).count() > 1) {
          throw ApiException.unprocessable("Environment variable " + var.key + " already exists");
        }
      }
      file.vars.addAll(created);
      store.saveEnv(scope);
      created.forEach(v -> result.add(renderEnvVar(v)));
    }
    return Reply.json(201, result);
  }

  private Reply getEnvVar(Call call) {
    String scope = envScope(call);
    synchronized (store) {
      return Reply.json(200, renderEnvVar(findVar(scope, call.param(2))));
    }
  }

  private Reply updateEnvVar(Call call) {
    String scope = envScope(call);
    EnvVarRecord replacement = parseVar(call.json(), call.param(2));
    synchronized (store) {
      EnvFile file = store.env(scope);
      EnvVarRecord existing = findVar(scope, call.param(2));
      file.vars.set(file.vars.indexOf(existing), replacement);
      store.saveEnv(scope);
      return Reply.json(200, renderEnvVar(replacement));
    }
  }

  private Reply setEnvVarValue(Call call) {
    String scope = envScope(call);
    EnvValue value = parseValue(call.json());
    synchronized (store) {
      EnvVarRecord var = findVar(scope, call.param(2));
      var.values.removeIf(
          v ->
              v.context.equals(value.context)
                  && java.util.Objects.equals(v.contextParameter, value.contextParameter));
      var.values.add(value);
      var.updatedAt = Ids.now();
      store.saveEnv(scope);
      return Reply.json(201, renderEnvVar(var));
    }
  }

  private Reply deleteEnvVar(Call call) {
    String scope = envScope(call);
    synchronized (store) {
      store.env(scope).vars.remove(findVar(scope, call.param(2)));
      store.saveEnv(scope);
    }
    return Reply.noContent();
  }

  private Reply deleteEnvVarValue(Call call) {
    String scope = envScope(call);
    synchronized (store) {
      EnvVarRecord var = findVar(scope, call.param(2));
      if (!var.values.removeIf(v -> v.id.equals(call.param(3)))) {
        throw ApiException.notFound("Environment variable value");
      }
      var.updatedAt = Ids.now();
      store.saveEnv(scope);
    }
    return Reply.noContent();
  }
}
