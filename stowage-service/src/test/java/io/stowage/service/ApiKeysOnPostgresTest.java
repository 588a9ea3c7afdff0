package io.stowage.service;

class ApiKeysOnPostgresTest extends ApiKeysSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
