package io.ferry.api;

/** An answer other than 200 with its JSON message: bad input (400), unknown sync or run (404), a conflict (409). */
final class ApiException extends RuntimeException {

    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
