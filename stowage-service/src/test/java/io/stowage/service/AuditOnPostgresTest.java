package io.stowage.service;

class AuditOnPostgresTest extends AuditSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
