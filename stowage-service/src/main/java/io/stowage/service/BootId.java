package io.stowage.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This machine's boot id (Linux: {@code /proc/sys/kernel/random/boot_id}), new at every start of the operating system.
 * Bytes written without a flush survive a crash of this process (they are in the kernel's page cache) but not one of
 * the machine: a catalog row that names the boot id it was written under tells a later reader whether they still can
 * be there (decision 0075). Empty where the system does not tell it.
 */
final class BootId {

    private static final Optional<String> CURRENT = read(Path.of("/proc/sys/kernel/random/boot_id"));

    private BootId() {
    }

    static Optional<String> current() {
        return CURRENT;
    }

    static Optional<String> read(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
