package io.stowage.service;

import java.util.concurrent.CountDownLatch;

class LocationsOnPostgresTest extends LocationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    void heard(StorageService node) {
        ReadCacheOnPostgresTest.cache(node).awaitHeartbeat();
    }

    @Override
    AutoCloseable unhearing(StorageService node) throws InterruptedException {
        CountDownLatch release = ReadCacheOnPostgresTest.holdListener(ReadCacheOnPostgresTest.cache(node));
        return release::countDown;
    }
}
