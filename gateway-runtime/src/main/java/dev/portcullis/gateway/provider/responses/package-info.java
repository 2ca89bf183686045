/**
 * The OpenAI Responses API in front of chat completions upstreams: request, response, stream and
 * error mappers over one vocabulary ({@code ResponsesChatVocabulary}); see {@code
 * provider/README.md} for what does not translate.
 */
package dev.portcullis.gateway.provider.responses;
