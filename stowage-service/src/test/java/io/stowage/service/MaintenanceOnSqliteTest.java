package io.stowage.service;

class MaintenanceOnSqliteTest extends MaintenanceSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
