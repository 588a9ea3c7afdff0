package io.stowage.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * The requests whose handlers are running, counted around the servlet, so a shutdown can wait for transfers
 * to finish and, after it aborted the rest, for their handlers to undo what they started (an aborted upload
 * deletes its object and pending row on its own thread) before the catalog closes under them.
 */
final class InFlight implements Filter {

    private int active;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        enter();
        try {
            chain.doFilter(request, response);
        } finally {
            exit();
        }
    }

    synchronized void enter() {
        active++;
    }

    synchronized void exit() {
        active--;
        if (active == 0) {
            notifyAll();
        }
    }

    /** How many handlers are running now. */
    synchronized int active() {
        return active;
    }

    /** Waits until no handler runs, at most {@code bound}; returns whether none does. */
    synchronized boolean awaitIdle(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return active == 0;
        }
    }
}
