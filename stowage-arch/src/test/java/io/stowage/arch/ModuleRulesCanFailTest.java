package io.stowage.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a made-up violation (the classes under {@code io.stowage.arch.fixture}, one package per
 * module) and stays quiet where the design allows the dependency: without this, a rule that can never fail
 * would pass {@link ModuleRulesTest} just as well.
 */
class ModuleRulesCanFailTest {

    private static final String F = "io.stowage.arch.fixture.";
    private static final Modules MODULES = Modules.byPackage(Map.of(
            F + "core", Modules.CORE,
            F + "alpha", "stowage-backend-alpha",
            F + "beta", "stowage-backend-beta",
            F + "cli", Modules.CLI,
            F + "testkit", Modules.TESTKIT,
            F + "gadget", "stowage-gadget"));
    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages(F.substring(0, F.length() - 1));

    private static List<String> violations(ArchRule rule) {
        return rule.evaluate(FIXTURE).getFailureReport().getDetails();
    }

    @Test
    void core_using_a_backend_and_a_backend_using_another_are_both_reported_and_the_cli_is_not() {
        List<String> found = violations(ModuleRules.modulesUseOnlyWhatTheDesignAllows(MODULES));

        assertThat(found).anyMatch(v -> v.startsWith("stowage-core must not use stowage-backend-alpha: ")
                && v.contains("Kernel.describe"));
        assertThat(found).anyMatch(v -> v.startsWith("stowage-backend-alpha must not use stowage-backend-beta: ")
                && v.contains("AlphaStore.mirrorTo"));
        assertThat(found).noneMatch(v -> v.startsWith("stowage-cli") || v.startsWith("stowage-backend-beta"));
    }

    @Test
    void a_failing_rule_fails_the_test_with_the_class_and_the_line() {
        assertThatThrownBy(() -> ModuleRules.modulesUseOnlyWhatTheDesignAllows(MODULES).check(FIXTURE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("use only the Stowage modules DESIGN §1 allows its module")
                .hasMessageContaining("(AlphaStore.java:");
    }

    @Test
    void a_vendor_sdk_type_outside_its_backend_is_reported() {
        assertThat(violations(ModuleRules.vendorTypesStayInTheirBackend(MODULES))).singleElement()
                .asString().startsWith("stowage-core must not use software.amazon.awssdk.regions.Region,"
                        + " a vendor SDK type that belongs in stowage-backend-s3 only: ");
    }

    @Test
    void core_using_something_outside_the_libraries_of_the_design_is_reported() {
        assertThat(violations(ModuleRules.coreUsesOnlyItsLibraries(MODULES)))
                .anyMatch(v -> v.startsWith("stowage-core must not use software.amazon.awssdk.regions.Region "))
                .anyMatch(v -> v.startsWith("stowage-core must not use " + F + "alpha.AlphaStore "))
                .noneMatch(v -> v.contains(F + "core.internal.Hidden "));
    }

    @Test
    void a_backend_reaching_past_the_spi_into_core_is_reported_and_one_using_the_spi_is_not() {
        List<String> found = violations(ModuleRules.backendsSeeCoreThroughApiAndSpi(MODULES,
                p -> p.equals(F + "core.spi")));

        assertThat(found).anyMatch(v -> v.startsWith("stowage-backend-alpha must not use " + F + "core.Kernel: "));
        assertThat(found).anyMatch(v -> v.startsWith("stowage-backend-alpha must not use " + F + "core.internal.Hidden: "));
        assertThat(found).noneMatch(v -> v.contains("Helper") || v.startsWith("stowage-backend-beta"));
    }

    @Test
    void internals_used_by_a_backend_or_the_testkit_are_reported_and_by_core_or_the_cli_are_not() {
        List<String> found = violations(ModuleRules.internalsStayInside(MODULES));

        assertThat(found).anyMatch(v -> v.startsWith("stowage-backend-alpha must not use " + F
                + "core.internal.Hidden, internal to stowage-core (decision 0027): "));
        assertThat(found).anyMatch(v -> v.startsWith("stowage-testkit must not use " + F + "core.internal.Hidden"));
        assertThat(found).hasSize(2);
    }

    @Test
    void a_module_without_a_rule_is_reported() {
        assertThat(violations(ModuleRules.everyModuleHasARule(MODULES))).singleElement().asString()
                .startsWith("module stowage-gadget of " + F + "gadget.Gadget has no rule");
    }
}
