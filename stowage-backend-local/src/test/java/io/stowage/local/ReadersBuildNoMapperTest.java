package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.BlobKey;
import io.stowage.spi.PooledJson;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Opening this backend and reading sidecars builds no Jackson {@code ObjectMapper}: building one cost every short process
 * that only reads from a local store (a raw migration to S3) about 30 ms of CPU at its start (decision 0110). The classes
 * are loaded afresh in a class loader of their own, so what this JVM's other tests built does not count.
 */
class ReadersBuildNoMapperTest {

    private static final String MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";
    private static final String SIDECAR = "{\"schema\":1,\"key\":\"a/b\",\"size\":5,\"sha256\":\"" + "ab".repeat(32)
            + "\",\"content_type\":\"text/plain\",\"metadata\":{\"m\":\"v\"},\"tier\":null,"
            + "\"created\":\"2026-12-05T13:00:00Z\",\"modified\":\"2026-12-05T13:00:01Z\",\"version_id\":\"v1\"}";

    /** A loader of the backend, core and Jackson classes alone, over the JDK's; says what it has loaded so far. */
    private static final class Fresh extends URLClassLoader {
        Fresh() {
            super(new URL[] {where(Sidecar.class), where(BlobKey.class), where(PooledJson.class), where(JsonFactory.class),
                    where(ObjectMapper.class), where(JsonAutoDetect.class)}, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }

        private static URL where(Class<?> c) {
            return c.getProtectionDomain().getCodeSource().getLocation();
        }
    }

    @Test
    void reading_a_sidecar_and_the_part_uploads_class_build_no_mapper_writing_one_does() throws Exception {
        try (Fresh fresh = new Fresh()) {
            Class.forName(LocalPartUploads.class.getName(), true, fresh);
            Class<?> sidecar = Class.forName(Sidecar.class.getName(), true, fresh);
            Method parse = sidecar.getDeclaredMethod("parse", byte[].class);
            parse.setAccessible(true);
            Object read = parse.invoke(null, (Object) SIDECAR.getBytes(StandardCharsets.UTF_8));
            assertThat(read.toString()).contains("a/b").contains("v1");
            assertThat(fresh.loaded(MAPPER)).as("a mapper was built to read").isFalse();

            Method toJson = sidecar.getDeclaredMethod("toJson");
            toJson.setAccessible(true);
            byte[] written = (byte[]) toJson.invoke(read);
            assertThat(parse.invoke(null, (Object) written)).isEqualTo(read);
            assertThat(fresh.loaded(MAPPER)).as("the writer's mapper, seen by this loader").isTrue();
        }
    }
}
