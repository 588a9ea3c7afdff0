package io.stowage.service;

class ConfiguredOnPostgresTest extends ConfiguredSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
