/*
 * tools_test.c — unit tests of the ingest line decoder (tools/ingest_decode.c).
 *
 * Table-driven: every kind of bad line must give its status and the reason
 * prefix the reject file shows; good lines must decode to exact values
 * ("--" and absent counters to NULL, RFC 3339 and Unix seconds alike).
 * Prints "N passed, N failed" last and exits non-zero on any failure.
 */
#include "ingest_decode.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

/* Fixed "now": 2027-01-15 08:00 UTC. */
#define NOW 1800000000LL

static void
check(int ok, const char *what, const char *detail)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	}
}

#define ENV(obs, ep, resp) "{\"observed_at\":" obs ",\"endpoint\":\"" ep "\",\"response\":" resp "}"
#define OK(data)           "{\"code\":0,\"message\":\"0\",\"ttl\":1,\"data\":" data "}"
#define VIEW(data)         ENV("1704067200", "x/web-interface/view", OK(data))
#define VIDEO_WITH(extra)                                                               \
	VIEW("{\"aid\":170001,\"bvid\":\"BV17x411w7KC\",\"tid\":24,\"tname\":\"MAD·AMV\"," \
	     "\"title\":\"t\",\"owner\":{\"mid\":2},\"stat\":{\"view\":1}" extra "}")
#define CARD(card) ENV("1704067200", "x/web-interface/card", OK("{\"card\":" card "}"))

typedef struct BadCase
{
	const char *line;
	IngestStatus status;
	const char *reason; /* expected prefix of the reason */
} BadCase;

static const BadCase bad_cases[] = {
    {"{", INGEST_INVALID_JSON, "invalid_json: "},
    {"", INGEST_INVALID_JSON, "invalid_json: "},
    {"not json", INGEST_INVALID_JSON, "invalid_json: "},
    {"{\"a\":1} trailing", INGEST_INVALID_JSON, "invalid_json: "},
    {"{\"observed_at\":\"\xff\xfe\"}", INGEST_INVALID_JSON, "invalid_json: "},
    {"{\"observed_at\":\"a\\u0000b\"}", INGEST_INVALID_JSON, "invalid_json: "},
    {"{\"observed_at\":99999999999999999999}", INGEST_INVALID_JSON, "invalid_json: "},
    {"[1,2]", INGEST_BAD_TYPE, "bad_type: line is not a JSON object"},
    {"{\"endpoint\":\"x/relation/stat\"}", INGEST_MISSING_FIELD, "missing_field: observed_at"},
    {"{\"observed_at\":null}", INGEST_MISSING_FIELD, "missing_field: observed_at"},
    {"{\"observed_at\":true}", INGEST_BAD_TYPE, "bad_type: observed_at"},
    {"{\"observed_at\":\"yesterday\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not an RFC 3339"},
    {"{\"observed_at\":\"2024-02-30T00:00:00Z\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not"},
    {"{\"observed_at\":\"2023-02-29T00:00:00Z\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not"},
    {"{\"observed_at\":\"2024-01-01T24:00:00Z\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not"},
    {"{\"observed_at\":\"2024-01-01T00:00:00\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not"},
    {"{\"observed_at\":\"2024-01-01T00:00:00+8:00\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at is not"},
    {"{\"observed_at\":100}", INGEST_BAD_VALUE, "bad_value: observed_at out of range"},
    {"{\"observed_at\":-5}", INGEST_BAD_VALUE, "bad_value: observed_at out of range"},
    {"{\"observed_at\":\"2009-06-25T15:59:59Z\"}", INGEST_BAD_VALUE,
     "bad_value: observed_at out of range"},
    {"{\"observed_at\":1800086401}", INGEST_BAD_VALUE, "bad_value: observed_at out of range"},
    {"{\"observed_at\":1704067200}", INGEST_MISSING_FIELD, "missing_field: endpoint"},
    {"{\"observed_at\":1704067200,\"endpoint\":42}", INGEST_BAD_TYPE, "bad_type: endpoint"},
    {"{\"observed_at\":1704067200,\"endpoint\":\"x/space/acc/info\"}", INGEST_UNKNOWN_ENDPOINT,
     "unknown_endpoint: x/space/acc/info"},
    {"{\"observed_at\":1704067200,\"endpoint\":\"x/relation/stat\"}", INGEST_MISSING_FIELD,
     "missing_field: response"},
    {ENV("1704067200", "x/relation/stat", "\"oops\""), INGEST_BAD_TYPE,
     "bad_type: response is not an object"},
    {ENV("1704067200", "x/relation/stat", "{\"data\":{}}"), INGEST_MISSING_FIELD,
     "missing_field: response.code"},
    {ENV("1704067200", "x/relation/stat", "{\"code\":\"0\"}"), INGEST_BAD_TYPE,
     "bad_type: response.code"},
    {ENV("1704067200", "x/web-interface/view",
         "{\"code\":-404,\"message\":\"啥都木有\",\"ttl\":1}"),
     INGEST_API_ERROR, "api_error: code -404 (啥都木有)"},
    {ENV("1704067200", "x/relation/stat", "{\"code\":-352,\"message\":\"风控校验失败\"}"),
     INGEST_API_ERROR, "api_error: code -352"},
    {ENV("1704067200", "x/relation/stat", "{\"code\":0}"), INGEST_MISSING_FIELD,
     "missing_field: response.data"},
    {ENV("1704067200", "x/relation/stat", OK("[]")), INGEST_BAD_TYPE,
     "bad_type: response.data is not an object"},
    /* video */
    {VIEW("{\"bvid\":\"BV17x411w7KC\"}"), INGEST_MISSING_FIELD, "missing_field: response.data.aid"},
    {VIEW("{\"aid\":\"abc\"}"), INGEST_BAD_VALUE, "bad_value: response.data.aid"},
    {VIEW("{\"aid\":0}"), INGEST_BAD_VALUE, "bad_value: response.data.aid must be positive"},
    {VIEW("{\"aid\":-3}"), INGEST_BAD_VALUE, "bad_value: response.data.aid must be positive"},
    {VIEW("{\"aid\":1.5}"), INGEST_BAD_TYPE, "bad_type: response.data.aid"},
    {VIEW("{\"aid\":1}"), INGEST_MISSING_FIELD, "missing_field: response.data.bvid"},
    {VIEW("{\"aid\":1,\"bvid\":\"AV170001\"}"), INGEST_BAD_VALUE, "bad_value: response.data.bvid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7K0\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.bvid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KCX\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.bvid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"tid\":24}"), INGEST_MISSING_FIELD,
     "missing_field: response.data.tname"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"tid\":\"24\"}"), INGEST_BAD_TYPE,
     "bad_type: response.data.tid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"tid\":24,\"tname\":\"x\",\"main\":{\"name\":"
          "\"y\"}}"),
     INGEST_MISSING_FIELD, "missing_field: response.data.main.tid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"tid\":24,\"tname\":\"x\",\"main\":{\"tid\":1,"
          "\"name\":\" \"}}"),
     INGEST_BAD_VALUE, "bad_value: response.data.main.name is blank"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\"}"), INGEST_MISSING_FIELD,
     "missing_field: response.data.title"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"   \"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.title is blank"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":7}"), INGEST_BAD_TYPE,
     "bad_type: response.data.title"},
    {VIDEO_WITH(",\"pubdate\":12345"), INGEST_BAD_VALUE,
     "bad_value: response.data.pubdate out of range"},
    {VIDEO_WITH(",\"duration\":-1"), INGEST_BAD_VALUE, "bad_value: response.data.duration"},
    {VIDEO_WITH(",\"copyright\":3"), INGEST_BAD_VALUE, "bad_value: response.data.copyright"},
    {VIDEO_WITH(",\"state\":40000"), INGEST_BAD_VALUE, "bad_value: response.data.state"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\"}"), INGEST_MISSING_FIELD,
     "missing_field: response.data.owner"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{}}"),
     INGEST_MISSING_FIELD, "missing_field: response.data.owner.mid"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{\"mid\":2}}"),
     INGEST_MISSING_FIELD, "missing_field: response.data.stat"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{\"mid\":2},\"stat\":{"
          "\"view\":-1}}"),
     INGEST_BAD_VALUE, "bad_value: response.data.stat.view out of range"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{\"mid\":2},\"stat\":{"
          "\"view\":\"12\"}}"),
     INGEST_BAD_TYPE, "bad_type: response.data.stat.view"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{\"mid\":2},\"stat\":{"
          "\"like\":1.5}}"),
     INGEST_BAD_TYPE, "bad_type: response.data.stat.like"},
    {VIEW("{\"aid\":1,\"bvid\":\"BV17x411w7KC\",\"title\":\"t\",\"owner\":{\"mid\":2},\"stat\":{"
          "\"his_rank\":3000000000}}"),
     INGEST_BAD_VALUE, "bad_value: response.data.stat.his_rank out of range"},
    {VIDEO_WITH(",\"staff\":{}"), INGEST_BAD_TYPE, "bad_type: response.data.staff is not an array"},
    {VIDEO_WITH(",\"staff\":[1]"), INGEST_BAD_TYPE,
     "bad_type: response.data.staff[0] is not an object"},
    {VIDEO_WITH(",\"staff\":[{\"mid\":3}]"), INGEST_MISSING_FIELD,
     "missing_field: response.data.staff[0].title"},
    {VIDEO_WITH(",\"staff\":[{\"mid\":3,\"title\":\"UP主\"},{\"title\":\"剪辑\"}]"),
     INGEST_MISSING_FIELD, "missing_field: response.data.staff[1].mid"},
    /* relation, upstat */
    {ENV("1704067200", "x/relation/stat", OK("{\"follower\":3}")), INGEST_MISSING_FIELD,
     "missing_field: response.data.mid"},
    {ENV("1704067200", "x/relation/stat", OK("{\"mid\":3,\"follower\":-1}")), INGEST_BAD_VALUE,
     "bad_value: response.data.follower out of range"},
    {ENV("1704067200", "x/relation/stat", OK("{\"mid\":3,\"following\":\"x\"}")), INGEST_BAD_TYPE,
     "bad_type: response.data.following"},
    {ENV("1704067200", "x/space/upstat", OK("{\"archive\":{\"view\":1},\"likes\":2}")),
     INGEST_MISSING_FIELD, "missing_field: params.mid"},
    {"{\"observed_at\":1704067200,\"endpoint\":\"x/space/"
     "upstat\",\"params\":{\"mid\":0},\"response\":" OK("{\"likes\":2}") "}",
     INGEST_BAD_VALUE, "bad_value: params.mid must be positive"},
    {"{\"observed_at\":1704067200,\"endpoint\":\"x/space/"
     "upstat\",\"params\":{\"mid\":5},\"response\":" OK("{\"archive\":3}") "}",
     INGEST_BAD_TYPE, "bad_type: response.data.archive is not an object"},
    /* card */
    {ENV("1704067200", "x/web-interface/card", OK("{}")), INGEST_MISSING_FIELD,
     "missing_field: response.data.card"},
    {CARD("{\"name\":\"a\"}"), INGEST_MISSING_FIELD, "missing_field: response.data.card.mid"},
    {CARD("{\"mid\":\"12x\",\"name\":\"a\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.mid"},
    {CARD("{\"mid\":\"99999999999999999999\",\"name\":\"a\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.mid"},
    {CARD("{\"mid\":\"5\"}"), INGEST_MISSING_FIELD, "missing_field: response.data.card.name"},
    {CARD("{\"mid\":\"5\",\"name\":\"\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.name is blank"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"sex\":\"x\"}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.sex"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"level_info\":{\"current_level\":7}}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.level_info.current_level"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"Official\":{\"type\":2}}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.Official.type"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"vip\":{\"type\":5}}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.vip.type"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"regtime\":99}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.regtime"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"fans\":-2}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.fans"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"mcn\":{\"name\":\"m\"}}"), INGEST_MISSING_FIELD,
     "missing_field: response.data.card.mcn.id"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"mcn\":{\"id\":7,\"name\":\" \"}}"), INGEST_BAD_VALUE,
     "bad_value: response.data.card.mcn.name is blank"},
    {CARD("{\"mid\":\"5\",\"name\":\"a\",\"mcn\":[]}"), INGEST_BAD_TYPE,
     "bad_type: response.data.card.mcn"},
};

static void
test_bad_lines(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
	{
		const BadCase *c = &bad_cases[i];
		IngestRecord rec;
		char reason[512];
		char detail[1200];
		IngestStatus st =
		    ingest_decode(c->line, strlen(c->line), NOW, &rec, reason, sizeof(reason));

		snprintf(detail, sizeof(detail), "case %zu: got %s \"%s\", want %s \"%s\" for %s", i,
		         ingest_status_name(st), reason, ingest_status_name(c->status), c->reason, c->line);
		check(st == c->status && strncmp(reason, c->reason, strlen(c->reason)) == 0, "bad line",
		      detail);
		check(rec.document == NULL, "a rejected line leaves nothing to free", detail);
		if (st == INGEST_OK)
			ingest_record_free(&rec);
	}
}

/* Decode a line that must be good. */
static int
decode_good(const char *line, IngestRecord *rec)
{
	char reason[512];
	IngestStatus st = ingest_decode(line, strlen(line), NOW, rec, reason, sizeof(reason));

	check(st == INGEST_OK, "good line decodes", st == INGEST_OK ? NULL : reason);
	return st == INGEST_OK;
}

#define EQ_I(a, b) check((a) == (b), #a " == " #b, NULL)
#define EQ_S(a, b) check((a) != NULL && strcmp((a), (b)) == 0, #a " == " #b, (a))

static void
test_video(void)
{
	IngestRecord r;
	const char *line =
	    "{\"observed_at\":\"2024-01-01T08:30:15+08:00\",\"endpoint\":\"x/web-interface/view\","
	    "\"params\":{\"bvid\":\"BV17x411w7KC\"},\"response\":{\"code\":0,\"message\":\"0\",\"ttl\":"
	    "1,"
	    "\"data\":{\"bvid\":\"BV17x411w7KC\",\"aid\":1130000000000001,\"tid\":24,\"tname\":"
	    "\"MAD·AMV\","
	    "\"main\":{\"tid\":1,\"name\":\"动画\"},\"copyright\":1,\"title\":"
	    "\"关于\\\"躺平\\\"\\\\的🎮\","
	    "\"pubdate\":1700000000,\"ctime\":1699990000,\"state\":0,\"duration\":141,"
	    "\"owner\":{\"mid\":3546999999999999,\"name\":\"海酥\",\"face\":\"https://i0.hdslb.com/"
	    "f.jpg\"},"
	    "\"stat\":{\"aid\":1130000000000001,\"view\":\"--\",\"danmaku\":1,\"reply\":4,\"favorite\":"
	    "22,"
	    "\"coin\":15,\"share\":0,\"now_rank\":0,\"his_rank\":12,\"like\":30,\"dislike\":0},"
	    "\"staff\":[{\"mid\":3546999999999999,\"title\":\"UP主\",\"name\":\"海酥\"},"
	    "{\"mid\":\"42\",\"title\":\"剪辑\"},{\"mid\":42,\"title\":\"出镜\"}]}}}";

	if (!decode_good(line, &r))
		return;
	EQ_I(r.kind, INGEST_VIDEO);
	EQ_I(r.observed_at, 1704069015LL * 1000000); /* 2024-01-01T00:30:15Z */
	EQ_I(r.aid, 1130000000000001LL);
	EQ_S(r.bvid, "BV17x411w7KC");
	EQ_I(r.mid, 3546999999999999LL);
	EQ_I(r.partition.tid, 24);
	EQ_S(r.partition.name, "MAD·AMV");
	EQ_I(r.partition.parent_tid, 1);
	EQ_S(r.partition.parent_name, "动画");
	EQ_S(r.title, "关于\"躺平\"\\的🎮");
	EQ_I(r.pubdate, 1700000000LL * 1000000);
	EQ_I(r.duration, 141);
	EQ_I(r.copyright, 1);
	EQ_I(r.state, 0);
	EQ_S(r.owner_name, "海酥");
	EQ_S(r.owner_face, "https://i0.hdslb.com/f.jpg");
	EQ_I(r.view, INGEST_NULL);
	EQ_I(r.danmaku, 1);
	EQ_I(r.reply, 4);
	EQ_I(r.favorite, 22);
	EQ_I(r.coin, 15);
	EQ_I(r.share, 0);
	EQ_I(r.like, 30);
	EQ_I(r.his_rank, 12);
	EQ_I(r.now_rank, 0);
	EQ_I(r.n_staff, 2); /* the second entry for mid 42 is dropped */
	EQ_I(r.staff[0].mid, 3546999999999999LL);
	EQ_S(r.staff[0].title, "UP主");
	EQ_I(r.staff[1].mid, 42);
	EQ_S(r.staff[1].title, "剪辑");
	check(r.staff[1].name == NULL, "absent staff name is NULL", NULL);
	ingest_record_free(&r);
	check(r.document == NULL, "free clears the document", NULL);
}

static void
test_video_minimal(void)
{
	IngestRecord r;

	/* counters absent are NULL; no tid is no partition; state defaults to 0 */
	if (!decode_good(
	        VIEW("{\"aid\":7,\"bvid\":\"BV1xx411c7mD\",\"title\":\"x\",\"owner\":{\"mid\":9},"
	             "\"stat\":{}}"),
	        &r))
		return;
	EQ_I(r.view, INGEST_NULL);
	EQ_I(r.like, INGEST_NULL);
	EQ_I(r.his_rank, INGEST_NULL);
	EQ_I(r.partition.tid, 0);
	EQ_I(r.pubdate, INGEST_NULL);
	EQ_I(r.copyright, INGEST_NULL);
	EQ_I(r.state, 0);
	EQ_I(r.n_staff, 0);
	check(r.owner_name == NULL, "absent owner name is NULL", NULL);
	ingest_record_free(&r);

	/* a top-level partition naming itself as main has no parent; pubdate 0 is NULL */
	if (!decode_good(VIDEO_WITH(",\"main\":{\"tid\":24,\"name\":\"MAD·AMV\"},\"pubdate\":0"), &r))
		return;
	EQ_I(r.partition.tid, 24);
	EQ_I(r.partition.parent_tid, 0);
	EQ_I(r.pubdate, INGEST_NULL);
	ingest_record_free(&r);
}

static void
test_observed_at(void)
{
	static const struct
	{
		const char *text;
		long long us;
	} cases[] = {
	    {"1704067200", 1704067200000000LL},
	    {"1704067200.5", 1704067200500000LL},
	    {"\"2024-01-01T00:00:00Z\"", 1704067200000000LL},
	    {"\"2024-01-01t00:00:00z\"", 1704067200000000LL},
	    {"\"2024-01-01 00:00:00Z\"", 1704067200000000LL},
	    {"\"2024-01-01T08:00:00+08:00\"", 1704067200000000LL},
	    {"\"2023-12-31T19:00:00-05:00\"", 1704067200000000LL},
	    {"\"2024-01-01T00:00:00.123456Z\"", 1704067200123456LL},
	    {"\"2024-01-01T00:00:00.1Z\"", 1704067200100000LL},
	    {"\"2024-01-01T00:00:00.1234567Z\"", 1704067200123456LL},
	    {"\"2024-02-29T12:00:00Z\"", 1709208000000000LL},
	    {"\"2009-06-25T16:00:00Z\"", 1245945600000000LL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char line[512];
		IngestRecord r;
		char reason[256];
		char detail[600];
		IngestStatus st;

		snprintf(line, sizeof(line),
		         "{\"observed_at\":%s,\"endpoint\":\"x/relation/stat\",\"response\":{\"code\":0,"
		         "\"data\":{\"mid\":1,\"follower\":5,\"following\":\"--\"}}}",
		         cases[i].text);
		st = ingest_decode(line, strlen(line), NOW, &r, reason, sizeof(reason));
		snprintf(detail, sizeof(detail), "%s -> %lld (%s)", cases[i].text,
		         (long long) r.observed_at, st == INGEST_OK ? "ok" : reason);
		check(st == INGEST_OK && r.observed_at == cases[i].us, "observed_at", detail);
		if (st == INGEST_OK)
		{
			EQ_I(r.kind, INGEST_RELATION);
			EQ_I(r.follower, 5);
			EQ_I(r.following, INGEST_NULL);
			ingest_record_free(&r);
		}
	}
}

static void
test_upstat_and_card(void)
{
	IngestRecord r;

	if (decode_good(
	        "{\"observed_at\":1704067200,\"endpoint\":\"x/space/"
	        "upstat\",\"params\":{\"mid\":\"77\"},"
	        "\"response\":{\"code\":0,\"message\":\"0\",\"ttl\":1,\"data\":{\"archive\":{\"view\":"
	        "14096,\"enable_vip\":false},\"article\":{\"view\":0},\"likes\":\"--\"}}}",
	        &r))
	{
		EQ_I(r.kind, INGEST_UPSTAT);
		EQ_I(r.mid, 77);
		EQ_I(r.archive_view, 14096);
		EQ_I(r.likes, INGEST_NULL);
		ingest_record_free(&r);
	}
	if (decode_good(
	        CARD(
	            "{\"mid\":\"1146380825\",\"name\":\"海酥Official\",\"sex\":\"保密\",\"face\":\"f\","
	            "\"regtime\":1491006977,\"fans\":3,\"attention\":88,\"sign\":\"a\\nb\","
	            "\"level_info\":{\"current_level\":6},\"Official\":{\"role\":1,\"type\":0},"
	            "\"vip\":{\"type\":2,\"status\":1},\"tid\":22,\"tname\":\"鬼畜调教\","
	            "\"main\":{\"tid\":119,\"name\":\"鬼畜\"},\"mcn\":{\"id\":1037,\"name\":"
	            "\"无忧传媒\"}}"),
	        &r))
	{
		EQ_I(r.kind, INGEST_CARD);
		EQ_I(r.mid, 1146380825LL);
		EQ_S(r.name, "海酥Official");
		EQ_S(r.sex, "保密");
		EQ_S(r.sign, "a\nb");
		EQ_I(r.joined_at, 1491006977LL * 1000000);
		EQ_I(r.follower, 3);
		EQ_I(r.following, 88);
		EQ_I(r.level, 6);
		EQ_I(r.official_type, 0);
		EQ_I(r.vip_type, 2);
		EQ_I(r.main_partition.tid, 22);
		EQ_I(r.main_partition.parent_tid, 119);
		EQ_I(r.mcn_id, 1037);
		EQ_S(r.mcn_name, "无忧传媒");
		ingest_record_free(&r);
	}
	/* the bare site card: no mcn, no partition, follower from data.follower, vipType */
	if (decode_good(ENV("1704067200", "x/web-interface/card",
	                    OK("{\"card\":{\"mid\":\"2\",\"name\":\"碧诗\",\"regtime\":0,"
	                       "\"official_verify\":{\"type\":1},\"vip\":{\"vipType\":1}},"
	                       "\"follower\":1000}")),
	                &r))
	{
		EQ_I(r.mcn_id, 0);
		EQ_I(r.main_partition.tid, 0);
		EQ_I(r.follower, 1000);
		EQ_I(r.following, INGEST_NULL);
		EQ_I(r.joined_at, INGEST_NULL);
		EQ_I(r.official_type, 1);
		EQ_I(r.vip_type, 1);
		EQ_I(r.level, INGEST_NULL);
		check(r.sex == NULL, "absent sex is NULL", NULL);
		ingest_record_free(&r);
	}
}

static void
test_names(void)
{
	EQ_S(ingest_status_name(INGEST_OK), "ok");
	EQ_S(ingest_status_name(INGEST_API_ERROR), "api_error");
	EQ_S(ingest_kind_endpoint(INGEST_UPSTAT), "x/space/upstat");
	/* a tiny reason buffer truncates, never overflows */
	{
		IngestRecord r;
		char reason[8];

		check(ingest_decode("{", 1, NOW, &r, reason, sizeof(reason)) == INGEST_INVALID_JSON &&
		          strlen(reason) == 7,
		      "reason is truncated to its buffer", reason);
		check(ingest_decode("{", 1, NOW, &r, NULL, 0) == INGEST_INVALID_JSON,
		      "no reason buffer is fine", NULL);
	}
}

int
main(void)
{
	test_bad_lines();
	test_video();
	test_video_minimal();
	test_observed_at();
	test_upstat_and_card();
	test_names();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
