package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GeminiSchemaSanitizerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }

  @Test
  void dropsKeywordsGeminiRejectsAtEveryDepth() throws Exception {
    JsonNode clean =
        GeminiSchemaSanitizer.sanitize(
            json(
                """
                {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","type":"object",
                 "additionalProperties":false,
                 "properties":{"tags":{"type":"array","uniqueItems":true,
                   "items":{"type":"object","additionalProperties":false,
                            "properties":{"k":{"type":"string"}}}}}}
                """));

    assertThat(clean)
        .isEqualTo(
            json(
                """
                {"type":"object","properties":{"tags":{"type":"array",
                  "items":{"type":"object","properties":{"k":{"type":"string"}}}}}}
                """));
  }

  @Test
  void nullableTypeUnionsBecomeNullable() throws Exception {
    assertThat(GeminiSchemaSanitizer.sanitize(json("{\"type\":[\"string\",\"null\"]}")))
        .isEqualTo(json("{\"type\":\"string\",\"nullable\":true}"));
  }

  @Test
  void anyOfWithNullKeepsOnlyTheRealVariants() throws Exception {
    assertThat(
            GeminiSchemaSanitizer.sanitize(
                json("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"null\"}]}")))
        .isEqualTo(json("{\"anyOf\":[{\"type\":\"integer\"}]}"));
  }

  @Test
  void localReferencesAreInlined() throws Exception {
    JsonNode clean =
        GeminiSchemaSanitizer.sanitize(
            json(
                """
                {"type":"object","$defs":{"City":{"type":"string","description":"A city"}},
                 "properties":{"from":{"$ref":"#/$defs/City"},
                               "to":{"$ref":"#/$defs/City","description":"Destination"}}}
                """));

    assertThat(clean.at("/properties/from"))
        .isEqualTo(json("{\"type\":\"string\",\"description\":\"A city\"}"));
    assertThat(clean.at("/properties/to/description").asText()).isEqualTo("Destination");
    assertThat(clean.has("$defs")).isFalse();
  }

  @Test
  void recursiveReferencesStopInsteadOfLooping() throws Exception {
    JsonNode clean =
        GeminiSchemaSanitizer.sanitize(
            json(
                """
                {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object",
                  "properties":{"child":{"$ref":"#/$defs/Node"}}}}}
                """));

    assertThat(clean.at("/type").asText()).isEqualTo("object");
  }

  @Test
  void requiredNamesWithoutAPropertyAreDropped() throws Exception {
    JsonNode clean =
        GeminiSchemaSanitizer.sanitize(
            json(
                """
                {"type":"object","properties":{"a":{"type":"string"}},"required":["a","ghost"]}
                """));

    assertThat(clean.get("required")).isEqualTo(json("[\"a\"]"));
  }

  @Test
  void keepsOnlyStringFormatsGeminiKnows() throws Exception {
    assertThat(GeminiSchemaSanitizer.sanitize(json("{\"type\":\"string\",\"format\":\"email\"}")))
        .isEqualTo(json("{\"type\":\"string\"}"));
    assertThat(
            GeminiSchemaSanitizer.sanitize(json("{\"type\":\"string\",\"format\":\"date-time\"}")))
        .isEqualTo(json("{\"type\":\"string\",\"format\":\"date-time\"}"));
  }

  @Test
  void constBecomesASingleValueEnum() throws Exception {
    assertThat(GeminiSchemaSanitizer.sanitize(json("{\"type\":\"string\",\"const\":\"on\"}")))
        .isEqualTo(json("{\"type\":\"string\",\"enum\":[\"on\"]}"));
  }
}
