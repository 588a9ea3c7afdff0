package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminJobsOnPostgresTest extends AdminJobsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
