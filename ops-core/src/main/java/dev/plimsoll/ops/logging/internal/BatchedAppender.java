package dev.plimsoll.ops.logging.internal;

/**
 * An appender that can hold the events of a batch and write them together: the worker of a {@code
 * PlimsollAsyncAppender} names itself once with {@link #batchedBy}, then signals {@link
 * #endOfBatch} after each batch it appended. Events appended by any other thread are written at
 * once. Not API.
 */
public interface BatchedAppender {

  /**
   * Tells the appender that events appended by {@code worker} may be held until {@code worker}
   * calls {@link #endOfBatch}.
   */
  void batchedBy(Thread worker);

  /** Writes whatever the calling worker's batch left held. */
  void endOfBatch();
}
