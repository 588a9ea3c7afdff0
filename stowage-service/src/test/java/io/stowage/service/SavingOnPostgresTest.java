package io.stowage.service;

class SavingOnPostgresTest extends SavingSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
