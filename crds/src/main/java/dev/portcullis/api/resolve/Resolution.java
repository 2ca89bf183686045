package dev.portcullis.api.resolve;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.Snapshot;
import java.util.List;
import java.util.Map;

/** PLACEHOLDER for the resolver branch's type of the same name; replaced by it at merge. */
public record Resolution(Snapshot snapshot, Map<ResourceRef, List<Problem>> problems) {}
