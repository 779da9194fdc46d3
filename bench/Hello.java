/**
 * The floor of bench/startup.sh: a JVM that starts, prints one line and exits, run with the same
 * flags as bin/devops and a class-data archive of its own.
 */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
