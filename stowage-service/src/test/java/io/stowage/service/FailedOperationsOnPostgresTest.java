package io.stowage.service;

class FailedOperationsOnPostgresTest extends FailedOperationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
