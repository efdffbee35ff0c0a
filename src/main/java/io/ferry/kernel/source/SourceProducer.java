package io.ferry.kernel.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import io.ferry.kernel.Paging;
import io.ferry.kernel.Records;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.TransientException;

/**
 * The paging protocol, once for every source: which page to ask for (number, offset or cursor), the request
 * parameters for it, the records in the answer, the end signal, the guards (an empty or repeated page ends paging,
 * and so does maxPages: {@link Paging}) and the report of each page to the run.
 * <p>
 * A source paged by number or offset asks for the next page in the background while the route works on this one: the
 * wait for the vendor overlaps the mapping, the dedup query and the writing instead of adding to them
 * (docs/benchmarks.md). That page is used only by the same run for the same request; its failure surfaces when it is
 * used, on the route's thread, so the route's retries and error handling see it as if it had been asked then.
 */
public class SourceProducer extends DefaultProducer {

    private record Ahead(RunContext run, PageRequest request, Future<Fetched> result) {
    }

    /** A page read ahead: the answer, and its records when they could be taken out of it there (else null). */
    private record Fetched(PageAnswer answer, List<Map<String, Object>> records) {
    }

    private final SourceEndpoint endpoint;
    private final SourceSpec spec;
    private volatile PageFetcher fetcher;
    private ExecutorService executor;
    private Ahead ahead;

    public SourceProducer(SourceEndpoint endpoint, SourceSpec spec) {
        super(endpoint);
        this.endpoint = endpoint;
        this.spec = spec;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (spec.pageAhead() && (spec.paging() == PagingStyle.PAGE || spec.paging() == PagingStyle.OFFSET)) {
            executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "source-page-ahead");
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) {
        RunContext run = RunContext.of(exchange);
        Paging paging = run.paging();
        paging.asking();
        PageRequest request = request(run, paging);
        Fetched readAhead = takeAhead(run, request);
        PageAnswer answer = readAhead != null ? readAhead.answer() : fetcher().fetch(request);
        int index = pageIndex(request, paging);
        long before = before(index, paging);
        String what = spec.what() + " " + request.position();
        List<Map<String, Object>> records = readAhead != null && readAhead.records() != null ? readAhead.records()
                : records(answer, index, before, what);
        EndSignal.Reading reading = spec.endSignal().read(answer.body(), answer.headers(), before, records.size(), spec.pageSize(), index);
        if (reading.total() != null) {
            paging.setTotal(reading.total());
        }
        String next = null;
        boolean more = reading.more();
        if (spec.paging() == PagingStyle.CURSOR) {
            next = reading.nextCursor();
            more = more && next != null;
            if (more && next.equals(request.cursor())) {
                throw new SourceException(what + ": the answer gives the cursor it was asked for as the next one; paging would"
                        + " never end", answer.raw());
            }
        } else if (spec.paging() == PagingStyle.LAST_RECORD && !records.isEmpty()) {
            next = Records.field(records.get(records.size() - 1), spec.cursorField());
            if (next == null) {
                throw new SourceException(what + ": the last record has no " + spec.cursorField()
                        + " (the cursor field), so the next page cannot be asked for", answer.raw());
            }
        }
        boolean fresh = paging.received(records.size(), more, Records.keyFingerprint(records, run.keyField()));
        if (fresh && next != null) {
            paging.moveCursor(next);
        }
        if (fresh && paging.hasMore() && executor != null) {
            PageRequest nextRequest = request(run, paging);
            int nextIndex = pageIndex(nextRequest, paging);
            long nextBefore = before(nextIndex, paging);
            PageFetcher f = fetcher();
            RunContext.PageAhead work = run.readingAhead();
            ahead = new Ahead(run, nextRequest, executor.submit(() -> {
                PageAnswer a = f.fetch(nextRequest);
                List<Map<String, Object>> r;
                try {
                    r = records(a, nextIndex, nextBefore, spec.what() + " " + nextRequest.position());
                } catch (RuntimeException e) {
                    // an answer without its records fails when the route takes it, as one read then would
                    return new Fetched(a, null);
                }
                if (work != null) {
                    work.read(r);
                }
                return new Fetched(a, r);
            }));
        }
        exchange.getIn().setBody(fresh ? records : List.of());
    }

    /** How many records come before the page at this index. */
    private long before(int index, Paging paging) {
        return spec.paging() == PagingStyle.OFFSET || spec.paging() == PagingStyle.PAGE ? (long) index * spec.pageSize()
                : (long) paging.pages() * spec.pageSize();
    }

    /** The records of an answer; stateless, so a page read ahead is taken apart on the thread that read it. */
    private List<Map<String, Object>> records(PageAnswer answer, int index, long before, String what) {
        EndSignal.Reading first = spec.endSignal().read(answer.body(), answer.headers(), before, -1, spec.pageSize(), index);
        return spec.records().records(answer.body(), first.sourceEmpty(), what, answer::raw);
    }

    /** The request for the run's next page. */
    PageRequest request(RunContext run, Paging paging) {
        Map<String, Object> values = new HashMap<>(run.placeholders());
        // a window's bounds come as instants; the API's format is the connector's
        values.replaceAll((k, v) -> v instanceof java.time.Instant t ? endpoint.windowFormat().format(t) : v);
        values.put("pageSize", spec.pageSize());
        Integer page = null;
        String cursor = null;
        switch (spec.paging()) {
        case PAGE -> {
            page = paging.pageNumber(spec.firstPage());
            values.put("page", page);
            values.put("offset", (long) (page - spec.firstPage()) * spec.pageSize());
        }
        case OFFSET -> {
            int index = paging.pageNumber(0);
            long offset = (long) index * spec.pageSize();
            values.put("page", index + spec.firstPage());
            values.put("offset", offset);
            cursor = String.valueOf(offset);
        }
        case CURSOR, LAST_RECORD -> {
            cursor = paging.cursor(spec.initialCursor());
            values.put("cursor", cursor);
            values.put("offset", cursor);
        }
        }
        return new PageRequest(run, spec.params().render(values), page, spec.pageSize(), cursor);
    }

    private int pageIndex(PageRequest request, Paging paging) {
        return switch (spec.paging()) {
        case PAGE -> request.page() - spec.firstPage();
        case OFFSET -> (int) (Long.parseLong(request.cursor()) / spec.pageSize());
        default -> paging.pages();
        };
    }

    private PageFetcher fetcher() {
        PageFetcher f = fetcher;
        if (f == null) {
            f = endpoint.fetcher();
            fetcher = f;
        }
        return f;
    }

    /** The page asked ahead when it is the one wanted now, else null (and a stale one is dropped). */
    private Fetched takeAhead(RunContext run, PageRequest request) {
        Ahead a = ahead;
        ahead = null;
        if (a == null) {
            return null;
        }
        if (a.run() != run || !Objects.equals(a.request().page(), request.page())
                || !Objects.equals(a.request().cursor(), request.cursor()) || !a.request().params().equals(request.params())) {
            a.result().cancel(true);
            return null;
        }
        try {
            return a.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while waiting for " + request.position(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TransientException(request.position() + " could not be read: " + cause, cause);
        }
    }
}
