package dev.plimsoll.example;

import java.time.OffsetDateTime;

/** One task on the board. */
public record Task(long id, String title, boolean done, OffsetDateTime createdAt) {}
