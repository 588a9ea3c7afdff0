package io.stowage.service;

class BatchOnPostgresTest extends BatchSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
