package io.stowage.service;

class RetentionOnPostgresTest extends RetentionSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
