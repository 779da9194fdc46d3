package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void everyCharacterThatActsOnATerminalIsMadeVisible() {
    assertThat(Printable.clean("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
    assertThat(Printable.clean("\u001b]0;title\u0007")).isEqualTo("\\u001b]0;title\\u0007");
    assertThat(Printable.clean("x\ry\nz\t")).isEqualTo("x\\u000dy\\u000az\\u0009");
    assertThat(Printable.clean("\u009b2J")).as("the one-byte CSI").isEqualTo("\\u009b2J");
    assertThat(Printable.clean("ab\u202edc\u2066e\u200b")).isEqualTo("ab\\u202edc\\u2066e\\u200b");
    assertThat(Printable.clean("line\u2028sep")).isEqualTo("line\\u2028sep");
    assertThat(Printable.clean("tag\uDB40\uDC41"))
        .as("a tag character")
        .isEqualTo("tag\\udb40\\udc41");
    assertThat(Printable.clean("half\uD800")).isEqualTo("half\\ud800");
  }

  @Test
  void printableTextIsKeptAsItIs() {
    String text = "v1.2.3 · Fix: café ⚠️ 🚀 日本語 /a/b.html";
    assertThat(Printable.clean(text)).isSameAs(text);
    assertThat(Printable.clean(null)).isNull();
    assertThat(Printable.clean("x".repeat(100), 10)).isEqualTo("xxxxxxxxxx...");
  }
}
