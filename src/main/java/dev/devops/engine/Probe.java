package dev.devops.engine;

/** One check the guard runs on every round: the served bytes, a health check, a command. */
interface Probe {
  /** A short stable name: {@code content}, {@code health /healthz}, {@code probe}. */
  String name();

  /** What the check is, for people: {@code GET /healthz → 200, contains "ok", ≤ 500 ms}. */
  String describe();

  /** Runs the check once. Never throws for a failure of the deploy: that is the answer. */
  Outcome run();

  /** One run: whether it passed, and what was seen. */
  record Outcome(boolean ok, String detail) {
    static Outcome pass(String detail) {
      return new Outcome(true, detail);
    }

    static Outcome fail(String detail) {
      return new Outcome(false, detail);
    }
  }
}
