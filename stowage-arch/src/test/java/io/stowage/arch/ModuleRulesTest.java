package io.stowage.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules hold on the main classes of every module: a violation fails the build with the
 * class, the line and the rule it breaks. Test classes are not checked (a backend's tests may run
 * another backend, as the S3 module's USE_S3_STORAGE test mirrors to the local one).
 */
class ModuleRulesTest {

    /** Modules that may depend on anything (DESIGN §1) and this one. */
    private static final Set<String> UNCHECKED = Set.of("stowage-it", "stowage-bench", "stowage-arch");

    private static JavaClasses stowage;
    private static final Modules MODULES = Modules.byLocation();

    @BeforeAll
    static void importEveryModule() {
        stowage = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stowage");
    }

    @Test
    void core_uses_no_other_module_no_backend_knows_another_and_only_the_cli_knows_backends() {
        ModuleRules.modulesUseOnlyWhatTheDesignAllows(MODULES).check(stowage);
    }

    @Test
    void vendor_sdk_types_appear_only_in_their_own_backend_module() {
        ModuleRules.vendorTypesStayInTheirBackend(MODULES).check(stowage);
    }

    @Test
    void core_depends_only_on_the_jdk_and_the_libraries_the_design_lists() {
        ModuleRules.coreUsesOnlyItsLibraries(MODULES).check(stowage);
    }

    @Test
    void a_backend_sees_core_only_through_the_public_api_and_the_spi() {
        ModuleRules.backendsSeeCoreThroughApiAndSpi(MODULES, ModuleRules.BACKEND_VIEW_OF_CORE).check(stowage);
    }

    @Test
    void internal_packages_are_used_only_by_their_module_and_cores_by_the_modules_that_ship_with_it() {
        ModuleRules.internalsStayInside(MODULES).check(stowage);
    }

    @Test
    void every_module_seen_has_a_rule() {
        ModuleRules.everyModuleHasARule(MODULES).check(stowage);
    }

    @Test
    void every_module_with_main_code_is_on_the_class_path_of_the_rules() throws IOException {
        Set<String> seen = stowage.stream().map(MODULES::of).flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = new ArrayList<>();
        for (String module : modulesWithMainCode()) {
            if (!seen.contains(module) && !UNCHECKED.contains(module)) {
                missing.add(module);
            }
        }
        assertThat(missing)
                .as("modules with main code that the rules do not see: add each as a test dependency in"
                        + " stowage-arch/pom.xml (and its line in Modules.mayUse) so the module rules check it;"
                        + " seen: " + seen)
                .isEmpty();
        assertThat(seen).as("the rules must see core and at least one backend").contains(Modules.CORE)
                .anyMatch(Modules::isBackend);
    }

    @Test
    void a_module_is_read_from_a_class_directory_a_reactor_jar_and_a_local_repository_jar() {
        assertThat(Modules.lastModuleIn("file:/src/stowage/stowage-backend-s3/target/classes/io/stowage/s3/A.class"))
                .contains("stowage-backend-s3");
        assertThat(Modules.lastModuleIn(
                "jar:file:/src/stowage/stowage-core/target/stowage-core-0.1.0-SNAPSHOT.jar!/io/stowage/BlobKey.class"))
                .contains("stowage-core");
        assertThat(Modules.lastModuleIn("jar:file:/home/u/.m2/repository/io/stowage/stowage-backend-gcs/0.1.0-SNAPSHOT/"
                + "stowage-backend-gcs-0.1.0-SNAPSHOT.jar!/io/stowage/gcs/G.class")).contains("stowage-backend-gcs");
        assertThat(Modules.lastModuleIn("jar:file:/home/u/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"))
                .isEmpty();
        JavaClass blobKey = stowage.get("io.stowage.BlobKey");
        assertThat(MODULES.of(blobKey)).contains(Modules.CORE);
    }

    /** The parent's modules that have main Java sources. */
    private static List<String> modulesWithMainCode() throws IOException {
        Path root = Path.of(System.getProperty("stowage.arch.root", ".."));
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            Path main = root.resolve(m.group(1)).resolve("src/main/java");
            if (Files.isDirectory(main)) {
                try (Stream<Path> files = Files.walk(main)) {
                    if (files.anyMatch(p -> p.toString().endsWith(".java"))) {
                        modules.add(m.group(1));
                    }
                }
            }
        }
        assertThat(modules).as("modules read from " + root.resolve("pom.xml")).contains(Modules.CORE);
        return modules;
    }
}
