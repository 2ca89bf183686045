package dev.portcullis.gateway.fake;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@code capacity} requests, oldest first; older ones are dropped. */
final class RequestLog {
  private final int capacity;
  private final ArrayDeque<RecordedRequest> requests;

  RequestLog(int capacity) {
    this.capacity = capacity;
    this.requests = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  synchronized void add(RecordedRequest request) {
    if (capacity == 0) {
      return;
    }
    if (requests.size() == capacity) {
      requests.removeFirst();
    }
    requests.addLast(request);
  }

  synchronized List<RecordedRequest> all() {
    return List.copyOf(requests);
  }

  synchronized RecordedRequest last() {
    return requests.peekLast();
  }

  synchronized void clear() {
    requests.clear();
  }
}
