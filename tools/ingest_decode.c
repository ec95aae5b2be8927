/*
 * ingest_decode.c — validate and decode one ingest line (see ingest_decode.h).
 *
 * Phases: parse with jansson; read the envelope (observed_at, endpoint,
 * response.code); then one reader per endpoint fills the record. Every reader
 * checks what the schema's constraints would check (ids > 0, counters >= 0,
 * non-blank names and titles, sex / level / official / vip / copyright
 * domains, the BV id pattern, times between the site's launch and now + 1
 * day), so a record that decodes is a row the tables accept, foreign keys
 * aside (the loader creates what they point to).
 *
 * Leniency, where the site itself is inconsistent: ids may be JSON integers
 * or decimal strings (the card's mid is a string); a counter may be an
 * integer, "--" (hidden) or absent (NULL); observed_at may be Unix seconds
 * (integer or fractional) or an RFC 3339 string.
 *
 * No global state, no allocation beyond jansson's: safe for the fuzzer.
 */
#include "ingest_decode.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct Decoder
{
	char *reason;
	size_t reason_size;
	int64_t now;
} Decoder;

static const char *const status_names[] = {
    "ok", "invalid_json", "missing_field", "bad_type", "bad_value", "unknown_endpoint", "api_error",
};

/* Names for reject files and tests. */
const char *
ingest_status_name(IngestStatus status)
{
	if ((unsigned) status < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[status];
	return "unknown";
}

static const char *const endpoints[] = {
    "x/web-interface/view",
    "x/relation/stat",
    "x/space/upstat",
    "x/web-interface/card",
};

/* The endpoint a kind came from, for messages. */
const char *
ingest_kind_endpoint(IngestKind kind)
{
	return endpoints[kind];
}

/* Record why the line is refused; returns status so callers can `return fail(...)`. */
static IngestStatus
fail(Decoder *d, IngestStatus status, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->reason_size == 0)
		return status;
	n = snprintf(d->reason, d->reason_size, "%s: ", ingest_status_name(status));
	if (n < 0 || (size_t) n >= d->reason_size)
		return status;
	va_start(ap, fmt);
	vsnprintf(d->reason + n, d->reason_size - (size_t) n, fmt, ap);
	va_end(ap);
	return status;
}

/* A member of an object, treating JSON null like absence. */
static json_t *
member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

/* A sub-object; absent is allowed only when !required (then *out is NULL). */
static IngestStatus
get_object(Decoder *d, json_t *obj, const char *key, const char *path, int required, json_t **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return required ? fail(d, INGEST_MISSING_FIELD, "%s", path) : INGEST_OK;
	if (!json_is_object(v))
		return fail(d, INGEST_BAD_TYPE, "%s is not an object", path);
	*out = v;
	return INGEST_OK;
}

/* Parse a decimal string into a positive int64; 0 on failure. */
static int64_t
parse_decimal(const char *s)
{
	int64_t v = 0;

	if (!*s)
		return 0;
	for (; *s; s++)
	{
		if (*s < '0' || *s > '9')
			return 0;
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* An id: a positive integer or a string of digits. */
static IngestStatus
get_id(Decoder *d, json_t *obj, const char *key, const char *path, int64_t *out)
{
	json_t *v = member(obj, key);

	if (!v)
		return fail(d, INGEST_MISSING_FIELD, "%s", path);
	if (json_is_integer(v))
		*out = json_integer_value(v);
	else if (json_is_string(v))
	{
		*out = parse_decimal(json_string_value(v));
		if (*out == 0)
			return fail(d, INGEST_BAD_VALUE, "%s is not a positive integer", path);
	}
	else
		return fail(d, INGEST_BAD_TYPE, "%s is not an integer", path);
	if (*out <= 0)
		return fail(d, INGEST_BAD_VALUE, "%s must be positive", path);
	return INGEST_OK;
}

/* A counter: a non-negative integer, "--" (hidden) or absent, both NULL. */
static IngestStatus
get_counter(Decoder *d, json_t *obj, const char *key, const char *path, int64_t max, int64_t *out)
{
	json_t *v = member(obj, key);

	*out = INGEST_NULL;
	if (!v)
		return INGEST_OK;
	if (json_is_string(v) && strcmp(json_string_value(v), "--") == 0)
		return INGEST_OK;
	if (!json_is_integer(v))
		return fail(d, INGEST_BAD_TYPE, "%s is not an integer", path);
	*out = json_integer_value(v);
	if (*out < 0 || *out > max)
		return fail(d, INGEST_BAD_VALUE, "%s out of range", path);
	return INGEST_OK;
}

/* An optional integer within [lo, hi]; absent gives INGEST_NULL. */
static IngestStatus
get_int(Decoder *d, json_t *obj, const char *key, const char *path, int64_t lo, int64_t hi,
        int64_t *out)
{
	json_t *v = member(obj, key);

	*out = INGEST_NULL;
	if (!v)
		return INGEST_OK;
	if (!json_is_integer(v))
		return fail(d, INGEST_BAD_TYPE, "%s is not an integer", path);
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return fail(d, INGEST_BAD_VALUE, "%s out of range", path);
	return INGEST_OK;
}

/* Blank in PostgreSQL's btrim() sense: nothing but spaces. */
static int
is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ')
			return 0;
	return 1;
}

/* A string; required ones must also be non-blank (the schema's name checks). */
static IngestStatus
get_string(Decoder *d, json_t *obj, const char *key, const char *path, int required,
           const char **out)
{
	json_t *v = member(obj, key);

	*out = NULL;
	if (!v)
		return required ? fail(d, INGEST_MISSING_FIELD, "%s", path) : INGEST_OK;
	if (!json_is_string(v))
		return fail(d, INGEST_BAD_TYPE, "%s is not a string", path);
	*out = json_string_value(v);
	if (required && is_blank(*out))
		return fail(d, INGEST_BAD_VALUE, "%s is blank", path);
	return INGEST_OK;
}

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Read exactly n digits. */
static int
digits(const char **p, int n, int64_t *out)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++)
	{
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return 0;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 1;
}

/* RFC 3339 date-time to microseconds since the epoch; 0 on a malformed string. */
static int
parse_rfc3339(const char *s, int64_t *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0;
	int sign = 0;

	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
	    !digits(&s, 2, &d))
		return 0;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return 0;
	s++;
	if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) || *s++ != ':' ||
	    !digits(&s, 2, &sec))
		return 0;
	if (*s == '.')
	{
		int n = 0;

		s++;
		if (*s < '0' || *s > '9')
			return 0;
		for (; *s >= '0' && *s <= '9'; s++, n++)
			if (n < 6)
				frac = frac * 10 + (*s - '0');
		for (; n < 6; n++)
			frac *= 10;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-')
	{
		sign = *s == '-' ? -1 : 1;
		s++;
		if (!digits(&s, 2, &oh) || *s++ != ':' || !digits(&s, 2, &om))
			return 0;
	}
	else
		return 0;
	if (*s)
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) || h > 23 ||
	    mi > 59 || sec > 60 || oh > 23 || om > 59)
		return 0;
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	        sign * (oh * 3600 + om * 60)) *
	           1000000 +
	       frac;
	return 1;
}

/* Is a time (microseconds) one the schema accepts? */
static int
time_in_range(Decoder *d, int64_t us)
{
	return us >= INGEST_SITE_EPOCH * 1000000 && us <= (d->now + 86400) * 1000000;
}

/* A time in Unix seconds (integer, 0 = NULL) such as pubdate or regtime. */
static IngestStatus
get_unix_time(Decoder *d, json_t *obj, const char *key, const char *path, int64_t *out)
{
	IngestStatus st = get_int(d, obj, key, path, 0, INT64_MAX / 1000000, out);

	if (st != INGEST_OK)
		return st;
	if (*out == INGEST_NULL || *out == 0)
	{
		*out = INGEST_NULL;
		return INGEST_OK;
	}
	*out *= 1000000;
	if (!time_in_range(d, *out))
		return fail(d, INGEST_BAD_VALUE, "%s out of range", path);
	return INGEST_OK;
}

static IngestStatus
read_observed_at(Decoder *d, json_t *root, int64_t *out)
{
	json_t *v = member(root, "observed_at");

	if (!v)
		return fail(d, INGEST_MISSING_FIELD, "observed_at");
	if (json_is_integer(v))
	{
		json_int_t s = json_integer_value(v);

		if (s < 0 || s > INT64_MAX / 1000000)
			return fail(d, INGEST_BAD_VALUE, "observed_at out of range");
		*out = (int64_t) s * 1000000;
	}
	else if (json_is_real(v))
	{
		double s = json_real_value(v);

		if (!(s >= 0 && s < 1e12))
			return fail(d, INGEST_BAD_VALUE, "observed_at out of range");
		*out = (int64_t) llround(s * 1e6);
	}
	else if (json_is_string(v))
	{
		if (!parse_rfc3339(json_string_value(v), out))
			return fail(d, INGEST_BAD_VALUE, "observed_at is not an RFC 3339 date-time");
	}
	else
		return fail(d, INGEST_BAD_TYPE, "observed_at is not a number or a string");
	if (!time_in_range(d, *out))
		return fail(d, INGEST_BAD_VALUE, "observed_at out of range");
	return INGEST_OK;
}

/* tid/tname plus the parent as {tid, name} under `main`; tid 0 or absent: none. */
static IngestStatus
read_partition(Decoder *d, json_t *obj, const char *prefix, IngestPartition *p)
{
	char path[96];
	json_t *main;
	IngestStatus st;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s.tid", prefix);
	if ((st = get_int(d, obj, "tid", path, 0, INT32_MAX, &p->tid)) != INGEST_OK)
		return st;
	if (p->tid == INGEST_NULL || p->tid == 0)
	{
		p->tid = 0;
		return INGEST_OK;
	}
	snprintf(path, sizeof(path), "%s.tname", prefix);
	if ((st = get_string(d, obj, "tname", path, 1, &p->name)) != INGEST_OK)
		return st;
	snprintf(path, sizeof(path), "%s.main", prefix);
	if ((st = get_object(d, obj, "main", path, 0, &main)) != INGEST_OK || !main)
		return st;
	snprintf(path, sizeof(path), "%s.main.tid", prefix);
	if ((st = get_int(d, main, "tid", path, 1, INT32_MAX, &p->parent_tid)) != INGEST_OK)
		return st;
	if (p->parent_tid == INGEST_NULL)
		return fail(d, INGEST_MISSING_FIELD, "%s", path);
	snprintf(path, sizeof(path), "%s.main.name", prefix);
	if ((st = get_string(d, main, "name", path, 1, &p->parent_name)) != INGEST_OK)
		return st;
	if (p->parent_tid == p->tid)
	{
		p->parent_tid = 0; /* a top-level partition names itself as its main */
		p->parent_name = NULL;
	}
	return INGEST_OK;
}

/* The bvid pattern of the schema: BV1 and nine base58 characters. */
static int
is_bvid(const char *s)
{
	static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

	if (strncmp(s, "BV1", 3) != 0 || strlen(s) != 12)
		return 0;
	for (int i = 3; i < 12; i++)
		if (!strchr(alphabet, s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

#define TRY(expr)                  \
	do                             \
	{                              \
		IngestStatus st_ = (expr); \
		if (st_ != INGEST_OK)      \
			return st_;            \
	} while (0)

static IngestStatus
read_staff(Decoder *d, json_t *data, IngestRecord *rec)
{
	json_t *arr = member(data, "staff");
	size_t i;
	json_t *item;

	if (!arr)
		return INGEST_OK;
	if (!json_is_array(arr))
		return fail(d, INGEST_BAD_TYPE, "response.data.staff is not an array");
	json_array_foreach(arr, i, item)
	{
		char path[64];
		IngestStaff s;
		int dup = 0;

		snprintf(path, sizeof(path), "response.data.staff[%zu]", i);
		if (!json_is_object(item))
			return fail(d, INGEST_BAD_TYPE, "%s is not an object", path);
		snprintf(path, sizeof(path), "response.data.staff[%zu].mid", i);
		TRY(get_id(d, item, "mid", path, &s.mid));
		snprintf(path, sizeof(path), "response.data.staff[%zu].title", i);
		TRY(get_string(d, item, "title", path, 1, &s.title));
		snprintf(path, sizeof(path), "response.data.staff[%zu].name", i);
		TRY(get_string(d, item, "name", path, 0, &s.name));
		snprintf(path, sizeof(path), "response.data.staff[%zu].face", i);
		TRY(get_string(d, item, "face", path, 0, &s.face));
		for (int k = 0; k < rec->n_staff; k++)
			dup |= rec->staff[k].mid == s.mid;
		if (dup)
			continue; /* the site lists a person once; keep the first role */
		if (rec->n_staff == INGEST_MAX_STAFF)
			return fail(d, INGEST_BAD_VALUE, "response.data.staff has more than %d members",
			            INGEST_MAX_STAFF);
		rec->staff[rec->n_staff++] = s;
	}
	return INGEST_OK;
}

static IngestStatus
read_video(Decoder *d, json_t *data, IngestRecord *rec)
{
	json_t *owner, *stat;
	const int64_t cmax = INT64_MAX, rmax = INT32_MAX;

	TRY(get_id(d, data, "aid", "response.data.aid", &rec->aid));
	TRY(get_string(d, data, "bvid", "response.data.bvid", 1, &rec->bvid));
	if (!is_bvid(rec->bvid))
		return fail(d, INGEST_BAD_VALUE, "response.data.bvid is not a BV id");
	TRY(read_partition(d, data, "response.data", &rec->partition));
	TRY(get_string(d, data, "title", "response.data.title", 1, &rec->title));
	TRY(get_unix_time(d, data, "pubdate", "response.data.pubdate", &rec->pubdate));
	TRY(get_int(d, data, "duration", "response.data.duration", 0, INT32_MAX, &rec->duration));
	TRY(get_int(d, data, "copyright", "response.data.copyright", 1, 2, &rec->copyright));
	TRY(get_int(d, data, "state", "response.data.state", INT16_MIN, INT16_MAX, &rec->state));
	if (rec->state == INGEST_NULL)
		rec->state = 0;
	TRY(get_object(d, data, "owner", "response.data.owner", 1, &owner));
	TRY(get_id(d, owner, "mid", "response.data.owner.mid", &rec->mid));
	TRY(get_string(d, owner, "name", "response.data.owner.name", 0, &rec->owner_name));
	if (rec->owner_name && is_blank(rec->owner_name))
		rec->owner_name = NULL;
	TRY(get_string(d, owner, "face", "response.data.owner.face", 0, &rec->owner_face));
	TRY(get_object(d, data, "stat", "response.data.stat", 1, &stat));
	TRY(get_counter(d, stat, "view", "response.data.stat.view", cmax, &rec->view));
	TRY(get_counter(d, stat, "danmaku", "response.data.stat.danmaku", cmax, &rec->danmaku));
	TRY(get_counter(d, stat, "reply", "response.data.stat.reply", cmax, &rec->reply));
	TRY(get_counter(d, stat, "favorite", "response.data.stat.favorite", cmax, &rec->favorite));
	TRY(get_counter(d, stat, "coin", "response.data.stat.coin", cmax, &rec->coin));
	TRY(get_counter(d, stat, "share", "response.data.stat.share", cmax, &rec->share));
	TRY(get_counter(d, stat, "like", "response.data.stat.like", cmax, &rec->like));
	TRY(get_counter(d, stat, "his_rank", "response.data.stat.his_rank", rmax, &rec->his_rank));
	TRY(get_counter(d, stat, "now_rank", "response.data.stat.now_rank", rmax, &rec->now_rank));
	return read_staff(d, data, rec);
}

static IngestStatus
read_relation(Decoder *d, json_t *data, IngestRecord *rec)
{
	TRY(get_id(d, data, "mid", "response.data.mid", &rec->mid));
	TRY(get_counter(d, data, "follower", "response.data.follower", INT64_MAX, &rec->follower));
	return get_counter(d, data, "following", "response.data.following", INT64_MAX, &rec->following);
}

/* upstat's data has no mid: it comes from the request (params.mid). */
static IngestStatus
read_upstat(Decoder *d, json_t *root, json_t *data, IngestRecord *rec)
{
	json_t *params, *archive;

	if (member(data, "mid"))
		TRY(get_id(d, data, "mid", "response.data.mid", &rec->mid));
	else
	{
		TRY(get_object(d, root, "params", "params.mid", 1, &params));
		TRY(get_id(d, params, "mid", "params.mid", &rec->mid));
	}
	TRY(get_object(d, data, "archive", "response.data.archive", 0, &archive));
	if (archive)
		TRY(get_counter(d, archive, "view", "response.data.archive.view", INT64_MAX,
		                &rec->archive_view));
	return get_counter(d, data, "likes", "response.data.likes", INT64_MAX, &rec->likes);
}

static IngestStatus
read_card(Decoder *d, json_t *data, IngestRecord *rec)
{
	json_t *card, *sub, *mcn;

	TRY(get_object(d, data, "card", "response.data.card", 1, &card));
	TRY(get_id(d, card, "mid", "response.data.card.mid", &rec->mid));
	TRY(get_string(d, card, "name", "response.data.card.name", 1, &rec->name));
	TRY(get_string(d, card, "face", "response.data.card.face", 0, &rec->face));
	TRY(get_string(d, card, "sign", "response.data.card.sign", 0, &rec->sign));
	TRY(get_string(d, card, "sex", "response.data.card.sex", 0, &rec->sex));
	if (rec->sex && strcmp(rec->sex, "男") != 0 && strcmp(rec->sex, "女") != 0 &&
	    strcmp(rec->sex, "保密") != 0)
		return fail(d, INGEST_BAD_VALUE, "response.data.card.sex is not 男, 女 or 保密");
	TRY(get_object(d, card, "level_info", "response.data.card.level_info", 0, &sub));
	if (sub)
		TRY(get_int(d, sub, "current_level", "response.data.card.level_info.current_level", 0, 6,
		            &rec->level));
	TRY(get_object(d, card, "Official", "response.data.card.Official", 0, &sub));
	if (!sub)
		TRY(get_object(d, card, "official_verify", "response.data.card.official_verify", 0, &sub));
	if (sub)
		TRY(get_int(d, sub, "type", "response.data.card.Official.type", -1, 1,
		            &rec->official_type));
	TRY(get_object(d, card, "vip", "response.data.card.vip", 0, &sub));
	if (sub)
	{
		TRY(get_int(d, sub, "type", "response.data.card.vip.type", 0, 2, &rec->vip_type));
		if (rec->vip_type == INGEST_NULL)
			TRY(get_int(d, sub, "vipType", "response.data.card.vip.vipType", 0, 2, &rec->vip_type));
	}
	TRY(get_unix_time(d, card, "regtime", "response.data.card.regtime", &rec->joined_at));
	TRY(get_counter(d, card, "fans", "response.data.card.fans", INT64_MAX, &rec->follower));
	if (rec->follower == INGEST_NULL)
		TRY(get_counter(d, data, "follower", "response.data.follower", INT64_MAX, &rec->follower));
	TRY(get_counter(d, card, "attention", "response.data.card.attention", INT64_MAX,
	                &rec->following));
	TRY(read_partition(d, card, "response.data.card", &rec->main_partition));
	TRY(get_object(d, card, "mcn", "response.data.card.mcn", 0, &mcn));
	if (mcn)
	{
		TRY(get_id(d, mcn, "id", "response.data.card.mcn.id", &rec->mcn_id));
		TRY(get_string(d, mcn, "name", "response.data.card.mcn.name", 1, &rec->mcn_name));
	}
	return INGEST_OK;
}

static void
record_init(IngestRecord *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->pubdate = rec->duration = rec->copyright = INGEST_NULL;
	rec->view = rec->danmaku = rec->reply = rec->favorite = rec->coin = INGEST_NULL;
	rec->share = rec->like = rec->his_rank = rec->now_rank = INGEST_NULL;
	rec->follower = rec->following = rec->archive_view = rec->likes = INGEST_NULL;
	rec->level = rec->official_type = rec->vip_type = rec->joined_at = INGEST_NULL;
}

/* Envelope first, then the endpoint's reader; frees the document on failure. */
static IngestStatus
decode_document(Decoder *d, json_t *root, IngestRecord *rec)
{
	json_t *v, *response, *data;
	const char *endpoint;
	json_int_t code;
	int kind = -1;

	if (!json_is_object(root))
		return fail(d, INGEST_BAD_TYPE, "line is not a JSON object");
	TRY(read_observed_at(d, root, &rec->observed_at));
	TRY(get_string(d, root, "endpoint", "endpoint", 1, &endpoint));
	for (int i = 0; i < 4; i++)
		if (strcmp(endpoint, endpoints[i]) == 0)
			kind = i;
	if (kind < 0)
		return fail(d, INGEST_UNKNOWN_ENDPOINT, "%.80s", endpoint);
	rec->kind = (IngestKind) kind;
	TRY(get_object(d, root, "response", "response", 1, &response));
	v = member(response, "code");
	if (!v)
		return fail(d, INGEST_MISSING_FIELD, "response.code");
	if (!json_is_integer(v))
		return fail(d, INGEST_BAD_TYPE, "response.code is not an integer");
	code = json_integer_value(v);
	if (code != 0)
	{
		json_t *m = member(response, "message");

		return fail(d, INGEST_API_ERROR, "code %lld (%.80s)", (long long) code,
		            json_is_string(m) ? json_string_value(m) : "");
	}
	TRY(get_object(d, response, "data", "response.data", 1, &data));
	switch (rec->kind)
	{
		case INGEST_VIDEO:
			return read_video(d, data, rec);
		case INGEST_RELATION:
			return read_relation(d, data, rec);
		case INGEST_UPSTAT:
			return read_upstat(d, root, data, rec);
		case INGEST_CARD:
			return read_card(d, data, rec);
	}
	return INGEST_OK;
}

IngestStatus
ingest_decode(const char *line, size_t len, int64_t now, IngestRecord *rec, char *reason,
              size_t reason_size)
{
	Decoder d = {reason, reason_size, now};
	json_error_t err;
	json_t *root;
	IngestStatus st;

	record_init(rec);
	if (reason_size)
		reason[0] = '\0';
	root = json_loadb(line, len, 0, &err);
	if (!root)
		return fail(&d, INGEST_INVALID_JSON, "%s at column %d", err.text, err.column);
	st = decode_document(&d, root, rec);
	if (st != INGEST_OK)
	{
		json_decref(root);
		record_init(rec);
		return st;
	}
	rec->document = root;
	return INGEST_OK;
}

/* Release the parsed document the record's strings point into. */
void
ingest_record_free(IngestRecord *rec)
{
	if (rec->document)
		json_decref((json_t *) rec->document);
	rec->document = NULL;
}
