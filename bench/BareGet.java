import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The reference of bench/startup.sh for `devops deployments list --json`: one GET of a
 * listSiteDeploys page with the JDK's HttpURLConnection, read and printed with Jackson, nothing
 * else (no command line, no config, no checks). Usage: BareGet URL, with the token in
 * NETLIFY_AUTH_TOKEN.
 */
public final class BareGet {
  private BareGet() {}

  public static void main(String[] args) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(args[0]).openConnection();
    connection.setRequestProperty("Authorization", "Bearer " + System.getenv("NETLIFY_AUTH_TOKEN"));
    connection.setRequestProperty("Accept", "application/json");
    if (connection.getResponseCode() != 200) {
      System.err.println("GET " + args[0] + " answered " + connection.getResponseCode());
      System.exit(1);
    }
    ObjectMapper mapper = new ObjectMapper();
    JsonNode page;
    try (InputStream body = connection.getInputStream()) {
      page = mapper.readTree(body);
    }
    System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(page));
  }
}
