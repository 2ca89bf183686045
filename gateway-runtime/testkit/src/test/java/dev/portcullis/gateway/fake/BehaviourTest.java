package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BehaviourTest {

  @Test
  void parsesEveryOption() {
    Behaviour b =
        Behaviour.parse(
            "latency=200ms;ttft=1.5s;tokens-per-second=20;tokens=50;text=hi there;echo=true;"
                + "status=429;retry-after=3;reset=during;reset-after=4;fail-times=2;scenario=s1");

    assertThat(b.latency()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.ttft()).isEqualTo(Duration.ofMillis(1500));
    assertThat(b.tokensPerSecond()).isEqualTo(20.0);
    assertThat(b.tokens()).isEqualTo(50);
    assertThat(b.text()).isEqualTo("hi there");
    assertThat(b.echo()).isTrue();
    assertThat(b.status()).isEqualTo(429);
    assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.reset()).isEqualTo(Behaviour.Reset.DURING);
    assertThat(b.resetAfter()).isEqualTo(4);
    assertThat(b.failTimes()).isEqualTo(2);
    assertThat(b.scenario()).isEqualTo("s1");
  }

  @Test
  void bareNumbersAreMillisecondsExceptRetryAfterWhichIsSeconds() {
    Behaviour b = Behaviour.parse("latency=250;retry-after=2");

    assertThat(b.latency()).isEqualTo(Duration.ofMillis(250));
    assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void blankSpecIsNone() {
    assertThat(Behaviour.parse("")).isEqualTo(Behaviour.none());
    assertThat(Behaviour.parse(null)).isEqualTo(Behaviour.none());
    assertThat(Behaviour.parse(" ; ")).isEqualTo(Behaviour.none());
  }

  @Test
  void toSpecReadsBackToTheSameBehaviour() {
    Behaviour b = Behaviour.parse("status=503;latency=2s;reset=before;tps=12.5");

    assertThat(Behaviour.parse(b.toSpec())).isEqualTo(b);
    assertThat(b.toSpec())
        .isEqualTo("latency=2000ms;tokens-per-second=12.5;status=503;reset=before");
  }

  @Test
  void unknownOptionIsRejectedWithItsName() {
    assertThatThrownBy(() -> Behaviour.parse("latncy=2s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latncy")
        .hasMessageContaining("known: latency");
  }

  @Test
  void malformedValuesAreRejectedWithTheOption() {
    assertThatThrownBy(() -> Behaviour.parse("status=abc"))
        .hasMessageContaining("'status'")
        .hasMessageContaining("abc");
    assertThatThrownBy(() -> Behaviour.parse("status=99")).hasMessageContaining("'status'");
    assertThatThrownBy(() -> Behaviour.parse("latency=-5ms")).hasMessageContaining("'latency'");
    assertThatThrownBy(() -> Behaviour.parse("reset=sometimes")).hasMessageContaining("'reset'");
    assertThatThrownBy(() -> Behaviour.parse("tokens")).hasMessageContaining("no value");
  }

  @Test
  void laterLayersOverrideOnlyTheFieldsTheySet() {
    Behaviour base = Behaviour.parse("latency=1s;tokens=5");
    Behaviour merged = base.overriddenBy(Behaviour.parse("tokens=9;status=500"));

    assertThat(merged).isEqualTo(Behaviour.parse("latency=1s;tokens=9;status=500"));
  }

  @Test
  void singleOptionHeadersWinOverTheBehaviourHeader() {
    Map<String, String> headers =
        Map.of("x-fake-behaviour", "status=503;latency=100ms", "x-fake-status", "429");

    Behaviour b = Behaviour.fromHeaders(headers::get);

    assertThat(b.status()).isEqualTo(429);
    assertThat(b.latency()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void modelNameCarriesOptionsAfterASemicolon() {
    ModelName plain = ModelName.parse("gpt-4o");
    ModelName withOptions = ModelName.parse("gpt-4o;latency=200ms;status=503");

    assertThat(plain).isEqualTo(new ModelName("gpt-4o", Behaviour.none()));
    assertThat(withOptions.name()).isEqualTo("gpt-4o");
    assertThat(withOptions.behaviour()).isEqualTo(Behaviour.parse("latency=200ms;status=503"));
  }

  @Test
  void textKeepsItsSpacesAndOnlyItsSemicolonsAreSeparators() {
    assertThat(Behaviour.parse("text=  a b ").text()).isEqualTo("  a b ");
  }
}
