/*
 * http_fuzz.c — libFuzzer target for the exporter's HTTP request reader
 * (src/stats/http.c).
 *
 * Properties checked on every input, besides the sanitizers' own:
 * - every span the reader returns lies inside the input;
 * - a complete request's header block fits the limit and the input;
 * - reading byte by byte agrees with reading at once: a prefix is never
 *   complete or wrong where the whole input says otherwise, so the exporter
 *   may answer as soon as a request is complete.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/http.h"

#define LIMIT 8192

/* Abort (a finding) when a property does not hold. */
static void
check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: parse it whole and by prefixes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy so ASan sees reads past the end. */
	char *buf = malloc(size ? size : 1);
	HttpRequest req;
	HttpParseStatus whole;
	size_t n;

	memcpy(buf, data, size);
	whole = http_parse_request(buf, size, LIMIT, &req);
	if (whole == HTTP_COMPLETE)
	{
		check(req.header_len > 0 && req.header_len <= size && req.header_len <= LIMIT);
		check(req.method >= buf && req.method + req.method_len <= buf + size);
		check(req.path >= buf && req.path + req.path_len <= buf + size);
		check(req.minor_version == 0 || req.minor_version == 1);
		(void) http_route(&req);
		(void) http_is_head(&req);
	}
	for (n = 0; n < size && n < 2048; n++)
	{
		HttpRequest part;
		HttpParseStatus status = http_parse_request(buf, n, LIMIT, &part);

		if (status == HTTP_COMPLETE)
		{
			/* Complete on a prefix: the whole input is complete with the same head. */
			check(whole == HTTP_COMPLETE && part.header_len == req.header_len);
			break;
		}
		if (status == HTTP_BAD_REQUEST || status == HTTP_BAD_VERSION)
		{
			check(whole == status);
			break;
		}
	}
	free(buf);
	return 0;
}
