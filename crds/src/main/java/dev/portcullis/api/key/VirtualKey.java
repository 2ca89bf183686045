package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A credential an application holds. The operator mints a random key into the Secret {@code
 * spec.secretName}; gateways only ever see its hash.
 */
@JsonClassDescription(
    "VirtualKey: a credential an application holds to call the Portcullis gateway. The operator mints the key into a Secret.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group(VirtualKey.GROUP)
@Version(VirtualKey.VERSION)
@Kind("VirtualKey")
@Plural("virtualkeys")
@Singular("virtualkey")
@ShortNames("vk")
@Categories("portcullis")
@AdditionalPrinterColumn(
    name = "Secret",
    jsonPath = ".spec.secretName",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Secret holding the key")
@AdditionalPrinterColumn(
    name = "Budget",
    jsonPath = ".spec.budget.amountUSD",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Budget in USD per period")
@AdditionalPrinterColumn(
    name = "Period",
    jsonPath = ".spec.budget.period",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Budget period")
@AdditionalPrinterColumn(
    name = "Spend",
    jsonPath = ".status.usage.spendUSD",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "USD spent in the current period")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether the key is minted and usable")
@AdditionalPrinterColumn(
    name = "KeyID",
    jsonPath = ".status.keyId",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Public id of the current key")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualKey extends CustomResource<VirtualKeySpec, VirtualKeyStatus>
    implements Namespaced {

  public static final String GROUP = "portcullis.dev";
  public static final String VERSION = "v1alpha1";

  /** Annotation whose every new value makes the operator rotate the key at once. */
  public static final String ROTATE_ANNOTATION = "portcullis.dev/rotate";

  /** The data key of the Secret that holds the minted key. */
  public static final String SECRET_DATA_KEY = "apiKey";

  // Overridden only to describe spec and status in the CRD schema (kubectl explain).
  @Override
  @JsonPropertyDescription("The desired state of the VirtualKey.")
  public VirtualKeySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The state of the VirtualKey as observed by the Portcullis operator.")
  public VirtualKeyStatus getStatus() {
    return super.getStatus();
  }
}
