/*
 * stats_http_test.c — table-driven tests of the exporter's HTTP request
 * reader (src/stats/http.c): what is complete, incomplete, malformed or too
 * large, and where each request goes. Prints "N passed, N failed" last.
 */
#include <stdio.h>
#include <string.h>

#include "stats/http.h"

typedef struct Case
{
	const char *name;
	const char *input;
	size_t limit;
	HttpParseStatus status;
	int route; /* HttpRoute when complete, else -1 */
	const char *path;
	int head;
} Case;

static const Case cases[] = {
    {"scrape", "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", 8192, HTTP_COMPLETE,
     HTTP_ROUTE_METRICS, "/metrics", 0},
    {"index http/1.0", "GET / HTTP/1.0\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_INDEX, "/", 0},
    {"bare LF", "GET /metrics HTTP/1.1\nHost: x\n\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_METRICS,
     "/metrics", 0},
    {"query string", "GET /metrics?name[]=a HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE,
     HTTP_ROUTE_METRICS, "/metrics", 0},
    {"fragment", "GET /#x HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_INDEX, "/", 0},
    {"head", "HEAD /metrics HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_METRICS, "/metrics",
     1},
    {"post", "POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", 8192, HTTP_COMPLETE,
     HTTP_ROUTE_METHOD_NOT_ALLOWED, "/metrics", 0},
    {"lower-case get", "get /metrics HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE,
     HTTP_ROUTE_METHOD_NOT_ALLOWED, "/metrics", 0},
    {"other path", "GET /metricsx HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_NOT_FOUND,
     "/metricsx", 0},
    {"asterisk", "OPTIONS * HTTP/1.1\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_METHOD_NOT_ALLOWED,
     "*", 0},
    {"empty header value", "GET / HTTP/1.1\r\nX:\r\n\r\n", 8192, HTTP_COMPLETE, HTTP_ROUTE_INDEX,
     "/", 0},
    {"utf-8 header value", "GET / HTTP/1.1\r\nX: \xc3\xa9t\xc3\xa9\r\n\r\n", 8192, HTTP_COMPLETE,
     HTTP_ROUTE_INDEX, "/", 0},
    {"empty", "", 8192, HTTP_INCOMPLETE, -1, NULL, 0},
    {"half a method", "GE", 8192, HTTP_INCOMPLETE, -1, NULL, 0},
    {"line without end", "GET /metrics HTTP/1.1", 8192, HTTP_INCOMPLETE, -1, NULL, 0},
    {"CR at the end", "GET /metrics HTTP/1.1\r", 8192, HTTP_INCOMPLETE, -1, NULL, 0},
    {"headers without end", "GET /metrics HTTP/1.1\r\nHost: x\r\n", 8192, HTTP_INCOMPLETE, -1, NULL,
     0},
    {"no target", "GET HTTP/1.1\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"two spaces", "GET  /metrics HTTP/1.1\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"relative target", "GET metrics HTTP/1.1\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"no version", "GET /metrics\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"junk version", "GET /metrics HTTQ/1.1\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"http/2", "GET /metrics HTTP/2.0\r\n\r\n", 8192, HTTP_BAD_VERSION, -1, NULL, 0},
    {"http/1.2", "GET /metrics HTTP/1.2\r\n\r\n", 8192, HTTP_BAD_VERSION, -1, NULL, 0},
    {"lone CR", "GET /metrics HTTP/1.1\rX\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"NUL in method", "G\0T / HTTP/1.1\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"TLS hello", "\x16\x03\x01\x02", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"wrong early", "GET\t/", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"obs-fold", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"space before colon", "GET / HTTP/1.1\r\nX : a\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"control in value", "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n", 8192, HTTP_BAD_REQUEST, -1, NULL, 0},
    {"over the limit", "GET /metrics HTTP/1.1\r\nHost: a-rather-long-host\r\n\r\n", 32,
     HTTP_TOO_LARGE, -1, NULL, 0},
    {"long target over the limit", "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 16,
     HTTP_TOO_LARGE, -1, NULL, 0},
    {"exactly at the limit", "GET / HTTP/1.1\r\n\r\n", 18, HTTP_COMPLETE, HTTP_ROUTE_INDEX, "/", 0},
};

/* Length of a case's input (inputs with NUL give it by the first field). */
static size_t
case_len(const Case *c)
{
	if (strcmp(c->name, "NUL in method") == 0)
		return 18;
	return strlen(c->input);
}

int
main(void)
{
	int passed = 0;
	int failed = 0;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const Case *c = &cases[i];
		HttpRequest req;
		HttpParseStatus status = http_parse_request(c->input, case_len(c), c->limit, &req);
		int ok = status == c->status;

		if (ok && status == HTTP_COMPLETE)
		{
			ok = (int) http_route(&req) == c->route && req.path_len == strlen(c->path) &&
			     memcmp(req.path, c->path, req.path_len) == 0 && http_is_head(&req) == c->head;
			if (strcmp(c->name, "post") != 0)
				ok = ok && req.header_len == case_len(c);
		}
		if (ok)
			passed++;
		else
		{
			failed++;
			printf("FAIL %s: status %d, expected %d\n", c->name, (int) status, (int) c->status);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed > 0;
}
