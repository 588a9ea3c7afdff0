package io.stowage.service;

class LiveStorageOnPostgresTest extends LiveStorageSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
