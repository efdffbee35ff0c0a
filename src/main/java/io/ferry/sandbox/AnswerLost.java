package io.ferry.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

/**
 * A request as a simulator's handler sees it, whose answer goes nowhere: the handler does everything it would (a
 * target stores the records), and the connection is then closed without an answer.
 */
final class AnswerLost extends HttpExchange {

    private final HttpExchange request;
    private final Headers responseHeaders = new Headers();
    private final ByteArrayOutputStream discarded = new ByteArrayOutputStream();
    private int status = -1;

    AnswerLost(HttpExchange request) {
        this.request = request;
    }

    @Override
    public Headers getRequestHeaders() {
        return request.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return request.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return request.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return request.getHttpContext();
    }

    @Override
    public void close() {
        // the real exchange is closed by the fault, without an answer
    }

    @Override
    public InputStream getRequestBody() {
        return request.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return discarded;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        status = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return request.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        request.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return request.getPrincipal();
    }
}
