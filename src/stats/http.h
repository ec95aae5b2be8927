/*
 * http.h — the HTTP/1.x request reader of the metrics exporter.
 *
 * Pure C with no PostgreSQL headers, so the libFuzzer target
 * (test/fuzz/http_fuzz.c) and the unit test build it alone. It reads the
 * request line and the header block of one request from a buffer that may
 * hold only its beginning, and says whether the request is complete, needs
 * more bytes, is malformed or is too large. It never reads past len and
 * never allocates.
 */
#ifndef UPHUB_STATS_HTTP_H
#define UPHUB_STATS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef enum HttpParseStatus
{
	HTTP_INCOMPLETE,  /* valid so far; read more */
	HTTP_COMPLETE,    /* request line and headers read */
	HTTP_BAD_REQUEST, /* malformed: answer 400 */
	HTTP_TOO_LARGE,   /* header block over the limit: answer 431 */
	HTTP_BAD_VERSION  /* not HTTP/1.0 or HTTP/1.1: answer 505 */
} HttpParseStatus;

typedef struct HttpRequest
{
	const char *method; /* points into the buffer; not NUL-terminated */
	size_t method_len;
	const char *path; /* request target up to '?' or '#' */
	size_t path_len;
	int minor_version; /* HTTP/1.<minor_version> */
	size_t header_len; /* bytes of request line + headers + blank line */
} HttpRequest;

typedef enum HttpRoute
{
	HTTP_ROUTE_METRICS,           /* GET or HEAD /metrics */
	HTTP_ROUTE_INDEX,             /* GET or HEAD / */
	HTTP_ROUTE_NOT_FOUND,         /* another path: 404 */
	HTTP_ROUTE_METHOD_NOT_ALLOWED /* another method: 405 */
} HttpRoute;

/* Read one request from buf[0..len); limit caps the header block. */
extern HttpParseStatus http_parse_request(const char *buf, size_t len, size_t limit,
                                          HttpRequest *req);

/* Where a complete request goes. */
extern HttpRoute http_route(const HttpRequest *req);

/* Is the method HEAD (answer without a body)? */
extern bool http_is_head(const HttpRequest *req);

#endif /* UPHUB_STATS_HTTP_H */
