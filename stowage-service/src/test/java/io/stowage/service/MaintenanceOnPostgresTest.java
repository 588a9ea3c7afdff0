package io.stowage.service;

class MaintenanceOnPostgresTest extends MaintenanceSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
