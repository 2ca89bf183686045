/**
 * Azure OpenAI Service: OpenAI's wire format at {@code
 * {baseUrl}/openai/deployments/{deployment}/{path}?api-version=…} with an {@code api-key} header.
 * The deployment comes from {@code targets[].azure.deployment} (default: the target's model), the
 * API version from {@code azure.apiVersion} (default {@value
 * dev.portcullis.gateway.provider.azure.AzureOpenAiProvider#DEFAULT_API_VERSION}). Bodies pass
 * through unchanged: Azure ignores the body's {@code model}.
 */
package dev.portcullis.gateway.provider.azure;
