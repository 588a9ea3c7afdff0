package io.stowage.service;

class SharedVariantsOnPostgresTest extends SharedVariantsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
