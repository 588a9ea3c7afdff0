package io.stowage.service;

class WebhooksOnSqliteTest extends WebhooksSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
