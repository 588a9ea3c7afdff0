package io.stowage.service;

class LinkModeOnPostgresTest extends LinkModeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
