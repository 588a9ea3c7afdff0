package io.stowage.service;

class WebhooksOnPostgresTest extends WebhooksSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
