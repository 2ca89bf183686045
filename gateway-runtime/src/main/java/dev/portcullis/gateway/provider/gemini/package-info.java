/**
 * Google Gemini (AI Studio API) as an upstream.
 *
 * <p>{@link dev.portcullis.gateway.provider.gemini.GeminiProvider} builds URLs ({@code
 * models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse}, {@code :embedContent},
 * {@code :batchEmbedContents}) and sends the key in {@code x-goog-api-key}. {@link
 * dev.portcullis.gateway.provider.gemini.OpenAiToGeminiTranslator} maps OpenAI bodies both ways;
 * its mappers are split per part (request, response, stream, error) over {@code
 * OpenAiGeminiVocabulary}. Anthropic clients reach Gemini through {@link
 * dev.portcullis.gateway.provider.gemini.AnthropicToGeminiTranslator}, which chains the Anthropic →
 * OpenAI translator with the OpenAI → Gemini one: OpenAI is the hub format, so each mapping is
 * written once.
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li>Tool schemas and {@code response_format} schemas are reduced to the OpenAPI subset Gemini
 *       accepts ({@code GeminiSchemaSanitizer}); unknown keywords are dropped, local {@code $ref}s
 *       inlined, {@code ["T","null"]} becomes {@code nullable}.
 *   <li>Gemini pairs function responses with calls by name, so a tool message's name is found from
 *       the assistant tool call with the same id earlier in the conversation.
 *   <li>A function call's {@code thoughtSignature} (newer models refuse the next turn without it)
 *       is carried inside the generated OpenAI tool call id ({@code GeminiToolCallIds}) and put
 *       back on the {@code functionCall} part when the client returns the id.
 *   <li>Streams always end with an OpenAI usage chunk ({@code choices: []}) before {@code [DONE]};
 *       the translator cannot see {@code stream_options}, so the pipeline drops that chunk for
 *       clients that did not ask for usage.
 *   <li>Gemini reports no token counts for embeddings; usage there is zero.
 *   <li>Not mapped: {@code logprobs}, {@code logit_bias}, audio output, token-array inputs, and
 *       non-function tools; requests that need them fail with a message naming the field.
 * </ul>
 */
package dev.portcullis.gateway.provider.gemini;
