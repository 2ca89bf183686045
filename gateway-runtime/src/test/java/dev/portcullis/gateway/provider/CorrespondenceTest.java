package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CorrespondenceTest {
  private final Correspondence colours =
      Correspondence.named("colour")
          .pair("red", "rot")
          .pair("blue", "blau")
          .leftOnly("crimson", "rot")
          .rightOnly("hellblau", "blue")
          .defaults("red", "blau");

  @Test
  void aPairMapsBothWays() {
    assertThat(colours.toRight("red")).isEqualTo("rot");
    assertThat(colours.toLeft("rot")).isEqualTo("red");
  }

  @Test
  void anAliasMapsOnlyFromItsOwnSide() {
    assertThat(colours.toRight("crimson")).isEqualTo("rot");
    assertThat(colours.toLeft("rot")).isEqualTo("red");
    assertThat(colours.toLeft("hellblau")).isEqualTo("blue");
  }

  @Test
  void unknownAndAbsentTermsGetTheDefaults() {
    assertThat(colours.toRight("green")).isEqualTo("blau");
    assertThat(colours.toRight(null)).isEqualTo("blau");
    assertThat(colours.toLeft("grün")).isEqualTo("red");
    assertThat(colours.toLeft(null)).isEqualTo("red");
  }

  @Test
  void knowsTellsAliasesAndPairsFromUnknownTerms() {
    assertThat(colours.knowsLeft("crimson")).isTrue();
    assertThat(colours.knowsLeft("green")).isFalse();
    assertThat(colours.knowsRight("hellblau")).isTrue();
    assertThat(colours.knowsRight(null)).isFalse();
  }

  @Test
  void aTermListedTwiceOnOneSideIsRefused() {
    assertThatThrownBy(() -> Correspondence.named("x").pair("a", "b").pair("a", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' twice");
  }

  @Test
  void anAliasMustLandOnATermOfAPair() {
    assertThatThrownBy(() -> Correspondence.named("x").pair("a", "b").leftOnly("a2", "c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'c'");
  }
}
