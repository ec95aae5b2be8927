/*
 * ingest_decode.h — one ingest line to one decoded record, or a reject reason.
 *
 * The decoder is a pure function (no I/O, no clock: the caller passes "now"),
 * shared by uphub-ingest, its unit tests and its fuzz target. A record that
 * decodes is one the uphub tables accept: every CHECK constraint of the
 * schema that can be decided from the line alone is checked here, so one bad
 * line never fails a whole COPY batch.
 */
#ifndef UPHUB_INGEST_DECODE_H
#define UPHUB_INGEST_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* What a line is about. */
typedef enum IngestKind
{
	INGEST_VIDEO,    /* x/web-interface/view */
	INGEST_RELATION, /* x/relation/stat */
	INGEST_UPSTAT,   /* x/space/upstat */
	INGEST_CARD,     /* x/web-interface/card */
} IngestKind;

/* Why a line was rejected; the reason text starts with ingest_status_name(). */
typedef enum IngestStatus
{
	INGEST_OK = 0,
	INGEST_INVALID_JSON,     /* not parseable JSON (or not UTF-8, or a \u0000) */
	INGEST_MISSING_FIELD,    /* a required key is absent or null */
	INGEST_BAD_TYPE,         /* a key holds the wrong JSON type */
	INGEST_BAD_VALUE,        /* right type, value the tables would refuse */
	INGEST_UNKNOWN_ENDPOINT, /* endpoint is none of the four */
	INGEST_API_ERROR,        /* the site answered with a non-zero code */
} IngestStatus;

/* Counters, ranks and optional integers use this for SQL NULL. */
#define INGEST_NULL INT64_MIN

#define INGEST_MAX_STAFF 64

typedef struct IngestStaff
{
	int64_t mid;
	const char *title;
	const char *name; /* NULL when absent */
	const char *face;
} IngestStaff;

/* A partition as a line names it; tid 0 = none. */
typedef struct IngestPartition
{
	int64_t tid;
	const char *name;
	int64_t parent_tid; /* 0 = unknown */
	const char *parent_name;
} IngestPartition;

/*
 * A decoded line. Strings point into the parsed JSON document, which the
 * record owns until ingest_record_free(). Times are microseconds since the
 * Unix epoch (INGEST_NULL when absent).
 */
typedef struct IngestRecord
{
	IngestKind kind;
	int64_t observed_at;
	int64_t mid; /* owner (video) or the creator */

	/* video */
	int64_t aid;
	const char *bvid;
	IngestPartition partition;
	const char *title;
	int64_t pubdate;
	int64_t duration;
	int64_t copyright;
	int64_t state;
	const char *owner_name;
	const char *owner_face;
	int64_t view, danmaku, reply, favorite, coin, share, like, his_rank, now_rank;
	IngestStaff staff[INGEST_MAX_STAFF];
	int n_staff;

	/* relation, upstat and card counters */
	int64_t follower, following, archive_view, likes;

	/* card */
	const char *name;
	const char *face;
	const char *sign;
	const char *sex;
	int64_t level;
	int64_t official_type;
	int64_t vip_type;
	int64_t joined_at;
	IngestPartition main_partition;
	int64_t mcn_id; /* 0 = in no MCN */
	const char *mcn_name;

	void *document; /* the json_t root */
} IngestRecord;

/* Lower bound of every time the schema accepts: 2009-06-26 00:00+08. */
#define INGEST_SITE_EPOCH 1245945600LL

/*
 * Decode one line (without its newline). now is the current Unix time in
 * seconds: times later than now + 1 day are refused, as the schema does.
 * On INGEST_OK the record must be released with ingest_record_free(); on
 * any other status reason holds "<status name>: <detail>" and nothing needs
 * releasing.
 */
extern IngestStatus ingest_decode(const char *line, size_t len, int64_t now, IngestRecord *rec,
                                  char *reason, size_t reason_size);

extern void ingest_record_free(IngestRecord *rec);

/* The stable name of a status ("missing_field", ...), used in reject files. */
extern const char *ingest_status_name(IngestStatus status);

/* The endpoint string of a kind. */
extern const char *ingest_kind_endpoint(IngestKind kind);

#endif
