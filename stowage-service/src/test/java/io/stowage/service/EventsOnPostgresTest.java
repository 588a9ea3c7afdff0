package io.stowage.service;

class EventsOnPostgresTest extends EventsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
