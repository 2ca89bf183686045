package dev.portcullis.api.validation;

import static dev.portcullis.api.validation.ResourceValidatorTest.fields;
import static dev.portcullis.api.validation.ResourceValidatorTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.Rotation;
import dev.portcullis.api.key.VirtualKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of a VirtualKey, through {@link ResourceValidator#validate}. */
class KeyValidatorTest {
  @ParameterizedTest
  @ValueSource(strings = {"2027-01-01", "2027-13-01T00:00:00Z", "2027-02-30T00:00:00Z", "soon"})
  void reportsAnExpiryThatIsNotAnRfc3339Timestamp(String expiresAt) {
    VirtualKey key = key();
    key.getSpec().setExpiresAt(expiresAt);

    assertThat(ResourceValidator.validate(key))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.expiresAt");
              assertThat(p.message()).contains("2027-01-01T00:00:00Z");
            });
  }

  @Test
  void acceptsAnExpiryWithAnOffset() {
    VirtualKey key = key();
    key.getSpec().setExpiresAt("2027-01-01T09:30:00.5+02:00");

    assertThat(ResourceValidator.validate(key)).isEmpty();
  }

  @Test
  void reportsABudgetThatIsNotMoney() {
    VirtualKey key = key();
    key.getSpec().getBudget().setAmountUsd("100 dollars");

    assertThat(fields(key)).containsExactly("spec.budget.amountUSD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"team-shared/", "/chat", "a/b/c", "Team/chat"})
  void reportsAMalformedRouteReference(String reference) {
    VirtualKey key = key();
    key.getSpec().setRoutes(List.of("chat", reference));

    assertThat(fields(key)).containsExactly("spec.routes[1]");
  }

  @Test
  void reportsTwoCredentialsForOneProvider() {
    VirtualKey key = key();
    List<ProviderCredential> credentials = new ArrayList<>(key.getSpec().getProviderCredentials());
    credentials.add(credentials.get(0));
    key.getSpec().setProviderCredentials(credentials);

    assertThat(fields(key)).containsExactly("spec.providerCredentials[1].provider");
  }

  @Test
  void reportsARotationWithoutAPeriod() {
    VirtualKey key = key();
    key.getSpec().setRotation(new Rotation());

    assertThat(fields(key)).containsExactly("spec.rotation.every");
  }

  @Test
  void reportsAMissingSecretName() {
    VirtualKey key = key();
    key.getSpec().setSecretName(null);

    assertThat(ResourceValidator.validate(key))
        .containsExactly(new Problem("spec.secretName", "required field is missing"));
  }
}
