package io.stowage.service;

class OperationsOnPostgresTest extends OperationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
