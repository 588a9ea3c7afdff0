package io.stowage.service;

class BackgroundEventsOnSqliteTest extends BackgroundEventsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
