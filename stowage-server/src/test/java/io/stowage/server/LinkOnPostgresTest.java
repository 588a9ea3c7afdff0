package io.stowage.server;

import io.stowage.service.TestDatabase;

class LinkOnPostgresTest extends LinkSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
