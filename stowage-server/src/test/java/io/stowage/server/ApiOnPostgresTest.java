package io.stowage.server;

import io.stowage.service.TestDatabase;

class ApiOnPostgresTest extends ApiSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
