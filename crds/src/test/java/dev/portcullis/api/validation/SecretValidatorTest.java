package dev.portcullis.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a Secret, through {@link ResourceValidator#validate}. */
class SecretValidatorTest {
  @Test
  void acceptsBase64Data() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("openai")
            .endMetadata()
            .withData(Map.of("apiKey", "c2stdGVzdA=="))
            .build();

    assertThat(ResourceValidator.validate(secret)).isEmpty();
  }

  @Test
  void reportsDataThatIsNotBase64WithoutShowingTheValue() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("openai")
            .endMetadata()
            .withData(Map.of("apiKey", "sk-live-plain!text"))
            .build();

    List<Problem> problems = ResourceValidator.validate(secret);

    assertThat(problems).extracting(Problem::field).containsExactly("data.apiKey");
    assertThat(problems.toString()).doesNotContain("sk-live");
  }
}
