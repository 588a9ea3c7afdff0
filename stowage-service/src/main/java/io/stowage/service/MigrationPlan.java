package io.stowage.service;

/**
 * What a migration would move now (a dry run): {@code versions} objects of {@code files} files, {@code bytes} in
 * all. Nothing is copied, and no job is recorded.
 */
public record MigrationPlan(String source, String target, long files, long versions, long bytes) {
}
