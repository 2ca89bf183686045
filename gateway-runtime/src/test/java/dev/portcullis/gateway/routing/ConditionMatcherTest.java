package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.portcullis.gateway.http.GatewayException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionMatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final RequestAttributes REQUEST =
      new RequestAttributes(
          Map.of(
              "x-portcullis-metadata", "{\"tier\":\"pro\",\"user.id\":\"u-7\",\"score\":42}",
              "x-team", "search",
              "x-priority", "5"),
          () ->
              json(
                  "{\"model\":\"chat\",\"stream\":true,\"max_tokens\":800,"
                      + "\"stream_options\":{\"include_usage\":true}}"));

  private static boolean matches(String when) {
    return ConditionMatcher.matches(json(when), REQUEST);
  }

  @Test
  void eqComparesMetadataHeadersAndParams() {
    assertThat(matches("{\"metadata.tier\":{\"eq\":\"pro\"}}")).isTrue();
    assertThat(matches("{\"headers.x-team\":{\"eq\":\"search\"}}")).isTrue();
    assertThat(matches("{\"params.stream\":{\"eq\":true}}")).isTrue();
    assertThat(matches("{\"params.model\":{\"eq\":\"other\"}}")).isFalse();
  }

  @Test
  void metadataKeysMayContainDots() {
    assertThat(matches("{\"metadata.user.id\":{\"eq\":\"u-7\"}}")).isTrue();
  }

  @Test
  void paramsPathsReachIntoNestedObjects() {
    assertThat(matches("{\"params.stream_options.include_usage\":{\"eq\":true}}")).isTrue();
  }

  @Test
  void numbersCompareNumericallyEvenInHeaders() {
    assertThat(matches("{\"headers.x-priority\":{\"eq\":5}}")).isTrue();
    assertThat(matches("{\"headers.x-priority\":{\"gt\":4,\"lte\":5}}")).isTrue();
    assertThat(matches("{\"params.max_tokens\":{\"gte\":1000}}")).isFalse();
    assertThat(matches("{\"params.max_tokens\":{\"lt\":1000}}")).isTrue();
    assertThat(matches("{\"metadata.score\":{\"gt\":41.5}}")).isTrue();
  }

  @Test
  void orderingNeverMatchesText() {
    assertThat(matches("{\"headers.x-team\":{\"lt\":10}}")).isFalse();
  }

  @Test
  void inAndNinTestMembership() {
    assertThat(matches("{\"metadata.tier\":{\"in\":[\"pro\",\"enterprise\"]}}")).isTrue();
    assertThat(matches("{\"metadata.tier\":{\"nin\":[\"pro\"]}}")).isFalse();
    assertThat(matches("{\"metadata.tier\":{\"nin\":[\"free\"]}}")).isTrue();
  }

  @Test
  void neIsTrueForDifferentValues() {
    assertThat(matches("{\"metadata.tier\":{\"ne\":\"free\"}}")).isTrue();
    assertThat(matches("{\"metadata.tier\":{\"ne\":\"pro\"}}")).isFalse();
  }

  @Test
  void regexSearchesTheValue() {
    assertThat(matches("{\"params.model\":{\"regex\":\"^ch\"}}")).isTrue();
    assertThat(matches("{\"params.model\":{\"regex\":\"^gpt\"}}")).isFalse();
  }

  @Test
  void regexMatchesInLinearTimeSoACatastrophicPatternCannotStallTheGateway() {
    // With a backtracking engine, (a+)+$ against "aaa…ab" takes time exponential in the length.
    String value = "a".repeat(30_000) + "b";
    RequestAttributes request =
        new RequestAttributes(Map.of("x-tag", value), MissingNode::getInstance);
    JsonNode when = json("{\"headers.x-tag\":{\"regex\":\"(a+)+$\"}}");

    // About 50 ms once warm; the bound leaves room for a cold JIT on a loaded machine, and is
    // still far below what backtracking would take (years, at this length).
    boolean matched =
        assertTimeoutPreemptively(
            Duration.ofSeconds(3), () -> ConditionMatcher.matches(when, request));

    assertThat(matched).isFalse();
  }

  @Test
  void regexUsesRe2Syntax() {
    // A Python-style named group: RE2 reads it, java.util.regex refuses it.
    assertThat(matches("{\"params.model\":{\"regex\":\"^(?P<family>ch)at$\"}}")).isTrue();
  }

  @Test
  void absentAttributesSatisfyOnlyNegations() {
    assertThat(matches("{\"metadata.region\":{\"exists\":false}}")).isTrue();
    assertThat(matches("{\"metadata.region\":{\"exists\":true}}")).isFalse();
    assertThat(matches("{\"metadata.region\":{\"eq\":\"eu\"}}")).isFalse();
    assertThat(matches("{\"metadata.region\":{\"ne\":\"eu\"}}")).isTrue();
    assertThat(matches("{\"metadata.region\":{\"nin\":[\"eu\"]}}")).isTrue();
    assertThat(matches("{\"headers.x-missing\":{\"regex\":\".*\"}}")).isFalse();
  }

  @Test
  void allAttributesOfAMatcherMustHold() {
    assertThat(matches("{\"metadata.tier\":{\"eq\":\"pro\"},\"params.stream\":{\"eq\":false}}"))
        .isFalse();
  }

  @Test
  void andAndOrCombineMatchers() {
    assertThat(
            matches(
                "{\"or\":[{\"metadata.tier\":{\"eq\":\"free\"}},"
                    + "{\"headers.x-team\":{\"eq\":\"search\"}}]}"))
        .isTrue();
    assertThat(
            matches(
                "{\"and\":[{\"metadata.tier\":{\"eq\":\"pro\"}},"
                    + "{\"headers.x-team\":{\"eq\":\"ads\"}}]}"))
        .isFalse();
  }

  @Test
  void metadataThatIsNotAJsonObjectIsTheCallersError() {
    RequestAttributes bad =
        new RequestAttributes(Map.of("x-portcullis-metadata", "[1,2]"), () -> json("{}"));
    assertThatThrownBy(
            () -> ConditionMatcher.matches(json("{\"metadata.tier\":{\"eq\":\"pro\"}}"), bad))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("x-portcullis-metadata");
  }
}
