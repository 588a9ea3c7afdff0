package io.stowage.service;

class LocationsOnPostgresTest extends LocationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
