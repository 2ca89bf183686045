package dev.portcullis.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gateway's counts are jtokkit's own o200k_base counts. */
class LocalTokenCounterTest {
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private final LocalTokenCounter counter = new LocalTokenCounter();

  private void assertCountsAsJtokkit(String text) {
    assertThat(counter.count(text))
        .as("tokens of %s", text)
        .isEqualTo(O200K.countTokensOrdinary(text));
  }

  @Test
  void countsAsJtokkitOnRandomTextOfManyScripts() {
    Random random = new Random(42);
    for (int n = 0; n < 5_000; n++) {
      assertCountsAsJtokkit(O200kPiecesTest.mixedText(random, 30));
    }
  }

  @Test
  void countsAsJtokkitOnProseCodeAndLongPieces() {
    assertCountsAsJtokkit(
        "Hello, world! It's 2024: let's count 1234567 tokens.\n\n  fn main() {}\r\n");
    assertCountsAsJtokkit("a".repeat(700) + " " + "9".repeat(50) + " " + "中".repeat(400));
    assertCountsAsJtokkit("x" + " ".repeat(600) + "y" + "\n".repeat(30) + "!?".repeat(300));
    StringBuilder b = new StringBuilder();
    Random random = new Random(3);
    while (b.length() < 16_384) {
      b.append(O200kPiecesTest.mixedText(random, 40));
    }
    assertCountsAsJtokkit(b.toString());
  }

  @Test
  void countsNothingInNothing() {
    assertThat(counter.count(null)).isZero();
    assertThat(counter.count("")).isZero();
    assertThat(LocalTokenCounter.LOWER_BOUND.count("")).isZero();
  }
}
