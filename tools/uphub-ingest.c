/*
 * uphub-ingest — load ingest lines (API.md, "Tools") into the uphub tables.
 *
 * Phases, per batch of --batch good lines:
 *   1. decode: every line goes through ingest_decode() (tools/ingest_decode.c);
 *      a bad line goes to the reject file at once, a good one becomes rows of
 *      COPY text in one buffer per staging table (temp tables, ON COMMIT
 *      DELETE ROWS), with each line's byte range remembered;
 *   2. load: in one transaction, COPY the buffers into the staging tables and
 *      run the set-based upserts (partition, mcn, creator, video, video_staff,
 *      video_snapshot, creator_snapshot), creating snapshot partitions first
 *      through uphub.ensure_snapshot_partitions();
 *   3. commit: a batch is acknowledged only when COMMIT returns.
 * Threads: the main thread reads lines into chunks; --decoders threads
 * decode chunks into their own batches (phase 1); --jobs loader threads (each
 * with its own connection and staging tables) load batches concurrently.
 * Shared state (counters, the reject file, the sets of creators, partitions
 * and months known to be committed) is guarded by Run.lock; the known sets
 * only spare staging rows that would change nothing. Rejects are written as
 * the decoders meet them, so the reject file is not in input order.
 *
 * Invariants:
 * - Idempotent: snapshots are inserted ON CONFLICT on their primary key
 *   (a duplicate adds nothing; a creator snapshot seen through two endpoints
 *   at the same instant has its NULL columns filled, never overwritten);
 *   dimensions change only for a strictly newer observed_at (updated_at holds
 *   the winning observation), so re-running a file changes nothing.
 * - Crash-safe: a server failure loses only the open batch; a re-run replays
 *   the file and the committed part adds nothing.
 * - Isolation of bad lines: the decoder refuses what the constraints would;
 *   if a batch still fails server-side with a data error (class 22, 23, P0),
 *   it is retried in halves until the guilty lines stand alone and are
 *   rejected with the server's message. Serialization failures and deadlocks
 *   are retried; any other error stops the run (exit 2).
 * - Row counts per table are kept per batch (BatchRows) so that one call at
 *   commit can report them to uphub's stats.
 * - Order-independent, so batches may commit in any order: the final state
 *   depends only on the set of lines, except where the schema keeps no
 *   observation time (partition and MCN names, placeholder creators: the
 *   last / first batch to commit wins).
 *
 * Creators referenced before their card is seen (video owners, relation and
 * upstat lines) are inserted as placeholders: the owner's name and face when
 * the line has them, else the site's default name bili_<mid>, and updated_at
 * at the site's launch (2009-06-26) so that any card wins over them.
 */
#include "ingest_decode.h"

#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

const char *buf_program_name = "uphub-ingest";
#include <time.h>

/* ------------------------------------------------------------------------ */
/* Buffers                                                                  */
/* ------------------------------------------------------------------------ */


static void
fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uphub-ingest: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/*
 * A growable set of non-zero 64-bit keys (open addressing): creators and
 * partitions known to be committed, so their rows are not staged again.
 */
typedef struct KeySet
{
	uint64_t *slot;
	size_t mask;
	size_t n;
} KeySet;

static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
keyset_has(const KeySet *s, uint64_t key)
{
	size_t i;

	if (!s->slot)
		return 0;
	for (i = (size_t) mix64(key) & s->mask; s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == key)
			return 1;
	return 0;
}

static void
keyset_add(KeySet *s, uint64_t key)
{
	size_t i;

	if (!s->slot || (s->n + 1) * 2 > s->mask + 1)
	{
		KeySet grown = {NULL, s->slot ? s->mask * 2 + 1 : 4095, 0};

		grown.slot = calloc(grown.mask + 1, sizeof(uint64_t));
		if (!grown.slot)
			fatal("out of memory");
		for (size_t k = 0; s->slot && k <= s->mask; k++)
			if (s->slot[k])
				keyset_add(&grown, s->slot[k]);
		free(s->slot);
		*s = grown;
	}
	for (i = (size_t) mix64(key) & s->mask; s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == key)
			return;
	s->slot[i] = key;
	s->n++;
}

/* The identity of a partition row as staged: tid, parent and a hash of the name. */
static uint64_t
partition_key(int64_t tid, int64_t parent_tid, const char *name)
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *c = (const unsigned char *) name; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	return mix64(h ^ mix64((uint64_t) tid << 32 ^ (uint64_t) parent_tid)) | 1;
}

/* ------------------------------------------------------------------------ */
/* COPY text format                                                         */
/* ------------------------------------------------------------------------ */

static void
copy_i64(Buf *b, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u;

	if (v == INGEST_NULL)
	{
		PUTS(b, "\\N");
		return;
	}
	u = v < 0 ? (uint64_t) (-(v + 1)) + 1 : (uint64_t) v;
	do
	{
		tmp[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	buf_reserve(b, (size_t) n + 1);
	if (v < 0)
		b->p[b->len++] = '-';
	while (n)
		b->p[b->len++] = tmp[--n];
}

/* An id where 0 means "none" (partition tid, mcn id). */
static void
copy_id0(Buf *b, int64_t v)
{
	copy_i64(b, v == 0 ? INGEST_NULL : v);
}

static void
copy_pad(Buf *b, int64_t v, int width)
{
	buf_reserve(b, (size_t) width);
	for (int i = width - 1; i >= 0; i--)
	{
		b->p[b->len + i] = (char) ('0' + v % 10);
		v /= 10;
	}
	b->len += (size_t) width;
}

/* Microseconds since the epoch as an ISO timestamp in UTC (no strftime). */
static void
copy_time(Buf *b, int64_t us)
{
	int64_t secs, days, sod, z, era, doe, yoe, doy, mp, d, m, y;

	if (us == INGEST_NULL)
	{
		PUTS(b, "\\N");
		return;
	}
	secs = us / 1000000;
	days = secs / 86400;
	sod = secs % 86400;
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	copy_pad(b, y, 4);
	buf_putc(b, '-');
	copy_pad(b, m, 2);
	buf_putc(b, '-');
	copy_pad(b, d, 2);
	buf_putc(b, ' ');
	copy_pad(b, sod / 3600, 2);
	buf_putc(b, ':');
	copy_pad(b, sod / 60 % 60, 2);
	buf_putc(b, ':');
	copy_pad(b, sod % 60, 2);
	if (us % 1000000)
	{
		buf_putc(b, '.');
		copy_pad(b, us % 1000000, 6);
	}
	PUTS(b, "+00");
}

/* Text with COPY's escapes; NULL pointer is \N. */
static void
copy_text(Buf *b, const char *s)
{
	if (!s)
	{
		PUTS(b, "\\N");
		return;
	}
	for (; *s; s++)
	{
		switch (*s)
		{
			case '\\':
				PUTS(b, "\\\\");
				break;
			case '\t':
				PUTS(b, "\\t");
				break;
			case '\n':
				PUTS(b, "\\n");
				break;
			case '\r':
				PUTS(b, "\\r");
				break;
			default:
				buf_putc(b, *s);
		}
	}
}

#define TAB(b) buf_putc((b), '\t')
#define EOL(b) buf_putc((b), '\n')

/* ------------------------------------------------------------------------ */
/* Staging tables and the batch                                             */
/* ------------------------------------------------------------------------ */

enum
{
	STG_VIDEO,
	STG_STAFF,
	STG_CREATOR,
	STG_PARTITION,
	STG_MCN,
	STG_CSNAP,
	N_STG
};

static const char *const stg_copy[N_STG] = {
    "COPY uphub_stg_video FROM STDIN",   "COPY uphub_stg_staff FROM STDIN",
    "COPY uphub_stg_creator FROM STDIN", "COPY uphub_stg_partition FROM STDIN",
    "COPY uphub_stg_mcn FROM STDIN",     "COPY uphub_stg_csnap FROM STDIN",
};

static const char stg_create[] =
    "CREATE TEMP TABLE uphub_stg_video (line_no int, observed_at timestamptz, aid int8,"
    " bvid text, mid int8, tid int4, title text, pubdate timestamptz, duration int4,"
    " copyright int2, state int2, view int8, danmaku int8, reply int8, favorite int8,"
    " coin int8, share int8, \"like\" int8, his_rank int4, now_rank int4) ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_vwin (LIKE uphub_stg_video) ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_staff (line_no int, aid int8, mid int8, staff_mid int8,"
    " title text) ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_creator (line_no int, observed_at timestamptz, mid int8,"
    " is_card bool, name text, face text, sign text, level int2, sex text,"
    " official_type int2, vip_type int2, main_tid int4, mcn_id int8, joined_at timestamptz)"
    " ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_partition (line_no int, tid int4, parent_tid int4, name text)"
    " ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_mcn (line_no int, mcn_id int8, name text) ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE uphub_stg_csnap (line_no int, mid int8, observed_at timestamptz,"
    " follower int8, following int8, archive_view int8, likes int8) ON COMMIT DELETE ROWS;";

/* Tables whose written rows are counted (uphub_ingest_rows_total{table}). */
enum
{
	ROWS_PARTITION,
	ROWS_MCN,
	ROWS_CREATOR,
	ROWS_VIDEO,
	ROWS_VIDEO_STAFF,
	ROWS_VIDEO_SNAPSHOT,
	ROWS_CREATOR_SNAPSHOT,
	N_ROWS
};

static const char *const rows_names[N_ROWS] = {
    "partition", "mcn", "creator", "video", "video_staff", "video_snapshot", "creator_snapshot",
};

typedef struct BatchRows
{
	int64_t n[N_ROWS];
} BatchRows;

/*
 * The upserts of one batch, in order. Each reports the rows it wrote through
 * its command tag, or through its single result value when `counted`.
 */
typedef struct Step
{
	int source; /* STG_* it reads: the step is skipped when the batch staged none */
	int table;  /* ROWS_* it writes, -1 none */
	int counted;
	const char *sql;
} Step;

/*
 * A card that cannot win (the committed creator is as new) is dropped before
 * the upsert: ON CONFLICT DO UPDATE locks the row before it evaluates its
 * WHERE, so a late card would otherwise wait for a concurrent loader that
 * updated the same creator, for nothing (updated_at only grows, so the
 * filter changes no result).
 */
static const Step steps[] = {
    {STG_PARTITION, ROWS_PARTITION, 0,
     "INSERT INTO uphub.partition AS p (tid, parent_tid, name)"
     " SELECT DISTINCT ON (s.tid) s.tid, s.parent_tid, s.name FROM uphub_stg_partition s"
     " WHERE NOT EXISTS (SELECT 1 FROM uphub.partition q WHERE q.tid = s.tid AND q.name = s.name"
     "   AND q.parent_tid IS NOT DISTINCT FROM coalesce(s.parent_tid, q.parent_tid))"
     " ORDER BY s.tid, s.parent_tid IS NULL, s.line_no DESC"
     " ON CONFLICT (tid) DO UPDATE SET name = excluded.name,"
     "   parent_tid = coalesce(excluded.parent_tid, p.parent_tid)"},
    {STG_MCN, ROWS_MCN, 0,
     "INSERT INTO uphub.mcn AS m (mcn_id, name)"
     " SELECT DISTINCT ON (s.mcn_id) s.mcn_id, s.name FROM uphub_stg_mcn s"
     " WHERE NOT EXISTS (SELECT 1 FROM uphub.mcn q WHERE q.mcn_id = s.mcn_id AND q.name = s.name)"
     " ORDER BY s.mcn_id, s.line_no DESC"
     " ON CONFLICT (mcn_id) DO UPDATE SET name = excluded.name"},
    {STG_CREATOR, ROWS_CREATOR, 0,
     "INSERT INTO uphub.creator AS c (mid, name, face, sign, level, sex, official_type, vip_type,"
     "   main_tid, mcn_id, joined_at, updated_at)"
     " SELECT DISTINCT ON (s.mid) s.mid, s.name, s.face, s.sign, s.level, s.sex, s.official_type,"
     "   s.vip_type, s.main_tid, s.mcn_id, s.joined_at, s.observed_at"
     " FROM uphub_stg_creator s WHERE s.is_card"
     "   AND NOT EXISTS (SELECT 1 FROM uphub.creator q WHERE q.mid = s.mid"
     "     AND q.updated_at >= s.observed_at)"
     " ORDER BY s.mid, s.observed_at DESC, s.line_no"
     " ON CONFLICT (mid) DO UPDATE SET name = excluded.name, face = excluded.face,"
     "   sign = excluded.sign, level = excluded.level, sex = excluded.sex,"
     "   official_type = excluded.official_type, vip_type = excluded.vip_type,"
     "   main_tid = coalesce(excluded.main_tid, c.main_tid), mcn_id = excluded.mcn_id,"
     "   joined_at = coalesce(excluded.joined_at, c.joined_at), updated_at = excluded.updated_at"
     " WHERE c.updated_at < excluded.updated_at"},
    {STG_CREATOR, ROWS_CREATOR, 0,
     "INSERT INTO uphub.creator (mid, name, face, updated_at)"
     " SELECT DISTINCT ON (s.mid) s.mid, coalesce(s.name, 'bili_' || s.mid), s.face,"
     "   '2009-06-26 00:00+08'"
     " FROM uphub_stg_creator s WHERE NOT s.is_card"
     "   AND NOT EXISTS (SELECT 1 FROM uphub.creator c WHERE c.mid = s.mid)"
     " ORDER BY s.mid, s.name IS NULL, s.observed_at DESC, s.line_no"
     " ON CONFLICT (mid) DO NOTHING"},
    {STG_VIDEO, -1, 0,
     "INSERT INTO uphub_stg_vwin SELECT DISTINCT ON (aid) * FROM uphub_stg_video"
     " ORDER BY aid, observed_at DESC, line_no"},
    {STG_VIDEO, ROWS_VIDEO, 1,
     "WITH up AS (INSERT INTO uphub.video AS v (aid, bvid, mid, tid, title, pubdate, duration,"
     "   copyright, state, updated_at)"
     " SELECT aid, bvid, mid, tid, title, pubdate, duration, copyright, state, observed_at"
     " FROM uphub_stg_vwin"
     " ON CONFLICT (aid) DO UPDATE SET bvid = excluded.bvid, mid = excluded.mid,"
     "   tid = excluded.tid, title = excluded.title, pubdate = excluded.pubdate,"
     "   duration = excluded.duration, copyright = excluded.copyright, state = excluded.state,"
     "   updated_at = excluded.updated_at"
     " WHERE v.updated_at < excluded.updated_at RETURNING aid),"
     " lost AS (DELETE FROM uphub_stg_vwin w"
     "   WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.aid = w.aid))"
     " SELECT count(*) FROM up"},
    {STG_VIDEO, ROWS_VIDEO_STAFF, 0,
     "DELETE FROM uphub.video_staff vs USING uphub_stg_vwin w WHERE vs.aid = w.aid"
     " AND NOT EXISTS (SELECT 1 FROM uphub_stg_staff s"
     "   WHERE s.line_no = w.line_no AND s.staff_mid = vs.staff_mid)"},
    {STG_VIDEO, ROWS_VIDEO_STAFF, 0,
     "INSERT INTO uphub.video_staff AS vs (mid, aid, staff_mid, title)"
     " SELECT s.mid, s.aid, s.staff_mid, s.title"
     " FROM uphub_stg_staff s JOIN uphub_stg_vwin w ON w.line_no = s.line_no"
     " ON CONFLICT (aid, staff_mid) DO UPDATE SET mid = excluded.mid, title = excluded.title"
     " WHERE (vs.mid, vs.title) IS DISTINCT FROM (excluded.mid, excluded.title)"},
    {STG_VIDEO, ROWS_VIDEO_SNAPSHOT, 0,
     "INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, danmaku, reply, favorite,"
     "   coin, share, \"like\", his_rank, now_rank)"
     " SELECT DISTINCT ON (aid, observed_at) aid, observed_at, mid, view, danmaku, reply,"
     "   favorite, coin, share, \"like\", his_rank, now_rank"
     " FROM uphub_stg_video ORDER BY aid, observed_at, line_no"
     " ON CONFLICT DO NOTHING"},
    {STG_CSNAP, ROWS_CREATOR_SNAPSHOT, 0,
     "INSERT INTO uphub.creator_snapshot AS cs (mid, observed_at, follower, following,"
     "   archive_view, likes)"
     " SELECT mid, observed_at,"
     "   max(follower), max(following), max(archive_view), max(likes)"
     " FROM uphub_stg_csnap GROUP BY mid, observed_at"
     " ON CONFLICT (mid, observed_at) DO UPDATE SET"
     "   follower = coalesce(cs.follower, excluded.follower),"
     "   following = coalesce(cs.following, excluded.following),"
     "   archive_view = coalesce(cs.archive_view, excluded.archive_view),"
     "   likes = coalesce(cs.likes, excluded.likes)"
     " WHERE (cs.follower IS NULL AND excluded.follower IS NOT NULL)"
     "   OR (cs.following IS NULL AND excluded.following IS NOT NULL)"
     "   OR (cs.archive_view IS NULL AND excluded.archive_view IS NOT NULL)"
     "   OR (cs.likes IS NULL AND excluded.likes IS NOT NULL)"},
};
#define N_STEPS ((int) (sizeof(steps) / sizeof(steps[0])))

/* A good line waiting in the batch: where it came from and its rows. */
typedef struct BatchLine
{
	const char *file;
	int64_t line_no;
	size_t text_off;
	size_t text_len;
	size_t off[N_STG]; /* start of its rows in each staging buffer */
	int month;         /* Asia/Shanghai month of a video snapshot (yyyymm), 0 none */
} BatchLine;

typedef struct Batch
{
	BatchLine *lines;
	int n;
	int cap;
	Buf text;
	Buf stg[N_STG];
	uint64_t *creators;   /* mids and partition keys this batch stages, */
	uint64_t *partitions; /* remembered as committed once it loads whole */
	size_t n_creators, cap_creators, n_partitions, cap_partitions;
	int is_split; /* some line failed server-side: remember nothing */
} Batch;

/* Each loader thread has its own connection and staging tables. */
static __thread PGconn *loader_conn;
static __thread int stats_warned;
static void record_ingest_stats(const BatchRows *rows);

/* ------------------------------------------------------------------------ */
/* Run state                                                                */
/* ------------------------------------------------------------------------ */

typedef struct Run
{
	pthread_mutex_t lock; /* guards counters, the reject file and the key sets */
	KeySet known_creators;
	KeySet known_partitions;
	FILE *reject;
	const char *reject_name;
	int batch_size;
	int64_t now;
	int64_t lines_read;
	int64_t lines_blank;
	int64_t lines_loaded;
	int64_t lines_rejected;
	int64_t server_rejects;
	BatchRows rows;
	int *months; /* snapshot partitions known to exist */
	int n_months;
	int cap_months;
	double started;
	double last_progress;
	int is_quiet;
} Run;

static double
clock_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Write one reject record: <file>:<line> TAB <reason> TAB <original line>. */
static void
reject_line(Run *run, const char *file, int64_t line_no, const char *reason, const char *text,
            size_t len)
{
	pthread_mutex_lock(&run->lock);
	fprintf(run->reject, "%s:%lld\t", file, (long long) line_no);
	for (const char *r = reason; *r; r++)
		fputc(*r == '\t' || *r == '\n' || *r == '\r' ? ' ' : *r, run->reject);
	fputc('\t', run->reject);
	fwrite(text, 1, len, run->reject);
	fputc('\n', run->reject);
	run->lines_rejected++;
	pthread_mutex_unlock(&run->lock);
}

/* Asia/Shanghai (UTC+8, no DST since 1991) month of a time, as yyyymm. */
static int
shanghai_month(int64_t us)
{
	int64_t days = (us / 1000000 + 8 * 3600) / 86400;
	int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	return (int) (y * 100 + m);
}

/* Has a snapshot partition for this month been committed? (caller holds no lock) */
static int
month_known(Run *run, int month)
{
	int found = 0;

	pthread_mutex_lock(&run->lock);
	for (int i = 0; i < run->n_months && !found; i++)
		found = run->months[i] == month;
	pthread_mutex_unlock(&run->lock);
	return found;
}

static void
month_remember(Run *run, int month)
{
	if (month_known(run, month))
		return;
	pthread_mutex_lock(&run->lock);
	if (run->n_months == run->cap_months)
	{
		run->cap_months = run->cap_months ? run->cap_months * 2 : 16;
		run->months = realloc(run->months, (size_t) run->cap_months * sizeof(int));
		if (!run->months)
			fatal("out of memory");
	}
	run->months[run->n_months++] = month;
	pthread_mutex_unlock(&run->lock);
}

/* Is a key in one of the committed-row sets? */
static int
is_known(Run *run, KeySet *set, uint64_t key)
{
	int found;

	pthread_mutex_lock(&run->lock);
	found = keyset_has(set, key);
	pthread_mutex_unlock(&run->lock);
	return found;
}

/* Note a key the batch stages, to be remembered if the batch loads whole. */
static void
batch_note(uint64_t **keys, size_t *n, size_t *cap, uint64_t key)
{
	if (*n == *cap)
	{
		*cap = *cap ? *cap * 2 : 1024;
		*keys = realloc(*keys, *cap * sizeof(uint64_t));
		if (!*keys)
			fatal("out of memory");
	}
	(*keys)[(*n)++] = key;
}

/* A partition row, and its parent's when the line names it, unless already committed. */
static void
stage_partition(Run *run, Batch *batch, int idx, const IngestPartition *p)
{
	Buf *b = &batch->stg[STG_PARTITION];
	uint64_t key;

	if (p->tid == 0)
		return;
	key = p->parent_tid ? partition_key(p->parent_tid, 0, p->parent_name) : 0;
	if (key && !is_known(run, &run->known_partitions, key))
	{
		batch_note(&batch->partitions, &batch->n_partitions, &batch->cap_partitions, key);
		copy_i64(b, idx);
		TAB(b);
		copy_i64(b, p->parent_tid);
		PUTS(b, "\t\\N\t");
		copy_text(b, p->parent_name);
		EOL(b);
	}
	key = partition_key(p->tid, p->parent_tid, p->name);
	if (is_known(run, &run->known_partitions, key))
		return;
	batch_note(&batch->partitions, &batch->n_partitions, &batch->cap_partitions, key);
	copy_i64(b, idx);
	TAB(b);
	copy_i64(b, p->tid);
	TAB(b);
	copy_id0(b, p->parent_tid);
	TAB(b);
	copy_text(b, p->name);
	EOL(b);
}

/*
 * A creator row: the full card, or a placeholder so foreign keys hold (none
 * when the creator is known to be committed).
 */
static void
stage_creator(Run *run, Batch *batch, int idx, const IngestRecord *r, int is_card, const char *name,
              const char *face)
{
	Buf *b = &batch->stg[STG_CREATOR];

	if (!is_card && is_known(run, &run->known_creators, (uint64_t) r->mid))
		return;
	batch_note(&batch->creators, &batch->n_creators, &batch->cap_creators, (uint64_t) r->mid);
	copy_i64(b, idx);
	TAB(b);
	copy_time(b, r->observed_at);
	TAB(b);
	copy_i64(b, r->mid);
	TAB(b);
	if (!is_card)
	{
		PUTS(b, "f\t");
		copy_text(b, name);
		TAB(b);
		copy_text(b, face);
		PUTS(b, "\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
		return;
	}
	PUTS(b, "t\t");
	copy_text(b, r->name);
	TAB(b);
	copy_text(b, r->face);
	TAB(b);
	copy_text(b, r->sign);
	TAB(b);
	copy_i64(b, r->level);
	TAB(b);
	copy_text(b, r->sex);
	TAB(b);
	copy_i64(b, r->official_type);
	TAB(b);
	copy_i64(b, r->vip_type);
	TAB(b);
	copy_id0(b, r->main_partition.tid);
	TAB(b);
	copy_id0(b, r->mcn_id);
	TAB(b);
	copy_time(b, r->joined_at);
	EOL(b);
}

static void
stage_csnap(Buf *b, int idx, const IngestRecord *r)
{
	copy_i64(b, idx);
	TAB(b);
	copy_i64(b, r->mid);
	TAB(b);
	copy_time(b, r->observed_at);
	TAB(b);
	copy_i64(b, r->follower);
	TAB(b);
	copy_i64(b, r->following);
	TAB(b);
	copy_i64(b, r->archive_view);
	TAB(b);
	copy_i64(b, r->likes);
	EOL(b);
}

static void
stage_video(Run *run, Batch *batch, int idx, const IngestRecord *r)
{
	Buf *b = &batch->stg[STG_VIDEO];
	const int64_t counters[] = {r->view,  r->danmaku, r->reply,    r->favorite, r->coin,
	                            r->share, r->like,    r->his_rank, r->now_rank};

	copy_i64(b, idx);
	TAB(b);
	copy_time(b, r->observed_at);
	TAB(b);
	copy_i64(b, r->aid);
	TAB(b);
	copy_text(b, r->bvid);
	TAB(b);
	copy_i64(b, r->mid);
	TAB(b);
	copy_id0(b, r->partition.tid);
	TAB(b);
	copy_text(b, r->title);
	TAB(b);
	copy_time(b, r->pubdate);
	TAB(b);
	copy_i64(b, r->duration);
	TAB(b);
	copy_i64(b, r->copyright);
	TAB(b);
	copy_i64(b, r->state);
	for (int i = 0; i < 9; i++)
	{
		TAB(b);
		copy_i64(b, counters[i]);
	}
	EOL(b);
	for (int i = 0; i < r->n_staff; i++)
	{
		Buf *s = &batch->stg[STG_STAFF];

		copy_i64(s, idx);
		TAB(s);
		copy_i64(s, r->aid);
		TAB(s);
		copy_i64(s, r->mid);
		TAB(s);
		copy_i64(s, r->staff[i].mid);
		TAB(s);
		copy_text(s, r->staff[i].title);
		EOL(s);
	}
	stage_creator(run, batch, idx, r, 0, r->owner_name, r->owner_face);
	stage_partition(run, batch, idx, &r->partition);
}

/* Turn a decoded record into staging rows and remember the line. */
static void
batch_add(Run *run, Batch *batch, const char *file, int64_t line_no, const char *text, size_t len,
          const IngestRecord *r)
{
	BatchLine *bl;
	int idx = batch->n;

	if (batch->n == batch->cap)
	{
		batch->cap = batch->cap ? batch->cap * 2 : 1024;
		batch->lines = realloc(batch->lines, (size_t) batch->cap * sizeof(BatchLine));
		if (!batch->lines)
			fatal("out of memory");
	}
	bl = &batch->lines[batch->n++];
	bl->file = file;
	bl->line_no = line_no;
	bl->text_off = batch->text.len;
	bl->text_len = len;
	bl->month = 0;
	buf_put(&batch->text, text, len);
	for (int t = 0; t < N_STG; t++)
		bl->off[t] = batch->stg[t].len;

	switch (r->kind)
	{
		case INGEST_VIDEO:
			stage_video(run, batch, idx, r);
			bl->month = shanghai_month(r->observed_at);
			break;
		case INGEST_RELATION:
		case INGEST_UPSTAT:
			stage_creator(run, batch, idx, r, 0, NULL, NULL);
			stage_csnap(&batch->stg[STG_CSNAP], idx, r);
			break;
		case INGEST_CARD:
			stage_creator(run, batch, idx, r, 1, NULL, NULL);
			stage_partition(run, batch, idx, &r->main_partition);
			if (r->mcn_id)
			{
				Buf *b = &batch->stg[STG_MCN];

				copy_i64(b, idx);
				TAB(b);
				copy_i64(b, r->mcn_id);
				TAB(b);
				copy_text(b, r->mcn_name);
				EOL(b);
			}
			if (r->follower != INGEST_NULL || r->following != INGEST_NULL)
				stage_csnap(&batch->stg[STG_CSNAP], idx, r);
			break;
	}
}

static void
batch_reset(Batch *batch)
{
	batch->n = 0;
	batch->text.len = 0;
	batch->n_creators = batch->n_partitions = 0;
	batch->is_split = 0;
	for (int t = 0; t < N_STG; t++)
		batch->stg[t].len = 0;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum LoadResult
{
	LOAD_OK,
	LOAD_DATA_ERROR, /* a line is guilty: split the batch */
	LOAD_RETRY,      /* serialization failure or deadlock: try again */
	LOAD_FATAL,      /* connection lost or the database cannot take the load */
} LoadResult;

/* Classify a failed result; copies the message for a possible reject. */
static LoadResult
classify(PGresult *res, char *msg, size_t msg_size)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *text = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	snprintf(msg, msg_size, "%s%s%s", state ? state : "", state ? " " : "",
	         text ? text : PQerrorMessage(loader_conn));
	if (PQstatus(loader_conn) == CONNECTION_BAD || !state)
		return LOAD_FATAL;
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
	    strncmp(state, "P0", 2) == 0)
		return LOAD_DATA_ERROR;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return LOAD_RETRY;
	return LOAD_FATAL;
}

/* Run one command that returns no rows or one count; LOAD_OK on success. */
static LoadResult
exec_step(const char *sql, int counted, int64_t *rows, char *msg, size_t msg_size)
{
	PGresult *res = PQexec(loader_conn, sql);
	ExecStatusType st = PQresultStatus(res);
	LoadResult lr = LOAD_OK;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
	{
		if (rows && counted && PQntuples(res) == 1)
			*rows += strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		else if (rows && !counted)
			*rows += strtoll(PQcmdTuples(res), NULL, 10);
	}
	else
		lr = classify(res, msg, msg_size);
	PQclear(res);
	return lr;
}

/* COPY one slice of a staging buffer. */
static LoadResult
copy_slice(int table, const char *data, size_t len, char *msg, size_t msg_size)
{
	PGresult *res;
	LoadResult lr = LOAD_OK;

	if (len == 0)
		return LOAD_OK;
	res = PQexec(loader_conn, stg_copy[table]);
	if (PQresultStatus(res) != PGRES_COPY_IN)
	{
		lr = classify(res, msg, msg_size);
		PQclear(res);
		return lr;
	}
	PQclear(res);
	if (PQputCopyData(loader_conn, data, (int) len) != 1 || PQputCopyEnd(loader_conn, NULL) != 1)
		return classify(NULL, msg, msg_size);
	while ((res = PQgetResult(loader_conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK && lr == LOAD_OK)
			lr = classify(res, msg, msg_size);
		PQclear(res);
	}
	return lr;
}

/* One attempt at lines [lo, hi) in one transaction; commits on success. */
static LoadResult
try_load(Run *run, Batch *batch, int lo, int hi, BatchRows *rows, char *msg, size_t msg_size)
{
	LoadResult lr;
	char sql[160];

	memset(rows, 0, sizeof(*rows));
	if ((lr = exec_step("BEGIN", 0, NULL, msg, msg_size)) != LOAD_OK)
		return lr;
	for (int t = 0; t < N_STG && lr == LOAD_OK; t++)
	{
		size_t from = batch->lines[lo].off[t];
		size_t to = hi < batch->n ? batch->lines[hi].off[t] : batch->stg[t].len;

		lr = copy_slice(t, batch->stg[t].p + from, to - from, msg, msg_size);
	}
	/* snapshot partitions for months not seen yet (one call per month) */
	for (int i = lo; i < hi && lr == LOAD_OK; i++)
	{
		int m = batch->lines[i].month;
		int seen = 0;

		if (m == 0 || month_known(run, m))
			continue;
		for (int k = lo; k < i && !seen; k++)
			seen = batch->lines[k].month == m;
		if (seen)
			continue;
		snprintf(sql, sizeof(sql),
		         "SELECT uphub.ensure_snapshot_partitions('%04d-%02d-15 00:00+08')", m / 100,
		         m % 100);
		lr = exec_step(sql, 0, NULL, msg, msg_size);
	}
	/*
	 * Steps with nothing to read are skipped: fewer round trips, and no
	 * statement triggers (rbac's cache invalidation) fire for nothing.
	 */
	for (int s = 0; s < N_STEPS && lr == LOAD_OK; s++)
	{
		int t = steps[s].source;
		size_t from = batch->lines[lo].off[t];
		size_t to = hi < batch->n ? batch->lines[hi].off[t] : batch->stg[t].len;

		if (from == to)
			continue;
		lr = exec_step(steps[s].sql, steps[s].counted,
		               steps[s].table >= 0 ? &rows->n[steps[s].table] : NULL, msg, msg_size);
	}
	if (lr == LOAD_OK)
		lr = exec_step("COMMIT", 0, NULL, msg, msg_size);
	if (lr != LOAD_OK && PQstatus(loader_conn) != CONNECTION_BAD)
	{
		PGresult *res = PQexec(loader_conn, "ROLLBACK");

		PQclear(res);
	}
	if (lr == LOAD_OK)
		for (int i = lo; i < hi; i++)
			if (batch->lines[i].month)
				month_remember(run, batch->lines[i].month);
	if (lr == LOAD_OK)
		record_ingest_stats(rows);
	return lr;
}

/*
 * Count what the committed batch wrote in uphub's stats
 * (uphub_ingest_rows_total{table}). After COMMIT, so only acknowledged rows
 * count; a failure here never fails the load (the stats are advisory).
 */
static void
record_ingest_stats(const BatchRows *rows)
{
	char sql[1024];
	size_t len;
	int any = 0;
	PGresult *res;

	len =
	    (size_t) snprintf(sql, sizeof(sql), "SELECT uphub.stats_record_ingest(t, n) FROM (VALUES ");
	for (int t = 0; t < N_ROWS; t++)
	{
		if (rows->n[t] <= 0)
			continue;
		len += (size_t) snprintf(sql + len, sizeof(sql) - len, "%s('%s', %lld::int8)",
		                         any ? ", " : "", rows_names[t], (long long) rows->n[t]);
		any = 1;
	}
	if (!any)
		return;
	snprintf(sql + len, sizeof(sql) - len, ") v(t, n)");
	res = PQexec(loader_conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && !stats_warned)
	{
		fprintf(stderr, "uphub-ingest: warning: could not record stats: %s",
		        PQresultErrorMessage(res));
		stats_warned = 1;
	}
	PQclear(res);
}

static void
progress(Run *run, int force)
{
	double now = clock_seconds();
	double elapsed = now - run->started;

	if (run->is_quiet || (!force && now - run->last_progress < 5.0))
		return;
	pthread_mutex_lock(&run->lock);
	run->last_progress = now;
	fprintf(
	    stderr, "uphub-ingest: %lld lines read, %lld loaded, %lld rejected, %.0f lines/s, %.1f s\n",
	    (long long) run->lines_read, (long long) run->lines_loaded, (long long) run->lines_rejected,
	    elapsed > 0 ? (double) run->lines_read / elapsed : 0, elapsed);
	pthread_mutex_unlock(&run->lock);
}

/* Load lines [lo, hi), halving on data errors until the guilty lines stand alone. */
static void
load_range(Run *run, Batch *batch, int lo, int hi)
{
	char msg[1024];
	BatchRows rows;
	LoadResult lr;
	int attempts = 0;

	if (lo >= hi)
		return;
	do
		lr = try_load(run, batch, lo, hi, &rows, msg, sizeof(msg));
	while (lr == LOAD_RETRY && ++attempts < 5);

	switch (lr)
	{
		case LOAD_OK:
			pthread_mutex_lock(&run->lock);
			run->lines_loaded += hi - lo;
			for (int t = 0; t < N_ROWS; t++)
				run->rows.n[t] += rows.n[t];
			pthread_mutex_unlock(&run->lock);
			return;
		case LOAD_DATA_ERROR:
			if (hi - lo == 1)
			{
				BatchLine *bl = &batch->lines[lo];
				char reason[1100];

				snprintf(reason, sizeof(reason), "server_error: %s", msg);
				reject_line(run, bl->file, bl->line_no, reason, batch->text.p + bl->text_off,
				            bl->text_len);
				pthread_mutex_lock(&run->lock);
				run->server_rejects++;
				pthread_mutex_unlock(&run->lock);
				return;
			}
			batch->is_split = 1;
			load_range(run, batch, lo, lo + (hi - lo) / 2);
			load_range(run, batch, lo + (hi - lo) / 2, hi);
			return;
		case LOAD_RETRY:
		case LOAD_FATAL:
			progress(run, 1);
			fprintf(stderr,
			        "uphub-ingest: could not load lines %s:%lld..%s:%lld: %s\n"
			        "uphub-ingest: %lld lines were committed before the failure; "
			        "re-run to load the rest (already loaded lines change nothing)\n",
			        batch->lines[lo].file, (long long) batch->lines[lo].line_no,
			        batch->lines[hi - 1].file, (long long) batch->lines[hi - 1].line_no, msg,
			        (long long) run->lines_loaded);
			exit(2);
	}
}

/* Load a whole batch; when every line went in, its creators and partitions are known. */
static void
flush_batch(Run *run, Batch *batch)
{
	load_range(run, batch, 0, batch->n);
	pthread_mutex_lock(&run->lock);
	if (!batch->is_split)
	{
		for (size_t i = 0; i < batch->n_creators; i++)
			keyset_add(&run->known_creators, batch->creators[i]);
		for (size_t i = 0; i < batch->n_partitions; i++)
			keyset_add(&run->known_partitions, batch->partitions[i]);
	}
	fflush(run->reject);
	pthread_mutex_unlock(&run->lock);
	batch_reset(batch);
}

/*
 * The reader decodes into one batch while loader threads, each with its own
 * connection, load others: parsing overlaps the server's work, and the
 * server's work spreads over several backends. Batches may commit in any
 * order: every upsert is order-independent (newest observation wins,
 * snapshots are keyed), and each transaction takes its row locks table by
 * table in key order, so concurrent batches wait rather than deadlock (a
 * deadlock or serialization failure is retried anyway).
 */
#define MAX_JOBS     8
#define MAX_DECODERS 8
#define MAX_BATCHES  (2 * MAX_JOBS + MAX_DECODERS)

typedef struct Pipeline
{
	Run *run;
	const char *dsn;
	int n_jobs;
	pthread_t threads[MAX_JOBS];
	PGconn *conns[MAX_JOBS];
	struct LoaderArg
	{
		struct Pipeline *pl;
		int index;
	} args[MAX_JOBS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	Batch batches[MAX_BATCHES];
	Batch *free_list[MAX_BATCHES]; /* batches nobody uses */
	int n_free;
	Batch *queue[MAX_BATCHES]; /* batches waiting for a loader, oldest first */
	int n_queued;
	int is_done; /* no more batches will come */
} Pipeline;

/* Open a loader's connection and its staging tables; exit 2 if that fails. */
static PGconn *
loader_connect(const char *dsn)
{
	PGconn *conn = PQconnectdb(dsn);
	PGresult *res;

	if (PQstatus(conn) != CONNECTION_OK)
		fatal("could not connect: %s", PQerrorMessage(conn));
	res = PQexec(conn, "SELECT pg_catalog.to_regclass('uphub.video_snapshot') IS NOT NULL");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		fatal("database \"%s\" has no uphub tables (CREATE EXTENSION uphub first)", PQdb(conn));
	PQclear(res);
	res = PQexec(conn, "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"
	                   " SET work_mem = '64MB';");
	PQclear(res);
	res = PQexec(conn, stg_create);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fatal("could not create staging tables: %s", PQerrorMessage(conn));
	PQclear(res);
	return conn;
}

static void *
loader_main(void *arg)
{
	struct LoaderArg *la = arg;
	Pipeline *pl = la->pl;

	loader_conn = pl->conns[la->index];
	for (;;)
	{
		Batch *b;

		pthread_mutex_lock(&pl->mu);
		while (pl->n_queued == 0 && !pl->is_done)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->n_queued == 0)
		{
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		b = pl->queue[0];
		memmove(pl->queue, pl->queue + 1, (size_t) --pl->n_queued * sizeof(Batch *));
		pthread_mutex_unlock(&pl->mu);

		flush_batch(pl->run, b);

		pthread_mutex_lock(&pl->mu);
		pl->free_list[pl->n_free++] = b;
		pthread_cond_broadcast(&pl->cv);
		pthread_mutex_unlock(&pl->mu);
	}
	PQfinish(loader_conn);
	return NULL;
}

/* A batch to fill, once one is free. */
static Batch *
pipeline_take(Pipeline *pl)
{
	Batch *b;

	pthread_mutex_lock(&pl->mu);
	while (pl->n_free == 0)
		pthread_cond_wait(&pl->cv, &pl->mu);
	b = pl->free_list[--pl->n_free];
	pthread_mutex_unlock(&pl->mu);
	return b;
}

/* Queue a full batch for the loaders; returns the batch to fill next. */
static Batch *
pipeline_submit(Pipeline *pl, Batch *full)
{
	pthread_mutex_lock(&pl->mu);
	pl->queue[pl->n_queued++] = full;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	return pipeline_take(pl);
}

/* Hand over a decoder's last batch: queued when it holds lines, else freed. */
static void
pipeline_submit_last(Pipeline *pl, Batch *last)
{
	pthread_mutex_lock(&pl->mu);
	if (last->n)
		pl->queue[pl->n_queued++] = last;
	else
		pl->free_list[pl->n_free++] = last;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/*
 * Connect the loaders and start them. Each decoder fills one batch while
 * each loader may hold one and as many wait in the queue.
 */
static void
pipeline_start(Pipeline *pl, Run *run, const char *dsn, int n_jobs, int n_decoders)
{
	pl->run = run;
	pl->dsn = dsn;
	pl->n_jobs = n_jobs;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	for (int i = 0; i < 2 * n_jobs + n_decoders; i++)
		pl->free_list[pl->n_free++] = &pl->batches[i];
	for (int i = 0; i < n_jobs; i++)
		pl->conns[i] = loader_connect(dsn);
	for (int i = 0; i < n_jobs; i++)
	{
		pl->args[i].pl = pl;
		pl->args[i].index = i;
		if (pthread_create(&pl->threads[i], NULL, loader_main, &pl->args[i]) != 0)
			fatal("could not start a loader thread");
	}
}

/* No more batches: wait for every loader to finish. */
static void
pipeline_finish(Pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->is_done = 1;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	for (int i = 0; i < pl->n_jobs; i++)
		pthread_join(pl->threads[i], NULL);
}

/* ------------------------------------------------------------------------ */
/* Input                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * jansson allocates every value, key and string of a document separately:
 * some seventy malloc/free pairs for a video line, a fifth of the reader's
 * time. The reader gives it a bump arena instead (json_set_alloc_funcs, set
 * once before any parse): json_decref() frees nothing, and the arena is
 * emptied after each line, once its record has been staged. Thread-local,
 * in case jansson is ever called from another thread.
 */
typedef struct ArenaChunk
{
	struct ArenaChunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
} ArenaChunk;

#define ARENA_CHUNK_SIZE ((size_t) 64 * 1024)

static __thread ArenaChunk *arena_head; /* chunk being filled; ->next are full ones */

static void *
arena_alloc(size_t n)
{
	ArenaChunk *c = arena_head;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->size - c->used < n)
	{
		size_t size = n > ARENA_CHUNK_SIZE ? n : ARENA_CHUNK_SIZE;

		c = malloc(sizeof(ArenaChunk) + size);
		if (!c)
			return NULL; /* jansson reports the failure */
		c->size = size;
		c->used = 0;
		c->next = arena_head;
		arena_head = c;
	}
	p = (char *) c->data + c->used;
	c->used += n;
	return p;
}

static void
arena_free(void *p)
{
	(void) p;
}

/* Forget everything the last line allocated; keep one chunk for the next. */
static void
arena_reset(void)
{
	while (arena_head && arena_head->next)
	{
		ArenaChunk *c = arena_head;

		arena_head = c->next;
		free(c);
	}
	if (arena_head)
		arena_head->used = 0;
}

static int
is_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Decoding (JSON parsing is most of the client's work) runs in --decoders
 * threads: the reader cuts the input into chunks of whole lines, and each
 * decoder turns the chunks it takes into rows of its own batch, which it
 * queues for the loaders when full. One reader thread doing it all was the
 * bottleneck of the load. Batches hold lines from any place in the input,
 * which is fine: loading is order-independent (see the top of the file).
 */
#define CHUNK_LINES 256
#define MAX_CHUNKS  (2 * MAX_DECODERS + 1)

typedef struct Chunk
{
	const char *file;
	int n;
	int cap;
	int64_t *line_no; /* of each line */
	size_t *off;      /* start of each line in text; off[n] is the end */
	Buf text;         /* the lines back to back, without their newlines */
} Chunk;

typedef struct Decoding
{
	Run *run;
	Pipeline *pl;
	int n_threads;
	pthread_t threads[MAX_DECODERS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	Chunk chunks[MAX_CHUNKS];
	Chunk *free_list[MAX_CHUNKS];
	int n_free;
	Chunk *queue[MAX_CHUNKS]; /* oldest first */
	int n_queued;
	int is_done; /* the reader is through */
} Decoding;

/* An empty chunk for the reader to fill, once one is free. */
static Chunk *
chunk_take(Decoding *dc, const char *file)
{
	Chunk *c;

	pthread_mutex_lock(&dc->mu);
	while (dc->n_free == 0)
		pthread_cond_wait(&dc->cv, &dc->mu);
	c = dc->free_list[--dc->n_free];
	pthread_mutex_unlock(&dc->mu);
	c->file = file;
	c->n = 0;
	c->text.len = 0;
	return c;
}

static void
chunk_add(Chunk *c, int64_t line_no, const char *text, size_t len)
{
	if (c->n + 1 >= c->cap)
	{
		c->cap = c->cap ? c->cap * 2 : CHUNK_LINES + 1;
		c->line_no = realloc(c->line_no, (size_t) c->cap * sizeof(int64_t));
		c->off = realloc(c->off, (size_t) c->cap * sizeof(size_t));
		if (!c->line_no || !c->off)
			fatal("out of memory");
	}
	c->line_no[c->n] = line_no;
	c->off[c->n] = c->text.len;
	buf_put(&c->text, text, len);
	c->n++;
	c->off[c->n] = c->text.len;
}

/* Queue a chunk for the decoders (an empty one goes back to the free list). */
static void
chunk_submit(Decoding *dc, Chunk *c)
{
	pthread_mutex_lock(&dc->mu);
	if (c->n)
		dc->queue[dc->n_queued++] = c;
	else
		dc->free_list[dc->n_free++] = c;
	pthread_cond_broadcast(&dc->cv);
	pthread_mutex_unlock(&dc->mu);
}

static void *
decoder_main(void *arg)
{
	Decoding *dc = arg;
	Run *run = dc->run;
	Batch *batch = pipeline_take(dc->pl);
	char reason[512];

	for (;;)
	{
		Chunk *c;

		pthread_mutex_lock(&dc->mu);
		while (dc->n_queued == 0 && !dc->is_done)
			pthread_cond_wait(&dc->cv, &dc->mu);
		if (dc->n_queued == 0)
		{
			pthread_mutex_unlock(&dc->mu);
			break;
		}
		c = dc->queue[0];
		memmove(dc->queue, dc->queue + 1, (size_t) --dc->n_queued * sizeof(Chunk *));
		pthread_mutex_unlock(&dc->mu);

		for (int i = 0; i < c->n; i++)
		{
			const char *text = c->text.p + c->off[i];
			size_t len = c->off[i + 1] - c->off[i];
			IngestRecord rec;

			if (ingest_decode(text, len, run->now, &rec, reason, sizeof(reason)) != INGEST_OK)
				reject_line(run, c->file, c->line_no[i], reason, text, len);
			else
			{
				batch_add(run, batch, c->file, c->line_no[i], text, len, &rec);
				ingest_record_free(&rec);
				if (batch->n >= run->batch_size)
					batch = pipeline_submit(dc->pl, batch);
			}
			arena_reset();
		}

		pthread_mutex_lock(&dc->mu);
		dc->free_list[dc->n_free++] = c;
		pthread_cond_broadcast(&dc->cv);
		pthread_mutex_unlock(&dc->mu);
	}
	pipeline_submit_last(dc->pl, batch);
	return NULL;
}

static void
decoding_start(Decoding *dc, Run *run, Pipeline *pl, int n_threads)
{
	dc->run = run;
	dc->pl = pl;
	dc->n_threads = n_threads;
	pthread_mutex_init(&dc->mu, NULL);
	pthread_cond_init(&dc->cv, NULL);
	for (int i = 0; i < MAX_CHUNKS; i++)
		dc->free_list[dc->n_free++] = &dc->chunks[i];
	for (int i = 0; i < n_threads; i++)
		if (pthread_create(&dc->threads[i], NULL, decoder_main, dc) != 0)
			fatal("could not start a decoder thread");
}

/* The reader is through: let the decoders drain the queue and hand over their batches. */
static void
decoding_finish(Decoding *dc)
{
	pthread_mutex_lock(&dc->mu);
	dc->is_done = 1;
	pthread_cond_broadcast(&dc->cv);
	pthread_mutex_unlock(&dc->mu);
	for (int i = 0; i < dc->n_threads; i++)
		pthread_join(dc->threads[i], NULL);
}

/* Read one input into chunks of lines (blank lines are counted and dropped). */
static void
read_stream(Run *run, Decoding *dc, FILE *in, const char *name)
{
	char *text = NULL;
	size_t cap = 0;
	ssize_t got;
	int64_t line_no = 0;
	Chunk *c = chunk_take(dc, name);

	while ((got = getline(&text, &cap, in)) >= 0)
	{
		size_t len = (size_t) got;

		line_no++;
		pthread_mutex_lock(&run->lock);
		run->lines_read++;
		pthread_mutex_unlock(&run->lock);
		if (len && text[len - 1] == '\n')
			len--;
		if (len && text[len - 1] == '\r')
			len--;
		if (is_blank_line(text, len))
			run->lines_blank++;
		else
		{
			chunk_add(c, line_no, text, len);
			if (c->n >= CHUNK_LINES)
			{
				chunk_submit(dc, c);
				c = chunk_take(dc, name);
			}
		}
		if ((line_no & 4095) == 0)
			progress(run, 0);
	}
	chunk_submit(dc, c);
	if (ferror(in))
		fatal("error reading %s: %s", name, strerror(errno));
	free(text);
}

/* ------------------------------------------------------------------------ */
/* Main                                                                     */
/* ------------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f, "usage: uphub-ingest [--dsn DSN] [--reject FILE] [--batch N] [--jobs N]\n"
	           "                    [--decoders N] [--quiet] [FILE ...]\n"
	           "Loads ingest lines (stdin when no FILE or FILE is -) into the uphub tables.\n"
	           "The connection comes from --dsn or the PG* environment variables.\n"
	           "Rejected lines go to the reject file (default: stderr) as\n"
	           "  <file>:<line> TAB <reason> TAB <original line>\n"
	           "--batch N: lines per transaction (default 5000); --jobs N: loader connections\n"
	           "(default 2); --decoders N: threads parsing lines (default 2).\n"
	           "Exit status: 0 all loaded, 1 some rejected, 2 could not run.\n");
}

int
main(int argc, char **argv)
{
	Run run;
	static Pipeline pl;
	static Decoding dc;
	const char *dsn = "";
	const char **files;
	int n_files = 0;
	int n_jobs = 2;
	int n_decoders = 2;
	double elapsed;

	memset(&run, 0, sizeof(run));
	pthread_mutex_init(&run.lock, NULL);
	run.batch_size = 5000;
	files = calloc((size_t) argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++)
	{
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
		{
			usage(stdout);
			return 0;
		}
		else if (strcmp(a, "--quiet") == 0)
			run.is_quiet = 1;
		else if ((strcmp(a, "--dsn") == 0 || strcmp(a, "--reject") == 0 ||
		          strcmp(a, "--batch") == 0 || strcmp(a, "--jobs") == 0 ||
		          strcmp(a, "--decoders") == 0))
		{
			if (i + 1 >= argc)
			{
				usage(stderr);
				return 2;
			}
			if (strcmp(a, "--dsn") == 0)
				dsn = argv[++i];
			else if (strcmp(a, "--reject") == 0)
				run.reject_name = argv[++i];
			else if (strcmp(a, "--jobs") == 0)
			{
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end || n < 1 || n > MAX_JOBS)
					fatal("bad value for --jobs: %s (1 to %d)", argv[i], MAX_JOBS);
				n_jobs = (int) n;
			}
			else if (strcmp(a, "--decoders") == 0)
			{
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end || n < 1 || n > MAX_DECODERS)
					fatal("bad value for --decoders: %s (1 to %d)", argv[i], MAX_DECODERS);
				n_decoders = (int) n;
			}
			else
			{
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end || n < 1 || n > 1000000)
					fatal("bad value for --batch: %s", argv[i]);
				run.batch_size = (int) n;
			}
		}
		else if (strncmp(a, "--", 2) == 0)
		{
			usage(stderr);
			return 2;
		}
		else
			files[n_files++] = a;
	}
	if (n_files == 0)
		files[n_files++] = "-";

	run.reject = stderr;
	if (run.reject_name)
	{
		run.reject = fopen(run.reject_name, "w");
		if (!run.reject)
			fatal("could not open reject file %s: %s", run.reject_name, strerror(errno));
	}
	json_set_alloc_funcs(arena_alloc, arena_free);
	run.now = (int64_t) time(NULL);
	run.started = run.last_progress = clock_seconds();
	pipeline_start(&pl, &run, dsn, n_jobs, n_decoders);
	decoding_start(&dc, &run, &pl, n_decoders);
	for (int f = 0; f < n_files; f++)
	{
		FILE *in = stdin;
		static char inbuf[1 << 20];

		if (strcmp(files[f], "-") != 0)
		{
			in = fopen(files[f], "r");
			if (!in)
				fatal("could not open %s: %s", files[f], strerror(errno));
		}
		setvbuf(in, inbuf, _IOFBF, sizeof(inbuf));
		read_stream(&run, &dc, in, files[f]);
		if (in != stdin)
			fclose(in);
	}
	decoding_finish(&dc);
	pipeline_finish(&pl);

	elapsed = clock_seconds() - run.started;
	if (!run.is_quiet)
	{
		fprintf(stderr,
		        "uphub-ingest: done: %lld lines read, %lld loaded, %lld rejected (%lld by the "
		        "server), %lld blank, in %.2f s (%.0f lines/s)\n",
		        (long long) run.lines_read, (long long) run.lines_loaded,
		        (long long) run.lines_rejected, (long long) run.server_rejects,
		        (long long) run.lines_blank, elapsed,
		        elapsed > 0 ? (double) run.lines_read / elapsed : 0);
		fprintf(stderr, "uphub-ingest: rows written:");
		for (int t = 0; t < N_ROWS; t++)
			fprintf(stderr, " %s %lld", rows_names[t], (long long) run.rows.n[t]);
		fputc('\n', stderr);
	}
	if (run.reject != stderr && fclose(run.reject) != 0)
		fatal("could not write reject file %s", run.reject_name);
	return run.lines_rejected ? 1 : 0;
}
