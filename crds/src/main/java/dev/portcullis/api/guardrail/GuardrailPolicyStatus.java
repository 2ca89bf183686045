package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portcullis.api.ResourceStatus;

/** The observed state of a GuardrailPolicy. */
@JsonClassDescription("The observed state of a GuardrailPolicy.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuardrailPolicyStatus extends ResourceStatus {}
