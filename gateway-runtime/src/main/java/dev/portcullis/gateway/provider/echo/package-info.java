/**
 * The built-in {@code echo} upstream: OpenAI's wire format answered in-process, for quickstarts,
 * demos and tests of the whole gateway without a model or a key.
 *
 * <p>Behaviour, so applications can rely on it:
 *
 * <ul>
 *   <li><b>Chat</b>: the assistant says {@code "Echo: " + the last user message's text} (text parts
 *       joined by a space). After a tool result it says {@code "Echo: " + the result}, so tool
 *       loops end. {@code max_tokens} / {@code max_completion_tokens} cut the answer with {@code
 *       finish_reason: "length"}; {@code n} repeats the choice.
 *   <li><b>Tool calls</b>: when the request declares tools and the last message is a user message
 *       containing {@code call <tool name>} (optionally followed by a JSON object of arguments,
 *       e.g. {@code call get_weather {"city":"Paris"}}), the answer is that tool call with {@code
 *       finish_reason: "tool_calls"}. {@code tool_choice: "none"} suppresses it; {@code "required"}
 *       calls the named tool or else the first one; a named function is always called.
 *   <li><b>Streaming</b> ({@code "stream": true}): a real SSE byte stream as OpenAI sends it — a
 *       role delta, the content a word per chunk (or the tool call's id and name, then its
 *       arguments in two pieces), a finish chunk, a usage chunk when {@code
 *       stream_options.include_usage} is set, then {@code data: [DONE]}.
 *   <li><b>Completions</b>: one {@code text_completion} choice per prompt, {@code "Echo: " +
 *       prompt}, streamed the same way.
 *   <li><b>Embeddings</b>: a unit vector per input from SHA-256 of the input text, dimension 8 or
 *       {@code dimensions}; the same text always gets the same vector. {@code encoding_format:
 *       "base64"} is honoured.
 *   <li><b>Usage</b> is estimated, not tokenized: one token per four characters (rounded up), plus
 *       three tokens of framing per chat message and three for the reply, as OpenAI counts chat
 *       prompts.
 *   <li><b>System and developer messages</b> are accepted anywhere in the conversation, as OpenAI
 *       accepts them (Claude Code, through the Anthropic translation, sends some mid-conversation);
 *       they never change the answer.
 *   <li>Bodies the real API would refuse (not JSON, no {@code messages}) get a 400 in OpenAI's
 *       error format.
 * </ul>
 */
package dev.portcullis.gateway.provider.echo;
