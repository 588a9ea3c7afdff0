package io.stowage.service;

class AuditOnSqliteTest extends AuditSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
