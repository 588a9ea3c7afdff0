package io.stowage.service;

import io.stowage.BlobStore;
import io.stowage.manager.StorageManager;
import java.time.Clock;

/**
 * How a {@link StorageService} opens, as its {@code open} variants document: the catalog (migrated), the
 * manager when the service builds it over the catalog's journal, then the start every variant shares.
 */
final class ServiceOpener {

    private ServiceOpener() {
    }

    static StorageService open(ServiceSettings settings, BlobStore store, Clock clock) {
        return start(new StorageService(settings, CatalogDatabase.open(settings), store, clock, null));
    }

    static StorageService open(ServiceSettings settings, StorageManager manager) {
        return open(settings, manager, Clock.systemUTC());
    }

    static StorageService open(ServiceSettings settings, StorageManager manager, Clock clock) {
        return start(new StorageService(settings, CatalogDatabase.open(settings), manager.store(), clock,
                LiveStorage.given(manager)));
    }

    static StorageService open(ServiceSettings settings, StorageManager.Builder builder) {
        CatalogDatabase catalog = CatalogDatabase.open(settings);
        CatalogJournal journal = new CatalogJournal(catalog, Clock.systemUTC());
        StorageManager manager;
        try {
            manager = builder.journal(journal).open();
        } catch (RuntimeException e) {
            catalog.close();
            throw e;
        }
        return start(new StorageService(settings, catalog, manager.store(), Clock.systemUTC(),
                LiveStorage.owned(manager, journal)));
    }

    private static StorageService start(StorageService service) {
        try {
            // The first start makes the first signing key, so every node of a shared catalog finds one.
            service.linkDesk.ensureKey();
            // What saves that crashed left behind goes before anything new arrives (decision 0040).
            service.sweep.sweep(service.settings.pendingGrace());
            service.workers.start();
            if (service.live != null) {
                // A backend's health changes become events (backend.health_changed), from every manager a reload brings.
                service.live.forEachManager(m -> m.addHealthListener(service.workers::healthChanged));
            }
            // Jobs whose process died go on (decision 0053).
            service.migrations.resumeInterrupted();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }
}
