package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.endpoint.RequestSchema;

/**
 * Reads just enough of the body to route it, in one streaming pass that also proves it well formed
 * JSON: the model, whether it streams, and the types of the endpoint's known top-level fields.
 * Missing required fields fail here, naming the field, and so do counts that would multiply the
 * work beyond {@link WorkLimits}.
 */
final class ParseStage implements Stage {
  @Override
  public Flow apply(RequestContext request) {
    ClientCall call = request.call();
    RequestSchema schema = call.endpoint().schema();
    RequestBody body = RequestBody.scan(call.body(), schema.types());
    for (String field : schema.required()) {
      if (!body.has(field)) {
        throw RequestBody.badRequest("Missing required field '" + field + "'.", field);
      }
    }
    // A prompt request names no model: its template decides where it goes.
    if (schema.required().contains("model") && (body.model() == null || body.model().isBlank())) {
      throw RequestBody.badRequest("Field 'model' must be a non-empty string.", "model");
    }
    WorkLimits.check(body);
    request.body(body);
    return Flow.CONTINUE;
  }
}
