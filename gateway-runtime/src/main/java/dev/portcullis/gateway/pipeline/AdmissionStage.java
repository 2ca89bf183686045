package dev.portcullis.gateway.pipeline;

/**
 * The limits: checks the key's rate limits, concurrency cap and budget and reserves against them
 * before any upstream call (or refuses with 429/503 and rate-limit headers). The reservation is
 * settled by {@link AccountingObserver} when the answer ends, whatever its shape.
 */
final class AdmissionStage implements Stage {
  private final AdmissionControl admissions;

  AdmissionStage(AdmissionControl admissions) {
    this.admissions = admissions;
  }

  @Override
  public Flow apply(RequestContext request) {
    Admission admission = admissions.admit(request);
    request.admission(admission);
    request.observe(new AccountingObserver(request, admission));
    return Flow.CONTINUE;
  }
}
