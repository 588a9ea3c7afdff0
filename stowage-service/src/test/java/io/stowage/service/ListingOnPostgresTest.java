package io.stowage.service;

class ListingOnPostgresTest extends ListingSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
