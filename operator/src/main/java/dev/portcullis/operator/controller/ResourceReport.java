package dev.portcullis.operator.controller;

import dev.portcullis.api.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the status of one resource is made from, as of the newest build and the fleet's
 * acknowledgements. Equal reports give equal status, so a report that did not change needs no
 * reconciliation.
 *
 * @param generation the metadata.generation the build saw
 * @param problems why the resource is left out of the snapshot (empty when it is in), and what went
 *     wrong acting on it (a key Secret the API server refused to write)
 * @param configVersion the snapshot version that first carried the resource as it is now (null when
 *     left out)
 * @param synced connected gateways running a snapshot that carries the resource as it is now
 * @param total connected gateways
 * @param rejections "pod: reason" for each gateway that rejected a snapshot carrying the resource
 *     as it is now and has not applied one since
 * @param record the resource's snapshot record (null when left out)
 * @param notEnforced "pod (lacks capability, ...): reason" for each gateway that runs the resource
 *     as it is now but cannot enforce it (it lacks a capability the resource needs); such a gateway
 *     does not count as synced
 */
public record ResourceReport(
    long generation,
    List<Problem> problems,
    String configVersion,
    int synced,
    int total,
    List<String> rejections,
    Object record,
    List<String> notEnforced) {

  public ResourceReport {
    problems = List.copyOf(problems);
    rejections = List.copyOf(rejections);
    notEnforced = List.copyOf(notEnforced);
  }

  /** A report where every gateway that runs the resource enforces it. */
  public ResourceReport(
      long generation,
      List<Problem> problems,
      String configVersion,
      int synced,
      int total,
      List<String> rejections,
      Object record) {
    this(generation, problems, configVersion, synced, total, rejections, record, List.of());
  }

  /** This report with {@code first} ahead of the build's problems. */
  public ResourceReport withFirstProblems(List<Problem> first) {
    if (first.isEmpty()) {
      return this;
    }
    List<Problem> all = new ArrayList<>(first);
    all.addAll(problems);
    return new ResourceReport(
        generation, all, configVersion, synced, total, rejections, record, notEnforced);
  }

  public boolean inSnapshot() {
    return record != null;
  }
}
