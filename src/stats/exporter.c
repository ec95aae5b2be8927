/*
 * exporter.c — the HTTP metrics exporter background worker.
 *
 * Started by the postmaster (shared memory, bound to no database: it shows in
 * pg_stat_activity but reads no catalog),
 * restarted STATS_EXPORTER_RESTART_S seconds after it dies. When
 * uphub.metrics_listen_address is empty it only waits for a reload. Otherwise
 * it listens on (address, uphub.metrics_port) and answers:
 *   GET|HEAD /metrics   200, text/plain; version=0.0.4 — the text of uphub.metrics()
 *   GET|HEAD /          200, a one-line pointer to /metrics
 *   other paths         404        other methods   405
 *   malformed request   400        header block over 8 KiB   431
 * Every response closes the connection.
 *
 * One thread, one loop: a WaitEventSet is built each iteration from the
 * latch, postmaster death, the listening socket and every client socket
 * (readable while reading the request, writable while sending), in a memory
 * context reset at the end of the iteration. Sockets are non-blocking. A
 * client gets STATS_EXPORTER_TIMEOUT_MS from accept to the end of its
 * response, after which it is dropped; at most STATS_EXPORTER_MAX_CLIENTS are
 * served at once (more are accepted and closed at once). Each client's
 * request and response live in its own memory context, deleted on close.
 *
 * The request reader is http.c (pure, fuzzed); the body is one snapshot of
 * the store formatted by prometheus.c, exactly what uphub.metrics() returns.
 * There is no authentication: bind the exporter to an address only the
 * scraper can reach.
 *
 * SIGHUP reloads the configuration; a changed address or port closes the
 * listening socket and binds the new one (clients in flight are finished).
 * A failed bind is logged once per setting and retried every few seconds.
 */
#include "postgres.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "stats/http.h"
#include "stats/stats_internal.h"

#define STATS_EXPORTER_MAX_CLIENTS 32
#define STATS_EXPORTER_REQUEST_MAX 8192
#define STATS_EXPORTER_TIMEOUT_MS  5000
#define STATS_EXPORTER_DRAIN_MS    1000
#define STATS_EXPORTER_RETRY_MS    5000
#define STATS_EXPORTER_RESTART_S   5

#define STATS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

PGDLLEXPORT void stats_exporter_main(Datum arg);

typedef enum ClientState
{
	CLIENT_FREE,
	CLIENT_READING,
	CLIENT_WRITING,
	CLIENT_DRAINING /* response sent, write side shut: wait for the client to close */
} ClientState;

typedef struct Client
{
	ClientState state;
	pgsocket sock;
	TimestampTz deadline;
	MemoryContext cxt;
	char request[STATS_EXPORTER_REQUEST_MAX];
	size_t request_len;
	StringInfoData response;
	size_t sent;
} Client;

static Client clients[STATS_EXPORTER_MAX_CLIENTS];
static pgsocket listen_sock = PGINVALID_SOCKET;
static char *bound_address = NULL; /* what listen_sock is bound to */
static int bound_port = 0;
static char *failed_address = NULL; /* last setting that failed to bind (logged once) */
static int failed_port = 0;
static TimestampTz next_bind_attempt = 0;

/* Register the worker; it serves only while an address is set. */
void
stats_exporter_register(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	/* A "connection" to no database, like the logical replication launcher: it
	 * puts the worker in pg_stat_activity, it reads no catalog. */
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_ConsistentState;
	worker.bgw_restart_time = STATS_EXPORTER_RESTART_S;
	strlcpy(worker.bgw_library_name, "uphub", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "stats_exporter_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "uphub metrics exporter", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "uphub metrics exporter", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* Close the listening socket, if any. */
static void
exporter_unlisten(void)
{
	if (listen_sock != PGINVALID_SOCKET)
		closesocket(listen_sock);
	listen_sock = PGINVALID_SOCKET;
	if (bound_address)
		pfree(bound_address);
	bound_address = NULL;
	bound_port = 0;
}

/* Does the listening socket match the settings? */
static bool
exporter_is_current(void)
{
	const char *address = stats_listen_address ? stats_listen_address : "";

	if (address[0] == '\0')
		return listen_sock == PGINVALID_SOCKET;
	return listen_sock != PGINVALID_SOCKET && bound_port == stats_metrics_port &&
	       strcmp(bound_address, address) == 0;
}

/* Bind and listen on the configured address; log a failure once per setting. */
static void
exporter_listen(void)
{
	const char *address = stats_listen_address;
	struct addrinfo hints;
	struct addrinfo *addrs = NULL;
	struct addrinfo *ai;
	char port[16];
	int rc;
	int saved_errno = 0;
	const char *failure = NULL;

	exporter_unlisten();
	if (address == NULL || address[0] == '\0')
		return;
	next_bind_attempt = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), STATS_EXPORTER_RETRY_MS);

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%d", stats_metrics_port);
	rc = getaddrinfo(strcmp(address, "*") == 0 ? NULL : address, port, &hints, &addrs);
	if (rc != 0)
		failure = gai_strerror(rc);
	for (ai = addrs; failure == NULL && ai != NULL; ai = ai->ai_next)
	{
		pgsocket sock = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		int one = 1;

		if (sock == PGINVALID_SOCKET)
		{
			saved_errno = errno;
			continue;
		}
		if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
		    bind(sock, ai->ai_addr, ai->ai_addrlen) != 0 || listen(sock, 64) != 0 ||
		    !pg_set_noblock(sock))
		{
			saved_errno = errno;
			closesocket(sock);
			continue;
		}
		listen_sock = sock;
		break;
	}
	if (addrs)
		freeaddrinfo(addrs);

	if (listen_sock != PGINVALID_SOCKET)
	{
		bound_address = MemoryContextStrdup(TopMemoryContext, address);
		bound_port = stats_metrics_port;
		ereport(LOG, (errmsg("uphub metrics exporter listening on %s port %d", address,
		                     stats_metrics_port)));
		return;
	}
	if (failed_address && strcmp(failed_address, address) == 0 && failed_port == stats_metrics_port)
		return;
	if (failed_address)
		pfree(failed_address);
	failed_address = MemoryContextStrdup(TopMemoryContext, address);
	failed_port = stats_metrics_port;
	ereport(WARNING, (errmsg("uphub metrics exporter could not listen on %s port %d: %s", address,
	                         stats_metrics_port, failure ? failure : strerror(saved_errno)),
	                  errhint("Check uphub.metrics_listen_address and uphub.metrics_port; "
	                          "the exporter retries every %d seconds.",
	                          STATS_EXPORTER_RETRY_MS / 1000)));
}

/* Forget a client: close its socket and free its memory. */
static void
client_close(Client *client)
{
	if (client->sock != PGINVALID_SOCKET)
		closesocket(client->sock);
	client->sock = PGINVALID_SOCKET;
	if (client->cxt)
		MemoryContextDelete(client->cxt);
	client->cxt = NULL;
	client->state = CLIENT_FREE;
}

/*
 * A response is one buffer: STATS_HEADER_ROOM bytes kept free at its start,
 * then the body. The status line and headers are written at the end of that
 * room once the body's length is known, and sending starts where they begin,
 * so a metrics body is formatted in place and never copied.
 */
#define STATS_HEADER_ROOM 512

/* Start a response buffer in the client's context: header room, no body yet. */
static void
client_response_start(Client *client)
{
	MemoryContext old = MemoryContextSwitchTo(client->cxt);

	initStringInfo(&client->response);
	appendStringInfoSpaces(&client->response, STATS_HEADER_ROOM);
	MemoryContextSwitchTo(old);
}

/* Write the headers before the body (body_len: what Content-Length says) and send. */
static void
client_response_finish(Client *client, int status, const char *reason, const char *content_type,
                       const char *extra_headers, size_t body_len)
{
	char header[STATS_HEADER_ROOM];
	int len;

	len = snprintf(header, sizeof(header),
	               "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
	               "Connection: close\r\n\r\n",
	               status, reason, content_type, body_len, extra_headers ? extra_headers : "");
	/* Only this file's constant reasons and headers get here: they fit. */
	Assert(len > 0 && len < STATS_HEADER_ROOM);
	memcpy(client->response.data + STATS_HEADER_ROOM - len, header, len);
	client->sent = STATS_HEADER_ROOM - len;
	client->state = CLIENT_WRITING;
}

/* Queue a complete response; the connection closes after it. */
static void
client_respond(Client *client, int status, const char *reason, const char *content_type,
               const char *extra_headers, const char *body, size_t body_len, bool with_body)
{
	client_response_start(client);
	if (with_body)
	{
		MemoryContext old = MemoryContextSwitchTo(client->cxt);

		appendBinaryStringInfo(&client->response, body, (int) body_len);
		MemoryContextSwitchTo(old);
	}
	client_response_finish(client, status, reason, content_type, extra_headers, body_len);
}

/* Queue a short plain-text response. */
static void
client_respond_text(Client *client, int status, const char *reason, const char *text,
                    const char *extra_headers, bool with_body)
{
	client_respond(client, status, reason, "text/plain; charset=utf-8", extra_headers, text,
	               strlen(text), with_body);
}

/* Answer a complete request. */
static void
client_answer(Client *client, const HttpRequest *req)
{
	bool with_body = !http_is_head(req);

	switch (http_route(req))
	{
		case HTTP_ROUTE_METRICS:
		{
			StatsSnapshot *snap = stats_snapshot_take(true); /* in the loop's context */
			MemoryContext old;
			size_t body_len;

			/* Format straight into the response, behind the header room. */
			client_response_start(client);
			old = MemoryContextSwitchTo(client->cxt);
			stats_format_prometheus(&client->response, snap);
			MemoryContextSwitchTo(old);
			body_len = client->response.len - STATS_HEADER_ROOM;
			if (!with_body)
				client->response.len = STATS_HEADER_ROOM;
			client_response_finish(client, 200, "OK", STATS_CONTENT_TYPE, NULL, body_len);
			break;
		}
		case HTTP_ROUTE_INDEX:
			client_respond_text(client, 200, "OK",
			                    "uphub metrics exporter: Prometheus metrics are at /metrics\n",
			                    NULL, with_body);
			break;
		case HTTP_ROUTE_NOT_FOUND:
			client_respond_text(client, 404, "Not Found", "not found: try /metrics\n", NULL,
			                    with_body);
			break;
		case HTTP_ROUTE_METHOD_NOT_ALLOWED:
			client_respond_text(client, 405, "Method Not Allowed", "method not allowed\n",
			                    "Allow: GET, HEAD\r\n", true);
			break;
	}
}

/* Read what the client sent and answer once the request is complete. */
static void
client_read(Client *client)
{
	HttpRequest req;
	ssize_t n;

	for (;;)
	{
		if (client->request_len >= sizeof(client->request))
			break;
		n = recv(client->sock, client->request + client->request_len,
		         sizeof(client->request) - client->request_len, 0);
		if (n > 0)
		{
			client->request_len += n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			break;
		/* Closed or failed before a complete request: nothing to answer. */
		client_close(client);
		return;
	}

	switch (http_parse_request(client->request, client->request_len, sizeof(client->request), &req))
	{
		case HTTP_INCOMPLETE:
			break;
		case HTTP_COMPLETE:
			client_answer(client, &req);
			break;
		case HTTP_BAD_REQUEST:
			client_respond_text(client, 400, "Bad Request", "bad request\n", NULL, true);
			break;
		case HTTP_TOO_LARGE:
			client_respond_text(client, 431, "Request Header Fields Too Large",
			                    "request header fields too large\n", NULL, true);
			break;
		case HTTP_BAD_VERSION:
			client_respond_text(client, 505, "HTTP Version Not Supported",
			                    "HTTP version not supported\n", NULL, true);
			break;
	}
}

/* Send what is left of the response; then shut the write side and drain. */
static void
client_write(Client *client)
{
	while (client->sent < (size_t) client->response.len)
	{
		ssize_t n = send(client->sock, client->response.data + client->sent,
		                 client->response.len - client->sent, MSG_NOSIGNAL);

		if (n > 0)
		{
			client->sent += n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		client_close(client);
		return;
	}
	/*
	 * Closing with unread input would reset the connection and could lose
	 * the response: shut our side, read until the client closes (or a short
	 * while passes).
	 */
	shutdown(client->sock, SHUT_WR);
	client->state = CLIENT_DRAINING;
	client->deadline = Min(client->deadline, TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
	                                                                     STATS_EXPORTER_DRAIN_MS));
}

/* Discard input until the client closes. */
static void
client_drain(Client *client)
{
	char buf[1024];

	for (;;)
	{
		ssize_t n = recv(client->sock, buf, sizeof(buf), 0);

		if (n > 0)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		client_close(client);
		return;
	}
}

/* Accept every pending connection; beyond capacity, close them at once. */
static void
exporter_accept(void)
{
	for (;;)
	{
		pgsocket sock = accept(listen_sock, NULL, NULL);
		int i;

		if (sock == PGINVALID_SOCKET)
			return; /* EAGAIN, or an error the next round may not have */
		for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
			if (clients[i].state == CLIENT_FREE)
				break;
		if (i == STATS_EXPORTER_MAX_CLIENTS || !pg_set_noblock(sock))
		{
			closesocket(sock);
			continue;
		}
		clients[i].state = CLIENT_READING;
		clients[i].sock = sock;
		clients[i].request_len = 0;
		clients[i].sent = 0;
		clients[i].deadline =
		    TimestampTzPlusMilliseconds(GetCurrentTimestamp(), STATS_EXPORTER_TIMEOUT_MS);
		clients[i].cxt = AllocSetContextCreate(TopMemoryContext, "uphub exporter client",
		                                       ALLOCSET_DEFAULT_SIZES);
	}
}

/* Drop clients past their deadline; return ms until the next deadline (-1: none). */
static long
exporter_expire(void)
{
	TimestampTz now = GetCurrentTimestamp();
	TimestampTz next = 0;
	int i;

	for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
	{
		if (clients[i].state == CLIENT_FREE)
			continue;
		if (clients[i].deadline <= now)
		{
			client_close(&clients[i]);
			continue;
		}
		if (next == 0 || clients[i].deadline < next)
			next = clients[i].deadline;
	}
	if (stats_listen_address && stats_listen_address[0] != '\0' &&
	    listen_sock == PGINVALID_SOCKET && (next == 0 || next_bind_attempt < next))
		next = next_bind_attempt;
	if (next == 0)
		return -1;
	return Max(1, (long) ((next - now + 999) / 1000));
}

/* Worker entry point: serve until shutdown. */
void
stats_exporter_main(Datum arg)
{
	MemoryContext loop_cxt;
	int i;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	pgstat_report_activity(STATE_IDLE, NULL);

	for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
	{
		clients[i].state = CLIENT_FREE;
		clients[i].sock = PGINVALID_SOCKET;
		clients[i].cxt = NULL;
	}
	loop_cxt =
	    AllocSetContextCreate(TopMemoryContext, "uphub exporter loop", ALLOCSET_DEFAULT_SIZES);

	exporter_listen();
	for (;;)
	{
		WaitEventSet *set;
		WaitEvent events[STATS_EXPORTER_MAX_CLIENTS + 3];
		int nevents;
		long timeout;
		int k;

		if (ShutdownRequestPending)
			break;
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			if (!exporter_is_current())
				exporter_listen();
		}
		if (listen_sock == PGINVALID_SOCKET && stats_listen_address &&
		    stats_listen_address[0] != '\0' && GetCurrentTimestamp() >= next_bind_attempt)
			exporter_listen();

		timeout = exporter_expire();
		MemoryContextSwitchTo(loop_cxt);
		set = CreateWaitEventSet(loop_cxt, STATS_EXPORTER_MAX_CLIENTS + 3);
		AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
		AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
		if (listen_sock != PGINVALID_SOCKET)
			AddWaitEventToSet(set, WL_SOCKET_READABLE, listen_sock, NULL, NULL);
		for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
			if (clients[i].state != CLIENT_FREE)
				AddWaitEventToSet(set,
				                  clients[i].state == CLIENT_WRITING ? WL_SOCKET_WRITEABLE
				                                                     : WL_SOCKET_READABLE,
				                  clients[i].sock, NULL, &clients[i]);

		nevents = WaitEventSetWait(set, timeout, events, lengthof(events), PG_WAIT_EXTENSION);
		for (k = 0; k < nevents; k++)
		{
			WaitEvent *ev = &events[k];
			Client *client = ev->user_data;

			if (ev->events & WL_LATCH_SET)
				ResetLatch(MyLatch);
			else if (ev->fd == listen_sock && client == NULL)
				exporter_accept();
			else if (client != NULL && client->state == CLIENT_READING)
				client_read(client);
			else if (client != NULL && client->state == CLIENT_WRITING)
				client_write(client);
			else if (client != NULL && client->state == CLIENT_DRAINING)
				client_drain(client);
		}
		/* A request answered this round can often be sent at once. */
		for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
			if (clients[i].state == CLIENT_WRITING)
				client_write(&clients[i]);

		FreeWaitEventSet(set);
		MemoryContextSwitchTo(TopMemoryContext);
		MemoryContextReset(loop_cxt);
		CHECK_FOR_INTERRUPTS();
	}

	for (i = 0; i < STATS_EXPORTER_MAX_CLIENTS; i++)
		if (clients[i].state != CLIENT_FREE)
			client_close(&clients[i]);
	exporter_unlisten();
	/* Exit status 1: if this was not a server shutdown, the postmaster restarts us. */
	proc_exit(1);
}
