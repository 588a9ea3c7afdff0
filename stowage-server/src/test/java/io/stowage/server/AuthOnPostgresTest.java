package io.stowage.server;

import io.stowage.service.TestDatabase;

class AuthOnPostgresTest extends AuthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
