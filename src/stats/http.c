/*
 * http.c — the HTTP/1.x request reader of the metrics exporter (see http.h).
 *
 * Grammar accepted (RFC 9112, strict where it costs nothing):
 *   request-line = method SP request-target SP "HTTP/1." DIGIT CRLF
 *   header-line  = field-name ":" field-value CRLF   (no obs-fold)
 *   end          = CRLF
 * A bare LF is accepted in place of CRLF; a CR not followed by LF is not.
 * method and field-name are tokens; the request-target is visible ASCII
 * starting with "/" (origin form) or "*"; field values are visible
 * characters, SP, HTAB or obs-text. Errors in the request line are reported
 * as soon as it is seen, without waiting for the whole header block. The
 * body, if any, is ignored: the exporter answers and closes.
 */
#include "stats/http.h"

#include <string.h>

/* RFC 9110 tchar. */
static bool
http_is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A byte allowed in a field value. */
static bool
http_is_field_char(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/*
 * Find the end of the line starting at pos: sets *eol to the index of CR or
 * LF and *next to the first byte of the next line. Returns false when the
 * buffer ends first; *bad is set for a CR not followed by LF.
 */
static bool
http_find_line(const char *buf, size_t len, size_t pos, size_t *eol, size_t *next, bool *bad)
{
	size_t i;

	*bad = false;
	for (i = pos; i < len; i++)
	{
		if (buf[i] == '\n')
		{
			*eol = i;
			*next = i + 1;
			return true;
		}
		if (buf[i] == '\r')
		{
			if (i + 1 >= len)
				return false;
			if (buf[i + 1] != '\n')
			{
				*bad = true;
				return false;
			}
			*eol = i;
			*next = i + 2;
			return true;
		}
	}
	return false;
}

/* Check a request line buf[0..eol) and fill req. */
static HttpParseStatus
http_parse_request_line(const char *buf, size_t eol, HttpRequest *req)
{
	size_t i = 0;
	size_t target_start;
	size_t target_end;
	size_t path_end;
	static const char version_prefix[] = "HTTP/";

	while (i < eol && http_is_tchar((unsigned char) buf[i]))
		i++;
	if (i == 0 || i >= eol || buf[i] != ' ')
		return HTTP_BAD_REQUEST;
	req->method = buf;
	req->method_len = i;
	i++;

	target_start = i;
	while (i < eol && (unsigned char) buf[i] > 0x20 && (unsigned char) buf[i] < 0x7f)
		i++;
	target_end = i;
	if (target_end == target_start || i >= eol || buf[i] != ' ')
		return HTTP_BAD_REQUEST;
	if (buf[target_start] != '/' && !(buf[target_start] == '*' && target_end == target_start + 1))
		return HTTP_BAD_REQUEST;
	path_end = target_start;
	while (path_end < target_end && buf[path_end] != '?' && buf[path_end] != '#')
		path_end++;
	req->path = buf + target_start;
	req->path_len = path_end - target_start;
	i++;

	if (eol - i != 8 || memcmp(buf + i, version_prefix, 5) != 0)
		return HTTP_BAD_REQUEST;
	if (buf[i + 5] < '0' || buf[i + 5] > '9' || buf[i + 6] != '.' || buf[i + 7] < '0' ||
	    buf[i + 7] > '9')
		return HTTP_BAD_REQUEST;
	if (buf[i + 5] != '1' || buf[i + 7] > '1')
		return HTTP_BAD_VERSION;
	req->minor_version = buf[i + 7] - '0';
	return HTTP_COMPLETE;
}

/* Check one header line buf[start..eol). */
static bool
http_header_line_is_valid(const char *buf, size_t start, size_t eol)
{
	size_t i = start;

	while (i < eol && http_is_tchar((unsigned char) buf[i]))
		i++;
	if (i == start || i >= eol || buf[i] != ':')
		return false;
	for (i++; i < eol; i++)
		if (!http_is_field_char((unsigned char) buf[i]))
			return false;
	return true;
}

/* Read one request from buf[0..len); see http.h. */
HttpParseStatus
http_parse_request(const char *buf, size_t len, size_t limit, HttpRequest *req)
{
	size_t eol;
	size_t pos;
	bool bad;
	HttpParseStatus status;

	memset(req, 0, sizeof(*req));
	if (len > limit)
		len = limit;

	if (!http_find_line(buf, len, 0, &eol, &pos, &bad))
	{
		if (bad)
			return HTTP_BAD_REQUEST;
		/* Catch a request line that is already wrong before it ends. */
		{
			size_t i = 0;

			while (i < len && http_is_tchar((unsigned char) buf[i]))
				i++;
			if (i < len && buf[i] != ' ')
				return HTTP_BAD_REQUEST;
		}
		return len >= limit ? HTTP_TOO_LARGE : HTTP_INCOMPLETE;
	}
	status = http_parse_request_line(buf, eol, req);
	if (status != HTTP_COMPLETE)
		return status;

	for (;;)
	{
		size_t next;

		if (!http_find_line(buf, len, pos, &eol, &next, &bad))
		{
			if (bad)
				return HTTP_BAD_REQUEST;
			return len >= limit ? HTTP_TOO_LARGE : HTTP_INCOMPLETE;
		}
		if (eol == pos)
		{
			req->header_len = next;
			return HTTP_COMPLETE;
		}
		if (!http_header_line_is_valid(buf, pos, eol))
			return HTTP_BAD_REQUEST;
		pos = next;
	}
}

/* Is a (method or path) span equal to a string? */
static bool
http_span_is(const char *span, size_t len, const char *text)
{
	return len == strlen(text) && memcmp(span, text, len) == 0;
}

/* Is the method HEAD? */
bool
http_is_head(const HttpRequest *req)
{
	return http_span_is(req->method, req->method_len, "HEAD");
}

/* Where a complete request goes: only GET and HEAD, only / and /metrics. */
HttpRoute
http_route(const HttpRequest *req)
{
	if (!http_span_is(req->method, req->method_len, "GET") && !http_is_head(req))
		return HTTP_ROUTE_METHOD_NOT_ALLOWED;
	if (http_span_is(req->path, req->path_len, "/metrics"))
		return HTTP_ROUTE_METRICS;
	if (http_span_is(req->path, req->path_len, "/"))
		return HTTP_ROUTE_INDEX;
	return HTTP_ROUTE_NOT_FOUND;
}
