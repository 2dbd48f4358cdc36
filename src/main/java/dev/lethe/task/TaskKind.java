package dev.lethe.task;

/** What a task does. */
public enum TaskKind {
    DELETION, RETRIEVAL
}
