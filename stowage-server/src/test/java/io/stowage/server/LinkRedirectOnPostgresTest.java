package io.stowage.server;

import io.stowage.service.TestDatabase;

class LinkRedirectOnPostgresTest extends LinkRedirectSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
