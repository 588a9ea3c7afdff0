package io.stowage.service;

class QuotaOnPostgresTest extends QuotaSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
