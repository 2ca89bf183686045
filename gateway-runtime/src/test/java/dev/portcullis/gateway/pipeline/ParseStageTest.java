package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import org.junit.jupiter.api.Test;

class ParseStageTest {
  private static RequestContext request(ClientCall call) {
    return new RequestContext(call, new TestingResponder());
  }

  @Test
  void theModelAndStreamFlagAreReadFromTheBody() {
    RequestContext request =
        request(
            PipelineFixture.openAiChat(
                "{'model':'gpt','stream':true,'messages':[{'role':'user','content':'x'}]}"));

    assertThat(new ParseStage().apply(request)).isEqualTo(Stage.Flow.CONTINUE);
    assertThat(request.body().model()).isEqualTo("gpt");
    assertThat(request.body().stream()).isTrue();
  }

  @Test
  void aMissingRequiredFieldOfTheEndpointIsNamed() {
    // Anthropic messages require max_tokens; OpenAI chat does not.
    assertThatThrownBy(
            () ->
                new ParseStage()
                    .apply(
                        request(
                            PipelineFixture.anthropicMessages("{'model':'claude','messages':[]}"))))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().status()).isEqualTo(400);
              assertThat(e.error().param()).isEqualTo("max_tokens");
            });
  }

  @Test
  void aBlankModelIsRefused() {
    assertThatThrownBy(
            () ->
                new ParseStage()
                    .apply(request(PipelineFixture.openAiChat("{'model':' ','messages':[]}"))))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.error().param()).isEqualTo("model"));
  }
}
