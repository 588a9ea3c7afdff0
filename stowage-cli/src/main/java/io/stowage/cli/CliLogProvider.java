package io.stowage.cli;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC. slf4j-simple's own provider drops everything put in the MDC, so the
 * correlation id the CLI sets per command never reached the logging layer, whose lines all said
 * {@code correlation_id=-}. Selected through the {@code slf4j.provider} system property ({@link
 * StowageCli#main} sets it before anything logs), not registered as a service, so slf4j never sees two
 * providers.
 */
public final class CliLogProvider extends SimpleServiceProvider {

    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
