package io.stowage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static final Capabilities ALL = Capabilities.builder().rangeRead(true).conditionalPut(true)
            .unknownLengthPut(true).serverSideCopy(true).multipart(true).metadataUpdate(true).versioning(true)
            .softDelete(true).tiers(true).presign(true).lifecycle(true).listConsistent(true).maxObjectSize(1000).build();

    @Test
    void overrides_take_capabilities_away() {
        Capabilities c = ALL.withOverrides(Map.of("conditional_put", false, "versioning", "false"));
        assertThat(c.conditionalPut()).isFalse();
        assertThat(c.versioning()).isFalse();
        assertThat(c.rangeRead()).isTrue();
        assertThat(c.maxObjectSize()).isEqualTo(1000);
    }

    @Test
    void overrides_cannot_give_a_backend_what_its_code_lacks() {
        Capabilities none = Capabilities.builder().build();
        assertThat(none.withOverrides(Map.of("presign", true, "tiers", "TRUE"))).isEqualTo(none);
    }

    @Test
    void the_size_limit_can_only_be_lowered() {
        assertThat(ALL.withOverrides(Map.of("max_object_size", 10)).maxObjectSize()).isEqualTo(10);
        assertThat(ALL.withOverrides(Map.of("max_object_size", "5000")).maxObjectSize()).isEqualTo(1000);
    }

    @Test
    void names_are_case_insensitive_and_no_overrides_change_nothing() {
        assertThat(ALL.withOverrides(Map.of("Range_Read", false)).rangeRead()).isFalse();
        assertThat(ALL.withOverrides(Map.of())).isSameAs(ALL);
        assertThat(ALL.withOverrides(null)).isSameAs(ALL);
    }

    @Test
    void unknown_names_and_bad_values_are_config_errors_naming_the_problem() {
        assertThatThrownBy(() -> ALL.withOverrides(Map.of("teleport", true)))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("teleport").contains("conditional_put");
                });
        assertThatThrownBy(() -> ALL.withOverrides(Map.of("range_read", "maybe")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage()).contains("range_read"));
        assertThatThrownBy(() -> ALL.withOverrides(Map.of("max_object_size", "big")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
    }

    @Test
    void the_map_form_lists_every_capability_under_its_configuration_name() {
        assertThat(ALL.toMap()).containsKeys("range_read", "conditional_put", "unknown_length_put", "server_side_copy",
                "multipart", "metadata_update", "versioning", "soft_delete", "tiers", "presign", "lifecycle",
                "list_consistent", "list_utf16_order", "max_object_size").hasSize(14);
        assertThat(Capabilities.builder().build().maxObjectSize()).isEqualTo(Long.MAX_VALUE);
        assertThat(Capabilities.builder().build().listUtf16Order()).as("UTF-8 byte order unless declared").isFalse();
    }

    @Test
    void the_listing_order_describes_the_service_and_cannot_be_configured() {
        Capabilities utf16 = Capabilities.builder().listUtf16Order(true).build();
        assertThatThrownBy(() -> utf16.withOverrides(Map.of("list_utf16_order", "false")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("list_utf16_order");
                });
        assertThat(utf16.withOverrides(Map.of("presign", "false")).listUtf16Order()).isTrue();
    }

    @Test
    void each_feature_is_offered_exactly_when_its_capability_is_on() {
        Map<Class<?>, String> capabilityOf = Map.of(Versioned.class, "versioning", SoftDelete.class, "soft_delete",
                MetadataEditor.class, "metadata_update", Presigner.class, "presign", Tiered.class, "tiers",
                Lifecycle.class, "lifecycle");
        capabilityOf.forEach((feature, capability) -> {
            assertThat(ALL.offers(feature)).as(feature.getSimpleName()).isTrue();
            assertThat(ALL.withOverrides(Map.of(capability, false)).offers(feature)).as(feature.getSimpleName()).isFalse();
            capabilityOf.keySet().stream().filter(other -> other != feature).forEach(other ->
                    assertThat(ALL.withOverrides(Map.of(capability, false)).offers(other)).as(other.getSimpleName()).isTrue());
        });
        assertThat(Capabilities.builder().build().offers(String.class)).as("a type without a capability").isTrue();
    }
}
