package io.ferry.kernel.source;

/** What a connector contributes to a source: one call of its API, signed, rate limited and checked. */
@FunctionalInterface
public interface PageFetcher {

    /** Asks for one page; throws the kernel's exceptions (transient, source, configuration) for what went wrong. */
    PageAnswer fetch(PageRequest request);
}
