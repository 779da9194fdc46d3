package dev.devops.netlify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SHA1 digests name blobs on disk: only 40 lower-case hex digits pass. */
class Sha1Test {
  @Test
  void onlyFortyLowerCaseHexDigitsAreADigest() {
    String digest = Sha1.hex("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(digest).isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
    assertThat(Sha1.isValid(digest)).isTrue();
    assertThat(Sha1.isValid("0123456789abcdef0123456789abcdef01234567")).isTrue();

    assertThat(Sha1.isValid(null)).isFalse();
    assertThat(Sha1.isValid("")).isFalse();
    assertThat(Sha1.isValid(digest.substring(1))).isFalse();
    assertThat(Sha1.isValid(digest + "0")).isFalse();
    assertThat(Sha1.isValid(digest.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(Sha1.isValid("g" + digest.substring(1))).isFalse();
    assertThat(Sha1.isValid("../" + digest.substring(3))).isFalse();
    assertThat(Sha1.isValid(digest.substring(0, 39) + "/")).isFalse();
    assertThat(Sha1.isValid(digest.substring(0, 39) + ":")).isFalse();
    assertThat(Sha1.isValid(digest.substring(0, 39) + "`")).isFalse();
  }
}
