package io.stowage.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The module rules of DESIGN §1 and decision 0027 as ArchUnit rules over compiled classes. Each rule
 * takes the {@link Modules} that says where a class belongs, so the same rule checks the real build
 * ({@link Modules#byLocation()}) and the made-up violations that prove it can fail.
 */
final class ModuleRules {

    /** Vendor SDK packages and the one module each may appear in. */
    static final Map<String, String> VENDOR_HOMES = Map.ofEntries(
            Map.entry("software.amazon.", "stowage-backend-s3"),
            Map.entry("com.amazonaws.", "stowage-backend-s3"),
            Map.entry("com.azure.", "stowage-backend-azure"),
            Map.entry("com.microsoft.azure.", "stowage-backend-azure"),
            Map.entry("com.google.cloud.", "stowage-backend-gcs"),
            Map.entry("com.google.auth.", "stowage-backend-gcs"),
            Map.entry("com.google.api.", "stowage-backend-gcs"),
            Map.entry("com.google.storage.", "stowage-backend-gcs"));

    /** What core may use besides itself (DESIGN §1: slf4j, resilience4j, micrometer-core, jackson). */
    static final List<String> CORE_LIBRARIES = List.of(
            "java.", "javax.annotation.", "org.slf4j.", "io.github.resilience4j.", "io.micrometer.",
            "com.fasterxml.jackson.");

    /** The packages of core a backend may use: the public API and the SPI (decision 0027). */
    static final Predicate<String> BACKEND_VIEW_OF_CORE = p -> p.equals("io.stowage")
            || p.equals("io.stowage.spi") || p.startsWith("io.stowage.spi.");

    private ModuleRules() {
    }

    /** server → service → core ← backends; no backend knows another; nothing but the CLI knows backends. */
    static ArchRule modulesUseOnlyWhatTheDesignAllows(Modules modules) {
        return everyClassShould("use only the Stowage modules DESIGN §1 allows its module", (item, events) -> {
            Optional<String> from = modules.of(item);
            Optional<Predicate<String>> allowed = from.flatMap(Modules::mayUse);
            if (allowed.isEmpty()) {
                return;
            }
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
                modules.of(d.getTargetClass())
                        .filter(to -> !to.equals(from.get()) && !allowed.get().test(to))
                        .ifPresent(to -> events.add(SimpleConditionEvent.violated(d,
                                from.get() + " must not use " + to + ": " + d.getDescription())));
            }
        });
    }

    /** Every Stowage module seen has a line in {@link Modules#mayUse}. */
    static ArchRule everyModuleHasARule(Modules modules) {
        return everyClassShould("belong to a module whose dependencies DESIGN §1 names", (item, events) ->
                modules.of(item).filter(m -> Modules.mayUse(m).isEmpty()).ifPresent(m -> events.add(
                        SimpleConditionEvent.violated(item, "module " + m + " of " + item.getName()
                                + " has no rule: say in io.stowage.arch.Modules.mayUse which modules it may use"))));
    }

    /** software.amazon.*, com.azure.*, com.google.cloud.* ... stay in their backend module. */
    static ArchRule vendorTypesStayInTheirBackend(Modules modules) {
        return everyClassShould("use a vendor SDK only inside that vendor's backend module", (item, events) -> {
            Optional<String> from = modules.of(item);
            if (from.isEmpty()) {
                return;
            }
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getBaseComponentType().getName();
                VENDOR_HOMES.forEach((prefix, home) -> {
                    if (target.startsWith(prefix) && !home.equals(from.get())) {
                        events.add(SimpleConditionEvent.violated(d, from.get() + " must not use " + target
                                + ", a vendor SDK type that belongs in " + home + " only: " + d.getDescription()));
                    }
                });
            }
        });
    }

    /** Core uses the JDK, itself and the libraries DESIGN §1 lists, nothing else. */
    static ArchRule coreUsesOnlyItsLibraries(Modules modules) {
        return everyClassShould("in stowage-core use only the JDK, core and " + CORE_LIBRARIES, (item, events) -> {
            if (!modules.of(item).filter(Modules.CORE::equals).isPresent()) {
                return;
            }
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                boolean inCore = modules.of(target).filter(Modules.CORE::equals).isPresent();
                if (!target.isPrimitive() && !inCore
                        && CORE_LIBRARIES.stream().noneMatch(target.getName()::startsWith)) {
                    events.add(SimpleConditionEvent.violated(d, "stowage-core must not use " + target.getName()
                            + " (not a library DESIGN §1 lets core depend on): " + d.getDescription()));
                }
            }
        });
    }

    /** A backend sees core through {@code io.stowage} and {@code io.stowage.spi..} only. */
    static ArchRule backendsSeeCoreThroughApiAndSpi(Modules modules, Predicate<String> backendView) {
        return everyClassShould("in a backend use core only through io.stowage and io.stowage.spi", (item, events) -> {
            Optional<String> from = modules.of(item).filter(Modules::isBackend);
            if (from.isEmpty()) {
                return;
            }
            for (Dependency d : item.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (modules.of(target).filter(Modules.CORE::equals).isPresent()
                        && !backendView.test(target.getPackageName())) {
                    events.add(SimpleConditionEvent.violated(d, from.get() + " must not use " + target.getName()
                            + ": a backend uses core's public API and io.stowage.spi, where everything a backend"
                            + " author needs belongs (decision 0027): " + d.getDescription()));
                }
            }
        });
    }

    /**
     * A class in an {@code internal} package is used by its own module only, and core's internals also by
     * the modules that ship with core (CLI, service, server): never by a backend or the testkit.
     */
    static ArchRule internalsStayInside(Modules modules) {
        return everyClassShould("use another module's internal packages only where decision 0027 allows",
                (item, events) -> {
                    Optional<String> from = modules.of(item);
                    if (from.isEmpty()) {
                        return;
                    }
                    for (Dependency d : item.getDirectDependenciesFromSelf()) {
                        JavaClass target = d.getTargetClass().getBaseComponentType();
                        if (!isInternal(target.getPackageName())) {
                            continue;
                        }
                        modules.of(target).filter(owner -> !Modules.mayUseInternalsOf(from.get(), owner))
                                .ifPresent(owner -> events.add(SimpleConditionEvent.violated(d, from.get()
                                        + " must not use " + target.getName() + ", internal to " + owner
                                        + " (decision 0027): " + d.getDescription())));
                    }
                });
    }

    static boolean isInternal(String packageName) {
        return packageName.endsWith(".internal") || packageName.contains(".internal.");
    }

    @FunctionalInterface
    interface Check {
        void check(JavaClass item, ConditionEvents events);
    }

    private static ArchRule everyClassShould(String description, Check check) {
        return ArchRuleDefinition.classes().should(new ArchCondition<JavaClass>(description) {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                check.check(item, events);
            }
        });
    }
}
