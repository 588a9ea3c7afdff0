package io.stowage.service;

class BackgroundEventsOnPostgresTest extends BackgroundEventsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
