package io.stowage.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Stowage module a class comes from, and which modules each module may use (DESIGN §1:
 * server → service → core ← backends; no backend knows another).
 *
 * <p>The module is read from where the class file was loaded ({@code stowage-backend-s3/target/classes},
 * {@code stowage-backend-s3-0.1.0-SNAPSHOT.jar}), not from its package, so a class that a backend puts
 * into one of core's packages still counts as the backend's, and every {@code stowage-backend-*} module
 * is a backend without being named here.
 */
final class Modules {

    static final String CORE = "stowage-core";
    static final String TESTKIT = "stowage-testkit";
    static final String SERVICE = "stowage-service";
    static final String SERVER = "stowage-server";
    static final String CLI = "stowage-cli";
    static final String BACKEND_PREFIX = "stowage-backend-";

    /** A module name in a class file's location: a directory before {@code /target/}, or a jar before its version. */
    private static final Pattern MODULE_IN_LOCATION =
            Pattern.compile("(stowage-[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)(?=/target/|-\\d)");

    private final Function<JavaClass, Optional<String>> moduleOf;

    private Modules(Function<JavaClass, Optional<String>> moduleOf) {
        this.moduleOf = moduleOf;
    }

    /** Modules as the build lays them out: from each class file's location. */
    static Modules byLocation() {
        return new Modules(c -> c.getSource().flatMap(s -> lastModuleIn(s.getUri().toString())));
    }

    /** Modules by package prefix, longest first: for rule tests over small made-up class sets. */
    static Modules byPackage(Map<String, String> moduleByPackagePrefix) {
        return new Modules(c -> moduleByPackagePrefix.entrySet().stream()
                .filter(e -> c.getPackageName().equals(e.getKey()) || c.getPackageName().startsWith(e.getKey() + "."))
                .max(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.length(), b.length())))
                .map(Map.Entry::getValue));
    }

    static Optional<String> lastModuleIn(String location) {
        Matcher m = MODULE_IN_LOCATION.matcher(location);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    /** The Stowage module of a class; empty for the JDK, libraries and vendor SDKs. */
    Optional<String> of(JavaClass c) {
        return moduleOf.apply(c.getBaseComponentType());
    }

    static boolean isBackend(String module) {
        return module.startsWith(BACKEND_PREFIX);
    }

    /**
     * Which other Stowage modules {@code module} may use; empty when the design says nothing about the
     * module yet (a rule then asks for one, so a new module cannot slip past).
     */
    static Optional<Predicate<String>> mayUse(String module) {
        if (isBackend(module)) {
            return Optional.of(CORE::equals);
        }
        return Optional.ofNullable(switch (module) {
            case CORE -> t -> false;
            case TESTKIT, SERVICE -> CORE::equals;
            case SERVER -> t -> t.equals(CORE) || t.equals(SERVICE);
            // The CLI is the one module that pulls in every backend; it runs the server and service.
            case CLI -> t -> t.equals(CORE) || t.equals(SERVICE) || t.equals(SERVER) || isBackend(t);
            default -> null;
        });
    }

    /** Whose internals a module may use besides its own: core's, for the modules that ship with it. */
    static boolean mayUseInternalsOf(String module, String owner) {
        return module.equals(owner)
                || owner.equals(CORE) && (module.equals(CLI) || module.equals(SERVICE) || module.equals(SERVER));
    }
}
