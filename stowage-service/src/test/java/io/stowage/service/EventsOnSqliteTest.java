package io.stowage.service;

class EventsOnSqliteTest extends EventsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
