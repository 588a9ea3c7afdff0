package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.internal.BlobStoreProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The capability table of {@code docs/backends.md} is generated from {@code capabilities()}; this test
 * fails when the page and the code disagree. To refresh the page after changing a backend, run this
 * test with {@code -Dstowage.docs.write=true} (or paste {@code stowage capabilities --markdown}).
 */
class BackendsPageTest {

    private static final Path PAGE = Path.of("..", "docs", "backends.md");

    @Test
    void theBackendsPageShowsExactlyWhatEveryBackendOnTheClasspathReports() throws IOException {
        String generated = BackendsPage.markdown(BlobStoreProviders.load());
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("stowage.docs.write")) {
            page = BackendsPage.replaceBlock(page, generated);
            Files.writeString(PAGE, page, StandardCharsets.UTF_8);
        }
        assertThat(page)
                .as("docs/backends.md is out of date: rerun this test with -Dstowage.docs.write=true")
                .contains(generated);
    }

    @Test
    void theTableHasAColumnForEveryTypeTheCliShips() {
        String generated = BackendsPage.markdown(BlobStoreProviders.load());
        String header = generated.lines().filter(l -> l.startsWith("| capability |")).findFirst().orElseThrow();
        for (String type : BlobStoreProviders.load().providers().stream().map(p -> p.type()).toList()) {
            assertThat(header).contains("`" + type + "`");
        }
        assertThat(header).contains("`local`", "`memory`", "`aws_s3`", "`minio`", "`s3_compatible`");
    }

    @Test
    void replacingTheBlockKeepsTheHandWrittenTextAroundIt() {
        String page = "# Backends\n\nintro\n\n" + BackendsPage.BEGIN + "\nold\n" + BackendsPage.END + "\n\n## local\ntext\n";
        String replaced = BackendsPage.replaceBlock(page, BackendsPage.BEGIN + "\nnew\n" + BackendsPage.END + "\n");
        assertThat(replaced).isEqualTo("# Backends\n\nintro\n\n" + BackendsPage.BEGIN + "\nnew\n" + BackendsPage.END
                + "\n\n## local\ntext\n");
    }

    @Test
    void aPageWithoutTheGeneratedBlockIsRefused() {
        assertThatThrownBy(() -> BackendsPage.replaceBlock("# Backends\n", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no generated block");
    }

    @Test
    void theCapabilitiesCommandPrintsTheSameBlock(@org.junit.jupiter.api.io.TempDir Path dir) {
        CliHarness cli = new CliHarness(dir);
        cli.providers = BlobStoreProviders.load();
        CliHarness.Result r = cli.run("capabilities", "--markdown");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(BackendsPage.markdown(BlobStoreProviders.load()));
    }
}
