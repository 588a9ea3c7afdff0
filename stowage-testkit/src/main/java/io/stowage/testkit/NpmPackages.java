package io.stowage.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages tests run as real programs (Azurite, tus-js-client), installed on first use under
 * {@code ~/.cache/stowage/<package>-<version>} and kept there for later runs. Test JVMs run side by side (the
 * build forks more than one), so an install holds a file lock: the second JVM waits for the first's install
 * and then finds it done, instead of running npm into the same folder at the same time.
 */
public final class NpmPackages {

    private NpmPackages() {
    }

    /**
     * The folder {@code npm install <name>@<version>} installed into, installing it when {@code installed}
     * (a file inside that folder, proving the install finished) is not there yet.
     *
     * @param why what needs the package, for the message when Node.js or npm is missing
     * @throws IllegalStateException when npm is missing or the install fails: the tests fail, never skip
     */
    public static Path install(String name, String version, Path installed, String why)
            throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "stowage", name + "-" + version);
        Path proof = home.resolve(installed);
        if (Files.isRegularFile(proof)) {
            return home;
        }
        Files.createDirectories(home);
        try (FileChannel lockFile = FileChannel.open(home.resolve(".install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (!Files.isRegularFile(proof)) {
                run(name, version, home, why);
            }
        }
        if (!Files.isRegularFile(proof)) {
            throw new IllegalStateException("npm installed " + name + "@" + version + " but " + proof + " is missing");
        }
        return home;
    }

    private static void run(String name, String version, Path home, String why)
            throws IOException, InterruptedException {
        Path log = home.resolve("npm-install.log");
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund",
                    "--loglevel=error", name + "@" + version).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(why + " need Node.js and npm on the PATH to install " + name + " "
                    + version + ": " + e.getMessage(), e);
        }
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + name + "@" + version + " failed: "
                    + Files.readString(log));
        }
    }
}
