/*
 * uphub-gen — synthetic ingest lines for uphub (API.md, "Tools").
 *
 * Writes one JSON object per line to stdout: {"observed_at", "endpoint",
 * "params", "response"}, where response is shaped like the site's public web
 * API envelope {code, message, ttl, data} for four endpoints:
 *   x/web-interface/view   a video: ids, partition, title, owner, stat, staff
 *   x/relation/stat        a creator's follower / following counts
 *   x/space/upstat         a creator's total plays and likes (no mid in data:
 *                          the id travels in "params", as a crawler records it)
 *   x/web-interface/card   a creator's profile card, with two uphub fields:
 *                          data.card.mcn {id, name} (absent when no agency) and
 *                          the creator's main partition as data.card.tid/tname
 *                          plus data.card.main {tid, name} (its parent)
 *
 * Phases: (1) build the world from the seed — creators, MCNs, videos, with
 * every attribute drawn once from a xoshiro256** stream; (2) walk the
 * snapshot rounds (days x snapshots-per-day) and, per creator, emit its
 * relation, upstat, card (once a day) and the view of each published video.
 * --from-day / --to-day walk only some of the days: the world is the same,
 * so runs over consecutive day ranges continue one feed (a video keeps its
 * pubdate and its counters keep growing), as a crawler's daily runs do.
 *
 * Invariants:
 * - Same arguments, same bytes: all randomness is xoshiro256** seeded by
 *   splitmix64 from --seed, or a hash of (seed, entity, time); nothing reads
 *   the clock, the environment or rand().
 * - Counters are functions of the observation time (cumulative views follow
 *   a power-law decay after pubdate), so a late, out-of-order line carries
 *   the values of the time it claims.
 * - Noise: about 1% of lines are held back and emitted 1-3 rounds late, 0.2%
 *   are emitted twice (byte-identical), 0.2% come back with code -352 (risk
 *   control), deleted videos answer -404 / 62002 for a few rounds, and a few
 *   counters are hidden ("--").
 *
 * Speed: lines are built by hand in one buffer and written with large
 * write()s; numbers are formatted without printf.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

const char *buf_program_name = "uphub-gen";
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Randomness                                                               */
/* ------------------------------------------------------------------------ */

typedef struct Rng
{
	uint64_t s[4];
} Rng;

/* splitmix64 step: seeds xoshiro and hashes keys. */
static uint64_t
mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seed a stream; distinct (seed, stream) pairs give independent sequences. */
static void
rng_seed(Rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = mix64(seed) ^ mix64(stream * 0x2545f4914f6cdd1dULL + 1);

	for (int i = 0; i < 4; i++)
	{
		x = mix64(x);
		r->s[i] = x;
	}
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: fast, good and fully specified, unlike rand(). */
static uint64_t
rng_next(Rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static double
rng_unit(Rng *r)
{
	return (double) (rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]. */
static int64_t
rng_range(Rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t) (rng_unit(r) * (double) (hi - lo + 1));
}

/* Standard normal by Box-Muller (one of the pair; simplicity over speed). */
static double
rng_normal(Rng *r)
{
	double u1 = rng_unit(r);
	double u2 = rng_unit(r);

	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* A keyed hash in [0, 1): noise that depends on (entity, time), not on order. */
static double
hash_unit(uint64_t seed, uint64_t a, uint64_t b)
{
	return (double) (mix64(seed ^ mix64(a ^ mix64(b + 0x51ed27ULL))) >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------------ */
/* Output buffer                                                            */
/* ------------------------------------------------------------------------ */


static void
die(const char *msg)
{
	fprintf(stderr, "uphub-gen: %s\n", msg);
	exit(2);
}

/* Decimal integer without printf. */
static void
buf_put_i64(Buf *b, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t) (-(v + 1)) + 1 : (uint64_t) v;

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

/* Zero-padded decimal of fixed width. */
static void
buf_put_pad(Buf *b, int64_t v, int width)
{
	buf_reserve(b, (size_t) width);
	for (int i = width - 1; i >= 0; i--)
	{
		b->p[b->len + i] = (char) ('0' + v % 10);
		v /= 10;
	}
	b->len += (size_t) width;
}

/* A JSON string literal; escapes quote, backslash and control characters. */
static void
buf_put_jstr(Buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	buf_putc(b, '"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			buf_putc(b, '\\');
			buf_putc(b, (char) c);
		}
		else if (c == '\n')
			PUTS(b, "\\n");
		else if (c < 0x20)
		{
			PUTS(b, "\\u00");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
		else
			buf_putc(b, (char) c);
	}
	buf_putc(b, '"');
}

/* A counter, or the site's "--" when it is hidden. */
static void
buf_put_counter(Buf *b, int64_t v, int is_hidden)
{
	if (is_hidden)
		PUTS(b, "\"--\"");
	else
		buf_put_i64(b, v);
}

static Buf out;

/* Flush stdout's buffer with write(); stdio would copy once more. */
static void
out_flush(void)
{
	size_t off = 0;

	while (off < out.len)
	{
		ssize_t n = write(1, out.p + off, out.len - off);

		if (n < 0)
		{
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				exit(0);
			die("write to stdout failed");
		}
		off += (size_t) n;
	}
	out.len = 0;
}

static void
out_line(const char *s, size_t n)
{
	buf_put(&out, s, n);
	if (out.len >= (1u << 20))
		out_flush();
}

/* ------------------------------------------------------------------------ */
/* The site's vocabulary                                                    */
/* ------------------------------------------------------------------------ */

typedef struct PartitionDef
{
	int tid;
	int parent; /* 0 for a top-level partition */
	const char *name;
	double weight; /* share of creators whose main partition it is */
} PartitionDef;

/* A subset of the site's partitions (tids as the site numbers them). */
static const PartitionDef partitions[] = {
    {1, 0, "动画", 0},           {24, 1, "MAD·AMV", 3},
    {25, 1, "MMD·3D", 2},        {47, 1, "短片·手书·配音", 2},
    {210, 1, "手办·模玩", 1},    {86, 1, "特摄", 0.5},
    {27, 1, "综合", 2},          {13, 0, "番剧", 0},
    {51, 13, "资讯", 0.5},       {152, 13, "官方延伸", 0.5},
    {3, 0, "音乐", 0},           {28, 3, "原创音乐", 2},
    {31, 3, "翻唱", 3},          {30, 3, "VOCALOID·UTAU", 1},
    {59, 3, "演奏", 2},          {193, 3, "MV", 1},
    {29, 3, "音乐现场", 1},      {130, 3, "音乐综合", 2},
    {129, 0, "舞蹈", 0},         {20, 129, "宅舞", 2},
    {154, 129, "舞蹈综合", 1.5}, {156, 129, "舞蹈教程", 1},
    {4, 0, "游戏", 0},           {17, 4, "单机游戏", 6},
    {171, 4, "电子竞技", 3},     {172, 4, "手机游戏", 5},
    {65, 4, "网络游戏", 4},      {173, 4, "桌游棋牌", 1},
    {121, 4, "GMV", 1},          {136, 4, "音游", 1},
    {19, 4, "Mugen", 0.3},       {36, 0, "知识", 0},
    {201, 36, "科学科普", 3},    {124, 36, "社科·法律·心理", 2},
    {228, 36, "人文历史", 2},    {207, 36, "财经商业", 2},
    {208, 36, "校园学习", 3},    {209, 36, "职业职场", 1},
    {229, 36, "设计·创意", 1},   {122, 36, "野生技术协会", 2},
    {188, 0, "科技", 0},         {95, 188, "数码", 3},
    {230, 188, "软件应用", 1},   {231, 188, "计算机技术", 2},
    {232, 188, "科工机械", 1},   {160, 0, "生活", 0},
    {138, 160, "搞笑", 4},       {21, 160, "日常", 8},
    {161, 160, "手工", 1},       {162, 160, "绘画", 2},
    {239, 160, "家居房产", 1},   {211, 0, "美食", 0},
    {76, 211, "美食制作", 3},    {212, 211, "美食侦探", 1},
    {213, 211, "美食测评", 1},   {214, 211, "田园美食", 1},
    {217, 0, "动物圈", 0},       {218, 217, "喵星人", 2},
    {219, 217, "汪星人", 1},     {222, 217, "小宠异宠", 0.5},
    {119, 0, "鬼畜", 0},         {22, 119, "鬼畜调教", 1.5},
    {26, 119, "音MAD", 1},       {126, 119, "人力VOCALOID", 0.5},
    {216, 119, "鬼畜剧场", 0.5}, {155, 0, "时尚", 0},
    {157, 155, "美妆护肤", 2},   {158, 155, "穿搭", 1.5},
    {159, 155, "时尚潮流", 1},   {5, 0, "娱乐", 0},
    {71, 5, "综艺", 1},          {241, 5, "娱乐杂谈", 2},
    {137, 5, "明星综合", 1},     {181, 0, "影视", 0},
    {182, 181, "影视杂谈", 3},   {183, 181, "影视剪辑", 3},
    {85, 181, "小剧场", 1},      {184, 181, "预告·资讯", 0.5},
    {234, 0, "运动", 0},         {235, 234, "篮球", 1},
    {249, 234, "足球", 1},       {164, 234, "健身", 2},
    {236, 234, "竞技体育", 1},   {223, 0, "汽车", 0},
    {245, 223, "赛车", 0.5},     {246, 223, "改装玩车", 0.5},
    {247, 223, "新能源车", 1},
};
#define N_PARTITIONS ((int) (sizeof(partitions) / sizeof(partitions[0])))

static const char *const name_chars[] = {
    "小", "大", "阿", "老", "猫", "狗", "鱼", "兔", "熊", "星", "月", "云", "风", "雨",
    "雪", "山", "海", "花", "叶", "木", "子", "白", "黑", "红", "蓝", "绿", "金", "银",
    "糖", "酱", "君", "桑", "喵", "汪", "菌", "酥", "茶", "果", "橙", "柠", "檬", "甜",
    "咸", "辣", "夜", "晨", "光", "影", "梦", "羽", "墨", "青", "柚", "桃", "李", "王",
    "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
};
#define N_NAME_CHARS ((int) (sizeof(name_chars) / sizeof(name_chars[0])))

static const char *const name_suffixes[] = {
    "",   "",   "",   "",       "",         "",       "_",   "Official", "频道",   "工作室",
    "君", "酱", "TV", "的日常", "不是鸽子", "在路上", "bot", "研究所",   "实验室", "小剧场",
};
#define N_NAME_SUFFIXES ((int) (sizeof(name_suffixes) / sizeof(name_suffixes[0])))

static const char *const title_heads[] = {
    "【",       "",         "",         "",         "【高能】", "【4K】", "【熟肉】",
    "【合集】", "【首发】", "【教程】", "【实况】", "",         "",       "",
};
#define N_TITLE_HEADS ((int) (sizeof(title_heads) / sizeof(title_heads[0])))

static const char *const title_bodies[] = {
    "这可能是全站最好的",
    "我花了三个月做了一个",
    "一口气看完",
    "第一次尝试",
    "当你把",
    "挑战24小时",
    "全程高能！",
    "震惊！原来",
    "十分钟带你了解",
    "如何评价",
    "史上最难",
    "我们终于做到了",
    "被问了一万次的",
    "从零开始的",
    "关于\"躺平\"的",
    "C:\\Users\\下载的",
    "🎮 通关",
    "别再被骗了！",
    "年度总结：",
    "保姆级",
};
#define N_TITLE_BODIES ((int) (sizeof(title_bodies) / sizeof(title_bodies[0])))

static const char *const title_tails[] = {
    "（完整版）", "", "", "！", "？", "…", " 第二期", " P1", "（上）", "（下）", " 合集", "",
};
#define N_TITLE_TAILS ((int) (sizeof(title_tails) / sizeof(title_tails[0])))

static const char *const signs[] = {
    "",
    "",
    "这个人很懒，什么都没有写",
    "商务合作请私信",
    "每周更新，欢迎关注~",
    "一个普通的UP主",
    "Keep \"calm\" and carry on",
    "喜欢的话就点个关注吧！",
    "合作邮箱：contact@example.com",
    "不定期更新\n随缘",
    "学生党，更新随缘",
    "感谢每一位观众 ❤",
};
#define N_SIGNS ((int) (sizeof(signs) / sizeof(signs[0])))

static const char *const staff_titles[] = {
    "剪辑", "出镜", "配音", "策划", "后期", "协力", "参演", "摄影", "作曲", "编曲",
};
#define N_STAFF_TITLES ((int) (sizeof(staff_titles) / sizeof(staff_titles[0])))

static const char *const mcn_names[] = {
    "无忧传媒", "papitube", "银色大地", "构思传媒", "大禹网络", "洋葱集团", "二咖传媒",
    "愿景娱乐", "如涵控股", "遥望网络", "蜂群文化", "哇唧唧哇", "悠酷文化",
};
#define N_MCN_NAMES ((int) (sizeof(mcn_names) / sizeof(mcn_names[0])))

static const char base58[] = "FcwAPNKTMug3GV5Lj7EJnHpWsx4tb8haYeviqBz6rkCy12mUSDQX9RdoZf";

/* The site's av->BV mapping (the 2024 algorithm): aid < 2^51. */
static void
av_to_bv(int64_t aid, char bv[13])
{
	const uint64_t xor_code = 23442827791579ULL;
	const uint64_t max_aid = 1ULL << 51;
	uint64_t tmp = (max_aid | (uint64_t) aid) ^ xor_code;
	char c;

	memcpy(bv, "BV1000000000", 13);
	for (int i = 11; i >= 3 && tmp > 0; i--)
	{
		bv[i] = base58[tmp % 58];
		tmp /= 58;
	}
	c = bv[3];
	bv[3] = bv[9];
	bv[9] = c;
	c = bv[4];
	bv[4] = bv[7];
	bv[7] = c;
}

/* ------------------------------------------------------------------------ */
/* The world                                                                */
/* ------------------------------------------------------------------------ */

typedef struct Creator
{
	int64_t mid;
	int64_t regtime;
	double pop;         /* standardised popularity, drives followers and views */
	double fans_end;    /* followers at the end of the window */
	double fans_trend;  /* relative change over the window (negative: losing) */
	double follow_base; /* accounts followed */
	int main_part;      /* index into partitions[] */
	int mcn;            /* index into mcns, -1 none */
	int mcn_change;     /* round at which mcn membership flips, -1 never */
	int rename_round;   /* round at which the name changes, -1 never */
	int level;
	int sex;
	int official;
	int vip;
	int sign;
	int first_video;
	int n_videos;
	uint32_t name_key;
} Creator;

typedef struct Video
{
	int64_t aid;
	int64_t pubdate;
	int64_t deleted_at; /* 0: never */
	double views_final;
	float like_r, coin_r, fav_r, share_r, reply_r, danmaku_r;
	int creator;
	int part; /* index into partitions[] */
	int duration;
	int his_rank;
	int staff_first; /* index into staff[], -1 none */
	int staff_n;
	uint32_t title_key;
	uint8_t copyright;
	uint8_t hides; /* bit 0: view hidden throughout; bit 1: hides now and then */
	uint8_t by_bvid;
} Video;

typedef struct Staff
{
	int creator;
	int title; /* -1: "UP主" */
} Staff;

typedef struct Options
{
	int64_t creators;
	double videos_per_creator;
	int days;
	int per_day;
	uint64_t seed;
	int64_t start; /* unix seconds */
	int from_day;  /* emit days from_day .. to_day - 1 of the world */
	int to_day;
	double late_rate;
	double dup_rate;
	double error_rate;
	double hidden_rate;
} Options;

static Options opt;
static Creator *creators;
static Video *videos;
static int64_t n_videos;
static Staff *staff;
static int64_t n_staff;
static int n_mcns;
static int64_t *mcn_ids;
static int64_t t_end;

/* Check a generated id is unused; open addressing over 64-bit keys. */
typedef struct IdSet
{
	uint64_t *slot;
	size_t mask;
} IdSet;

static void
idset_init(IdSet *s, size_t n)
{
	size_t cap = 1024;

	while (cap < n * 2)
		cap *= 2;
	s->slot = calloc(cap, sizeof(uint64_t));
	if (!s->slot)
		die("out of memory");
	s->mask = cap - 1;
}

/* Insert; returns 0 when the key was already there. */
static int
idset_add(IdSet *s, uint64_t key)
{
	size_t i = (size_t) mix64(key) & s->mask;

	while (s->slot[i])
	{
		if (s->slot[i] == key)
			return 0;
		i = (i + 1) & s->mask;
	}
	s->slot[i] = key;
	return 1;
}

/* A mid in one of the site's eras: 6-9 digits, 10 digits, or 16 digits. */
static int64_t
draw_mid(Rng *r, int64_t *regtime)
{
	double u = rng_unit(r);
	int64_t mid;

	if (u < 0.25)
	{
		mid = rng_range(r, 10000, 499999999);
		*regtime = 1262275200 + (int64_t) ((double) mid / 5e8 * 2.5e8); /* 2010..2017 */
	}
	else if (u < 0.65)
	{
		mid = rng_range(r, 1000000000, 3999999999LL);
		*regtime = 1483200000 + (int64_t) ((double) (mid - 1000000000) / 3e9 * 1.6e8);
	}
	else
	{
		mid = rng_range(r, 3400000000000000LL, 3546999999999999LL);
		*regtime = 1640966400 + (int64_t) ((double) (mid - 3400000000000000LL) / 1.47e14 * 6e7);
	}
	return mid;
}

/* Weighted pick of a sub-partition as a creator's main partition. */
static int
draw_partition(Rng *r)
{
	static double total;
	double x;

	if (total == 0)
		for (int i = 0; i < N_PARTITIONS; i++)
			total += partitions[i].weight;
	x = rng_unit(r) * total;
	for (int i = 0; i < N_PARTITIONS; i++)
	{
		x -= partitions[i].weight;
		if (x < 0 && partitions[i].weight > 0)
			return i;
	}
	return 1;
}

/* A sibling of partition p (same parent), for creators who stray. */
static int
sibling_partition(Rng *r, int p)
{
	int parent = partitions[p].parent;
	int n = 0;
	int pick;

	for (int i = 0; i < N_PARTITIONS; i++)
		if (partitions[i].parent == parent)
			n++;
	pick = (int) rng_range(r, 0, n - 1);
	for (int i = 0; i < N_PARTITIONS; i++)
		if (partitions[i].parent == parent && pick-- == 0)
			return i;
	return p;
}

static int
parent_index(int p)
{
	for (int i = 0; i < N_PARTITIONS; i++)
		if (partitions[i].tid == partitions[p].parent)
			return i;
	return p;
}

/* Build creators, MCNs, videos and staff from the seed. */
static void
build_world(void)
{
	Rng r;
	IdSet mids, aids;
	int64_t cap_videos;
	int64_t rounds = (int64_t) opt.days * opt.per_day;
	double window = (double) (t_end - opt.start);

	rng_seed(&r, opt.seed, 1);
	creators = calloc((size_t) opt.creators, sizeof(Creator));
	if (!creators)
		die("out of memory");
	idset_init(&mids, (size_t) opt.creators);

	n_mcns = (int) (opt.creators / 150) + 3;
	mcn_ids = calloc((size_t) n_mcns, sizeof(int64_t));
	for (int i = 0; i < n_mcns; i++)
		mcn_ids[i] = 1000 + i * 37 + rng_range(&r, 0, 36);

	cap_videos = 0;
	for (int64_t i = 0; i < opt.creators; i++)
	{
		Creator *c = &creators[i];
		double z;
		double n;

		do
			c->mid = draw_mid(&r, &c->regtime);
		while (!idset_add(&mids, (uint64_t) c->mid));
		c->pop = rng_normal(&r);
		/* followers: log-normal body (median 4), a Pareto head into the millions */
		z = 0.8 * c->pop + 0.6 * rng_normal(&r);
		c->fans_end = exp(log(4.0) + 2.4 * z);
		if (rng_unit(&r) < 0.004)
			c->fans_end = 1e5 / pow(1.0 - rng_unit(&r), 1.0 / 0.9);
		if (c->fans_end > 3e7)
			c->fans_end = 3e7;
		/* most grow, some shrink (unfollows) */
		c->fans_trend = rng_unit(&r) < 0.2 ? -0.15 * rng_unit(&r) : 0.4 * rng_unit(&r);
		c->follow_base = exp(log(40.0) + 1.2 * rng_normal(&r));
		c->main_part = draw_partition(&r);
		c->mcn = -1;
		if (rng_unit(&r) < 0.01 + 0.4 / (1.0 + exp(-(c->pop - 2.0) * 2.0)))
			c->mcn = (int) rng_range(&r, 0, n_mcns - 1);
		c->mcn_change = rng_unit(&r) < 0.02 ? (int) rng_range(&r, 1, rounds) : -1;
		c->rename_round = rng_unit(&r) < 0.03 ? (int) rng_range(&r, 1, rounds) : -1;
		c->level = (int) fmin(6, fmax(0, floor(3.5 + 1.3 * rng_normal(&r) + 0.4 * c->pop)));
		c->sex = (int) rng_range(&r, 0, 2);
		c->official = c->fans_end > 1e5 ? (rng_unit(&r) < 0.5 ? 0 : 1) : -1;
		c->vip = rng_unit(&r) < 0.3 ? (int) rng_range(&r, 1, 2) : 0;
		c->sign = (int) rng_range(&r, 0, N_SIGNS - 1);
		c->name_key = (uint32_t) rng_next(&r);
		/* uploads: heavy-tailed around the requested mean */
		n = opt.videos_per_creator * exp(-0.72 + 1.2 * rng_normal(&r) + 0.2 * c->pop);
		if (n > opt.videos_per_creator * 60)
			n = opt.videos_per_creator * 60;
		c->n_videos = (int) floor(n + rng_unit(&r));
		cap_videos += c->n_videos;
	}

	videos = calloc((size_t) cap_videos + 1, sizeof(Video));
	staff = calloc((size_t) cap_videos / 8 + 16, sizeof(Staff));
	if (!videos || !staff)
		die("out of memory");
	idset_init(&aids, (size_t) cap_videos + 1);
	for (int64_t i = 0; i < opt.creators; i++)
	{
		Creator *c = &creators[i];

		c->first_video = (int) n_videos;
		for (int k = 0; k < c->n_videos; k++)
		{
			Video *v = &videos[n_videos];
			double z;

			do
			{
				/* older videos have 6-9 digit aids, newer ones 15 digits */
				if (rng_unit(&r) < 0.3)
					v->aid = rng_range(&r, 100000, 999999999);
				else
					v->aid = rng_range(&r, 100000000000000LL, 1139999999999999LL);
			} while (!idset_add(&aids, (uint64_t) v->aid));
			v->creator = (int) i;
			v->pubdate = rng_unit(&r) < 0.5 ? opt.start - (int64_t) (rng_unit(&r) * 365 * 86400.0)
			                                : opt.start + (int64_t) (rng_unit(&r) * window);
			if (v->pubdate < c->regtime)
				v->pubdate = c->regtime + 86400;
			z = 0.5 * c->pop + 0.866 * rng_normal(&r);
			v->views_final = exp(log(400.0) + 1.8 * z);
			if (rng_unit(&r) < 0.001)
				v->views_final = 1e6 / pow(1.0 - rng_unit(&r), 1.0 / 1.3);
			if (v->views_final > 5e8)
				v->views_final = 5e8;
			v->like_r = (float) (0.04 * exp(0.3 * rng_normal(&r)));
			v->coin_r = (float) (v->like_r * 0.6 * exp(0.25 * rng_normal(&r)));
			v->fav_r = (float) (v->like_r * 0.8 * exp(0.25 * rng_normal(&r)));
			v->share_r = (float) exp(log(0.001) + rng_unit(&r) * log(20.0));
			v->reply_r = (float) exp(log(0.001) + rng_unit(&r) * log(20.0));
			v->danmaku_r = (float) exp(log(0.001) + rng_unit(&r) * log(20.0));
			v->part = rng_unit(&r) < 0.8 ? c->main_part : sibling_partition(&r, c->main_part);
			v->duration = (int) fmin(36000, fmax(5, exp(log(240.0) + 1.0 * rng_normal(&r))));
			v->copyright = rng_unit(&r) < 0.85 ? 1 : 2;
			v->his_rank = v->views_final > 2e6 ? (int) rng_range(&r, 1, 100) : 0;
			v->title_key = (uint32_t) rng_next(&r);
			v->by_bvid = rng_unit(&r) < 0.5;
			v->hides = 0;
			if (rng_unit(&r) < opt.hidden_rate)
				v->hides = 1;
			else if (rng_unit(&r) < opt.hidden_rate * 4)
				v->hides = 2;
			v->deleted_at = 0;
			if (rng_unit(&r) < 0.01)
				v->deleted_at = opt.start + (int64_t) (rng_unit(&r) * window);
			v->staff_first = -1;
			v->staff_n = 0;
			if (opt.creators > 1 && rng_unit(&r) < 0.03)
			{
				int n = (int) rng_range(&r, 1, 3);

				v->staff_first = (int) n_staff;
				staff[n_staff].creator = (int) i;
				staff[n_staff].title = -1;
				n_staff++;
				for (int s = 0; s < n; s++)
				{
					int other = (int) rng_range(&r, 0, opt.creators - 1);
					int dup = other == (int) i;

					for (int q = v->staff_first; q < n_staff; q++)
						dup |= staff[q].creator == other;
					if (dup)
						continue;
					staff[n_staff].creator = other;
					staff[n_staff].title = (int) rng_range(&r, 0, N_STAFF_TITLES - 1);
					n_staff++;
				}
				v->staff_n = (int) (n_staff - v->staff_first);
			}
			n_videos++;
		}
		c->n_videos = (int) (n_videos - c->first_video);
	}
	free(mids.slot);
	free(aids.slot);
}

/* ------------------------------------------------------------------------ */
/* Counters as functions of time                                            */
/* ------------------------------------------------------------------------ */

typedef struct VideoStat
{
	int64_t view, danmaku, reply, favorite, coin, share, like;
} VideoStat;

/* Cumulative share of lifetime views reached at age a (days): rate ~ (1+a/tau)^-1.6. */
static double
view_fraction(double age_days)
{
	if (age_days <= 0)
		return 0;
	return 1.0 - pow(1.0 + age_days / 0.3, -0.6);
}

/* A video's counters at time t; likes wobble (unlikes) by hour. */
static void
video_stat(const Video *v, int64_t t, VideoStat *st)
{
	double views = floor(v->views_final * view_fraction((double) (t - v->pubdate) / 86400.0));
	double wobble =
	    1.0 + 0.04 * (hash_unit(opt.seed, (uint64_t) v->aid, (uint64_t) (t / 3600)) - 0.5);

	st->view = (int64_t) views;
	st->like = (int64_t) floor(views * v->like_r * wobble);
	st->coin = (int64_t) floor(views * v->coin_r);
	st->favorite = (int64_t) floor(views * v->fav_r * wobble);
	st->share = (int64_t) floor(views * v->share_r);
	st->reply = (int64_t) floor(views * v->reply_r);
	st->danmaku = (int64_t) floor(views * v->danmaku_r);
}

/* Followers at time t: a trend over the window plus hourly noise (both ways). */
static int64_t
creator_fans(const Creator *c, int64_t t)
{
	double window = (double) (t_end - opt.start);
	double progress = (double) (t - t_end) / window; /* -1 at start, 0 at end */
	double f = c->fans_end * (1.0 + c->fans_trend * progress);
	double noise = hash_unit(opt.seed ^ 0xfa5, (uint64_t) c->mid, (uint64_t) (t / 3600)) - 0.5;

	f += noise * (2.0 + f * 0.002);
	return f < 0 ? 0 : (int64_t) floor(f);
}

static int64_t
creator_following(const Creator *c, int64_t t)
{
	double days = (double) (t - opt.start) / 86400.0;
	double noise = hash_unit(opt.seed ^ 0xf01, (uint64_t) c->mid, (uint64_t) (t / 86400));

	return (int64_t) floor(c->follow_base + days * 0.05 + noise * 3);
}

/* ------------------------------------------------------------------------ */
/* Line builders                                                            */
/* ------------------------------------------------------------------------ */

static Buf line;
static Rng noise_rng;
static size_t head_len; /* bytes of `line` before the response object */

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

/* observed_at: unix seconds most of the time, RFC 3339 (Z or +08:00) otherwise. */
static void
put_observed_at(Buf *b, int64_t t)
{
	uint64_t h = mix64(opt.seed ^ (uint64_t) t * 0x9e37ULL);
	int kind = (int) (h % 10);

	if (kind < 7)
	{
		buf_put_i64(b, t);
		return;
	}
	{
		int offset = kind == 9 ? 8 * 3600 : 0;
		int64_t lt = t + offset;
		int64_t days = lt >= 0 ? lt / 86400 : (lt - 86399) / 86400;
		int64_t secs = lt - days * 86400;
		int y, m, d;

		civil_from_days(days, &y, &m, &d);
		buf_putc(b, '"');
		buf_put_pad(b, y, 4);
		buf_putc(b, '-');
		buf_put_pad(b, m, 2);
		buf_putc(b, '-');
		buf_put_pad(b, d, 2);
		buf_putc(b, 'T');
		buf_put_pad(b, secs / 3600, 2);
		buf_putc(b, ':');
		buf_put_pad(b, secs / 60 % 60, 2);
		buf_putc(b, ':');
		buf_put_pad(b, secs % 60, 2);
		if (kind == 8)
			PUTS(b, ".000");
		if (offset)
			PUTS(b, "+08:00\"");
		else
			PUTS(b, "Z\"");
	}
}

/* The line prefix up to and including `"response":`. */
static void
put_head(Buf *b, int64_t t, const char *endpoint, const char *param, int64_t id, const char *bvid)
{
	PUTS(b, "{\"observed_at\":");
	put_observed_at(b, t);
	PUTS(b, ",\"endpoint\":\"");
	buf_put(b, endpoint, strlen(endpoint));
	PUTS(b, "\",\"params\":{\"");
	buf_put(b, param, strlen(param));
	PUTS(b, "\":");
	if (bvid)
		buf_put_jstr(b, bvid);
	else
		buf_put_i64(b, id);
	PUTS(b, "},\"response\":");
	head_len = b->len;
}

static void
put_ok_envelope(Buf *b)
{
	PUTS(b, "{\"code\":0,\"message\":\"0\",\"ttl\":1,\"data\":");
}

/* The -352 risk-control answer the site gives a crawler it distrusts. */
static void
put_risk_envelope(Buf *b, uint64_t key)
{
	PUTS(
	    b,
	    "{\"code\":-352,\"message\":\"风控校验失败\",\"ttl\":1,\"data\":{\"v_voucher\":\"voucher_");
	for (int i = 0; i < 8; i++)
		buf_putc(b, "0123456789abcdef"[(mix64(key + (uint64_t) i) >> 7) & 15]);
	PUTS(b, "\"}}}\n");
}

/* A display name, stable per (creator, generation) and renamed once at most. */
static void
creator_name(const Creator *c, int generation, char *dst, size_t cap)
{
	uint64_t h = mix64((uint64_t) c->name_key ^ ((uint64_t) generation << 40) ^ opt.seed);
	size_t n = 0;
	int len = 2 + (int) (h % 3);

	dst[0] = '\0';
	if (h % 97 == 0)
	{
		snprintf(dst, cap, "bili_%lld", (long long) (c->mid % 100000000000LL));
		return;
	}
	for (int i = 0; i < len; i++)
	{
		const char *ch = name_chars[(h >> (8 + i * 7)) % N_NAME_CHARS];

		n += (size_t) snprintf(dst + n, cap - n, "%s", ch);
	}
	n += (size_t) snprintf(dst + n, cap - n, "%s", name_suffixes[(h >> 50) % N_NAME_SUFFIXES]);
	if ((h >> 60) % 4 == 0)
		snprintf(dst + n, cap - n, "%d", (int) ((h >> 20) % 1000));
}

static int
name_generation(const Creator *c, int round)
{
	return c->rename_round >= 0 && round >= c->rename_round;
}

/* Avatar URL: 40 hex digits from the name generation, as the site's bfs paths. */
static void
put_face(Buf *b, uint64_t key)
{
	PUTS(b, "\"https://i0.hdslb.com/bfs/face/");
	for (int i = 0; i < 40; i++)
		buf_putc(b, "0123456789abcdef"[(mix64(key + (uint64_t) (i / 16)) >> ((i % 16) * 4)) & 15]);
	PUTS(b, ".jpg\"");
}

static uint64_t
face_key(const Creator *c, int generation)
{
	return mix64((uint64_t) c->mid ^ ((uint64_t) generation << 56) ^ opt.seed);
}

static void
put_video(Buf *b, const Video *v, int64_t t, int round)
{
	const Creator *c = &creators[v->creator];
	const PartitionDef *p = &partitions[v->part];
	const PartitionDef *pp = &partitions[parent_index(v->part)];
	char bv[13];
	char name[128];
	VideoStat st;
	uint32_t tk = v->title_key;
	int retitled = (tk % 50 == 0) && t > v->pubdate + 3 * 86400;
	int hide_now = v->hides == 1 || (v->hides == 2 && hash_unit(opt.seed, (uint64_t) v->aid,
	                                                            (uint64_t) round) < 0.3);

	av_to_bv(v->aid, bv);
	if (v->by_bvid)
		put_head(b, t, "x/web-interface/view", "bvid", 0, bv);
	else
		put_head(b, t, "x/web-interface/view", "aid", v->aid, NULL);

	if (v->deleted_at && t >= v->deleted_at)
	{
		if (tk % 5 == 0)
			PUTS(b, "{\"code\":62002,\"message\":\"稿件不可见\",\"ttl\":1}}\n");
		else
			PUTS(b, "{\"code\":-404,\"message\":\"啥都木有\",\"ttl\":1}}\n");
		return;
	}
	put_ok_envelope(b);
	PUTS(b, "{\"bvid\":\"");
	buf_put(b, bv, 12);
	PUTS(b, "\",\"aid\":");
	buf_put_i64(b, v->aid);
	PUTS(b, ",\"videos\":1,\"tid\":");
	buf_put_i64(b, p->tid);
	PUTS(b, ",\"tname\":");
	buf_put_jstr(b, p->name);
	PUTS(b, ",\"main\":{\"tid\":");
	buf_put_i64(b, pp->tid);
	PUTS(b, ",\"name\":");
	buf_put_jstr(b, pp->name);
	PUTS(b, "},\"copyright\":");
	buf_put_i64(b, v->copyright);
	PUTS(b, ",\"pic\":\"http://i1.hdslb.com/bfs/archive/");
	buf_put_i64(b, (int64_t) (mix64((uint64_t) v->aid) >> 4));
	PUTS(b, ".jpg\",\"title\":");
	{
		const char *head = title_heads[tk % N_TITLE_HEADS];
		char title[512];

		snprintf(title, sizeof(title), "%s%s%s%s%s%s", head, strcmp(head, "【") == 0 ? p->name : "",
		         strcmp(head, "【") == 0 ? "】" : "", title_bodies[(tk >> 8) % N_TITLE_BODIES],
		         p->name, retitled ? "（更新版）" : title_tails[(tk >> 16) % N_TITLE_TAILS]);
		buf_put_jstr(b, title);
	}
	PUTS(b, ",\"pubdate\":");
	buf_put_i64(b, v->pubdate);
	PUTS(b, ",\"ctime\":");
	buf_put_i64(b, v->pubdate - (int64_t) (tk % 7200));
	PUTS(b, ",\"desc\":\"-\",\"state\":0,\"duration\":");
	buf_put_i64(b, v->duration);
	PUTS(b, ",\"owner\":{\"mid\":");
	buf_put_i64(b, c->mid);
	PUTS(b, ",\"name\":");
	creator_name(c, name_generation(c, round), name, sizeof(name));
	buf_put_jstr(b, name);
	PUTS(b, ",\"face\":");
	put_face(b, face_key(c, name_generation(c, round)));
	PUTS(b, "},\"stat\":{\"aid\":");
	video_stat(v, t, &st);
	buf_put_i64(b, v->aid);
	PUTS(b, ",\"view\":");
	buf_put_counter(b, st.view, hide_now);
	PUTS(b, ",\"danmaku\":");
	buf_put_i64(b, st.danmaku);
	PUTS(b, ",\"reply\":");
	buf_put_i64(b, st.reply);
	PUTS(b, ",\"favorite\":");
	buf_put_i64(b, st.favorite);
	PUTS(b, ",\"coin\":");
	buf_put_i64(b, st.coin);
	PUTS(b, ",\"share\":");
	buf_put_i64(b, st.share);
	PUTS(b, ",\"now_rank\":0,\"his_rank\":");
	buf_put_i64(b, v->his_rank && t > v->pubdate + 86400 ? v->his_rank : 0);
	PUTS(b, ",\"like\":");
	buf_put_counter(b, st.like, hide_now && (tk & 1));
	PUTS(b, ",\"dislike\":0}");
	if (v->staff_n > 0)
	{
		PUTS(b, ",\"staff\":[");
		for (int s = 0; s < v->staff_n; s++)
		{
			const Staff *sf = &staff[v->staff_first + s];
			const Creator *sc = &creators[sf->creator];
			int gen = name_generation(sc, round);

			if (s)
				buf_putc(b, ',');
			PUTS(b, "{\"mid\":");
			buf_put_i64(b, sc->mid);
			PUTS(b, ",\"title\":");
			buf_put_jstr(b, sf->title < 0 ? "UP主" : staff_titles[sf->title]);
			PUTS(b, ",\"name\":");
			creator_name(sc, gen, name, sizeof(name));
			buf_put_jstr(b, name);
			PUTS(b, ",\"face\":");
			put_face(b, face_key(sc, gen));
			PUTS(b, ",\"follower\":");
			buf_put_i64(b, creator_fans(sc, t));
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
	}
	PUTS(b, "}}}\n");
}

static void
put_relation(Buf *b, const Creator *c, int64_t t)
{
	put_head(b, t, "x/relation/stat", "vmid", c->mid, NULL);
	put_ok_envelope(b);
	PUTS(b, "{\"mid\":");
	buf_put_i64(b, c->mid);
	PUTS(b, ",\"following\":");
	buf_put_i64(b, creator_following(c, t));
	PUTS(b, ",\"whisper\":0,\"black\":0,\"follower\":");
	buf_put_i64(b, creator_fans(c, t));
	PUTS(b, "}}}\n");
}

static void
put_upstat(Buf *b, const Creator *c, int64_t t, int round)
{
	int64_t views = 0, likes = 0;
	int hide = hash_unit(opt.seed ^ 0x7b, (uint64_t) c->mid, (uint64_t) round) < opt.hidden_rate;

	for (int k = 0; k < c->n_videos; k++)
	{
		const Video *v = &videos[c->first_video + k];
		VideoStat st;

		if (v->pubdate > t || (v->deleted_at && t >= v->deleted_at))
			continue;
		video_stat(v, t, &st);
		views += st.view;
		likes += st.like;
	}
	put_head(b, t, "x/space/upstat", "mid", c->mid, NULL);
	put_ok_envelope(b);
	PUTS(b, "{\"archive\":{\"view\":");
	buf_put_counter(b, views, hide);
	PUTS(b, ",\"enable_vip\":false},\"article\":{\"view\":0},\"likes\":");
	buf_put_counter(b, likes, hide);
	PUTS(b, "}}}\n");
}

static void
put_card(Buf *b, const Creator *c, int64_t t, int round)
{
	static const char *const sexes[] = {"男", "女", "保密"};
	const PartitionDef *p = &partitions[c->main_part];
	const PartitionDef *pp = &partitions[parent_index(c->main_part)];
	int gen = name_generation(c, round);
	int mcn = c->mcn;
	int published = 0;
	char name[128];
	char mid_text[24];

	if (c->mcn_change >= 0 && round >= c->mcn_change)
		mcn = mcn < 0 ? (int) (mix64((uint64_t) c->mid) % (uint64_t) n_mcns) : -1;
	for (int k = 0; k < c->n_videos; k++)
		published += videos[c->first_video + k].pubdate <= t;
	snprintf(mid_text, sizeof(mid_text), "%lld", (long long) c->mid);

	put_head(b, t, "x/web-interface/card", "mid", c->mid, NULL);
	put_ok_envelope(b);
	PUTS(b, "{\"card\":{\"mid\":");
	buf_put_jstr(b, mid_text);
	PUTS(b, ",\"name\":");
	creator_name(c, gen, name, sizeof(name));
	buf_put_jstr(b, name);
	PUTS(b, ",\"approve\":false,\"sex\":");
	buf_put_jstr(b, sexes[c->sex]);
	PUTS(b, ",\"rank\":\"10000\",\"face\":");
	put_face(b, face_key(c, gen));
	PUTS(b, ",\"regtime\":");
	buf_put_i64(b, c->regtime);
	PUTS(b, ",\"fans\":");
	buf_put_i64(b, creator_fans(c, t));
	PUTS(b, ",\"friend\":");
	buf_put_i64(b, creator_following(c, t));
	PUTS(b, ",\"attention\":");
	buf_put_i64(b, creator_following(c, t));
	PUTS(b, ",\"sign\":");
	buf_put_jstr(b, signs[c->sign]);
	PUTS(b, ",\"level_info\":{\"current_level\":");
	buf_put_i64(b, c->level);
	PUTS(b, "},\"Official\":{\"role\":");
	buf_put_i64(b, c->official < 0 ? 0 : c->official + 1);
	PUTS(b, ",\"title\":");
	buf_put_jstr(b, c->official < 0 ? "" : (c->official == 0 ? "知名UP主" : "官方账号"));
	PUTS(b, ",\"desc\":\"\",\"type\":");
	buf_put_i64(b, c->official);
	PUTS(b, "},\"vip\":{\"type\":");
	buf_put_i64(b, c->vip);
	PUTS(b, ",\"status\":");
	buf_put_i64(b, c->vip ? 1 : 0);
	PUTS(b, "},\"tid\":");
	buf_put_i64(b, p->tid);
	PUTS(b, ",\"tname\":");
	buf_put_jstr(b, p->name);
	PUTS(b, ",\"main\":{\"tid\":");
	buf_put_i64(b, pp->tid);
	PUTS(b, ",\"name\":");
	buf_put_jstr(b, pp->name);
	buf_putc(b, '}');
	if (mcn >= 0)
	{
		PUTS(b, ",\"mcn\":{\"id\":");
		buf_put_i64(b, mcn_ids[mcn]);
		PUTS(b, ",\"name\":");
		if (mcn < N_MCN_NAMES)
			buf_put_jstr(b, mcn_names[mcn]);
		else
		{
			char mname[64];

			snprintf(mname, sizeof(mname), "%s%s文化传媒", name_chars[mcn % N_NAME_CHARS],
			         name_chars[(mcn / N_NAME_CHARS + 7) % N_NAME_CHARS]);
			buf_put_jstr(b, mname);
		}
		buf_putc(b, '}');
	}
	PUTS(b, "},\"following\":false,\"archive_count\":");
	buf_put_i64(b, published);
	PUTS(b, ",\"article_count\":0,\"follower\":");
	buf_put_i64(b, creator_fans(c, t));
	PUTS(b, ",\"like_num\":0}}}\n");
}

/* ------------------------------------------------------------------------ */
/* Noise: late, duplicated and refused lines                                */
/* ------------------------------------------------------------------------ */

typedef struct Delayed
{
	int due;
	char *text;
	size_t len;
} Delayed;

static Delayed *delayed;
static size_t n_delayed, cap_delayed;
static uint64_t lines_written;

static void
delay_line(int due, const char *s, size_t n)
{
	if (n_delayed == cap_delayed)
	{
		cap_delayed = cap_delayed ? cap_delayed * 2 : 1024;
		delayed = realloc(delayed, cap_delayed * sizeof(Delayed));
		if (!delayed)
			die("out of memory");
	}
	delayed[n_delayed].due = due;
	delayed[n_delayed].text = malloc(n);
	if (!delayed[n_delayed].text)
		die("out of memory");
	memcpy(delayed[n_delayed].text, s, n);
	delayed[n_delayed].len = n;
	n_delayed++;
}

/* Emit the lines due by `round`, in the order they were held. */
static void
flush_delayed(int round)
{
	size_t keep = 0;

	for (size_t i = 0; i < n_delayed; i++)
	{
		if (delayed[i].due <= round)
		{
			out_line(delayed[i].text, delayed[i].len);
			lines_written++;
			free(delayed[i].text);
		}
		else
			delayed[keep++] = delayed[i];
	}
	n_delayed = keep;
}

/*
 * Emit the line in `line`: maybe refused with
 * -352, maybe held back a few rounds, maybe written twice.
 */
static void
emit(int round)
{
	double u = rng_unit(&noise_rng);

	if (u < opt.error_rate)
	{
		line.len = head_len;
		put_risk_envelope(&line, rng_next(&noise_rng));
	}
	u = rng_unit(&noise_rng);
	if (u < opt.late_rate)
		delay_line(round + 1 + (int) rng_range(&noise_rng, 0, 2), line.p, line.len);
	else
	{
		out_line(line.p, line.len);
		lines_written++;
	}
	u = rng_unit(&noise_rng);
	if (u < opt.dup_rate)
	{
		if (u < opt.dup_rate / 2)
		{
			out_line(line.p, line.len);
			lines_written++;
		}
		else
			delay_line(round + 1, line.p, line.len);
	}
}

static void
generate(void)
{
	int first = opt.from_day * opt.per_day;
	int rounds = opt.to_day * opt.per_day;
	int64_t slot = 86400 / opt.per_day;

	rng_seed(&noise_rng, opt.seed, 2);
	for (int round = first; round < rounds; round++)
	{
		int64_t base = opt.start + (int64_t) round * slot;

		flush_delayed(round);
		for (int64_t i = 0; i < opt.creators; i++)
		{
			const Creator *c = &creators[i];
			int64_t t = base + (int64_t) (hash_unit(opt.seed, (uint64_t) c->mid, (uint64_t) round) *
			                              (double) slot * 0.6);

			line.len = 0;
			put_relation(&line, c, t);
			emit(round);
			t += 1 + (int64_t) (hash_unit(opt.seed ^ 1, (uint64_t) c->mid, (uint64_t) round) * 20);
			line.len = 0;
			put_upstat(&line, c, t, round);
			emit(round);
			if (round % opt.per_day == 0)
			{
				t += 1 +
				     (int64_t) (hash_unit(opt.seed ^ 2, (uint64_t) c->mid, (uint64_t) round) * 20);
				line.len = 0;
				put_card(&line, c, t, round);
				emit(round);
			}
			for (int k = 0; k < c->n_videos; k++)
			{
				const Video *v = &videos[c->first_video + k];

				t += 1 +
				     (int64_t) (hash_unit(opt.seed ^ 3, (uint64_t) v->aid, (uint64_t) round) * 4);
				if (v->pubdate > t)
					continue;
				/* crawlers give up on a deleted video after a few rounds */
				if (v->deleted_at && t > v->deleted_at + 3 * slot)
					continue;
				line.len = 0;
				put_video(&line, v, t, round);
				emit(round);
			}
		}
	}
	flush_delayed(rounds + 3);
	out_flush();
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                */
/* ------------------------------------------------------------------------ */

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: uphub-gen [--creators N] [--videos-per-creator M] [--days D] [--seed S]\n"
	        "                 [--start YYYY-MM-DD] [--snapshots-per-day K]\n"
	        "                 [--from-day A] [--to-day B]\n"
	        "                 [--late-rate P] [--dup-rate P] [--error-rate P] [--hidden-rate P]\n"
	        "Writes synthetic ingest lines (one JSON object per line) to stdout.\n"
	        "Defaults: --creators 1000 --videos-per-creator 20 --days 30 --seed 1\n"
	        "          --start 2024-01-01 (Asia/Shanghai midnight) --snapshots-per-day 1\n"
	        "          --late-rate 0.01 --dup-rate 0.002 --error-rate 0.002 --hidden-rate 0.01\n"
	        "          --from-day 0 --to-day D\n"
	        "--from-day/--to-day write only days A .. B-1 of the same world (the creators,\n"
	        "videos and counters of the full --days run): consecutive ranges continue a feed.\n");
}

static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static double
parse_num(const char *flag, const char *s, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
	{
		fprintf(stderr, "uphub-gen: bad value for %s: %s\n", flag, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	opt.creators = 1000;
	opt.videos_per_creator = 20;
	opt.days = 30;
	opt.per_day = 1;
	opt.seed = 1;
	opt.start = days_from_civil(2024, 1, 1) * 86400 - 8 * 3600;
	opt.late_rate = 0.01;
	opt.dup_rate = 0.002;
	opt.error_rate = 0.002;
	opt.hidden_rate = 0.01;
	opt.from_day = 0;
	opt.to_day = -1;

	for (int i = 1; i < argc; i++)
	{
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
		{
			usage(stdout);
			return 0;
		}
		if (!v || strncmp(a, "--", 2) != 0)
		{
			usage(stderr);
			return 2;
		}
		i++;
		if (strcmp(a, "--creators") == 0)
			opt.creators = (int64_t) parse_num(a, v, 1, 5e7);
		else if (strcmp(a, "--videos-per-creator") == 0)
			opt.videos_per_creator = parse_num(a, v, 0, 1e5);
		else if (strcmp(a, "--days") == 0)
			opt.days = (int) parse_num(a, v, 1, 3650);
		else if (strcmp(a, "--snapshots-per-day") == 0)
			opt.per_day = (int) parse_num(a, v, 1, 96);
		else if (strcmp(a, "--from-day") == 0)
			opt.from_day = (int) parse_num(a, v, 0, 3650);
		else if (strcmp(a, "--to-day") == 0)
			opt.to_day = (int) parse_num(a, v, 0, 3650);
		else if (strcmp(a, "--seed") == 0)
			opt.seed = (uint64_t) parse_num(a, v, 0, 9e15);
		else if (strcmp(a, "--late-rate") == 0)
			opt.late_rate = parse_num(a, v, 0, 1);
		else if (strcmp(a, "--dup-rate") == 0)
			opt.dup_rate = parse_num(a, v, 0, 1);
		else if (strcmp(a, "--error-rate") == 0)
			opt.error_rate = parse_num(a, v, 0, 1);
		else if (strcmp(a, "--hidden-rate") == 0)
			opt.hidden_rate = parse_num(a, v, 0, 0.25);
		else if (strcmp(a, "--start") == 0)
		{
			int y, m, d;

			if (sscanf(v, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 2010 || m < 1 || m > 12 || d < 1 ||
			    d > 31)
			{
				fprintf(stderr, "uphub-gen: bad value for --start: %s\n", v);
				return 2;
			}
			opt.start = days_from_civil(y, m, d) * 86400 - 8 * 3600;
		}
		else
		{
			usage(stderr);
			return 2;
		}
	}
	if (opt.to_day < 0)
		opt.to_day = opt.days;
	if (opt.to_day > opt.days || opt.from_day > opt.to_day)
	{
		fprintf(stderr, "uphub-gen: --from-day %d --to-day %d is not within --days %d\n",
		        opt.from_day, opt.to_day, opt.days);
		return 2;
	}
	t_end = opt.start + (int64_t) opt.days * 86400;
	build_world();
	generate();
	fprintf(stderr, "uphub-gen: %llu lines, %lld creators, %lld videos\n",
	        (unsigned long long) lines_written, (long long) opt.creators, (long long) n_videos);
	return 0;
}
