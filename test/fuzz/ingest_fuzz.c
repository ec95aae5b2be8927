/*
 * ingest_fuzz.c — libFuzzer target for the ingest line decoder.
 *
 * Feeds arbitrary bytes to ingest_decode() as one line. Invariants checked
 * beyond "no crash, no leak, no undefined behaviour": a decoded record has
 * positive ids, non-negative counters (or NULL) and a time within the
 * accepted range; a rejected one has a reason that starts with its status
 * name and leaves nothing to free.
 */
#include "ingest_decode.h"

#include <stdlib.h>
#include <string.h>

#define NOW 1800000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
require(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	IngestRecord rec;
	char reason[256];
	IngestStatus st = ingest_decode((const char *) data, size, NOW, &rec, reason, sizeof(reason));

	if (st != INGEST_OK)
	{
		const char *name = ingest_status_name(st);

		require(strncmp(reason, name, strlen(name)) == 0);
		require(rec.document == NULL);
		return 0;
	}
	require(rec.observed_at >= INGEST_SITE_EPOCH * 1000000);
	require(rec.observed_at <= (NOW + 86400) * 1000000);
	require(rec.mid > 0);
	if (rec.kind == INGEST_VIDEO)
	{
		require(rec.aid > 0 && rec.bvid && strlen(rec.bvid) == 12 && rec.title);
		require(rec.view == INGEST_NULL || rec.view >= 0);
		require(rec.like == INGEST_NULL || rec.like >= 0);
		require(rec.n_staff >= 0 && rec.n_staff <= INGEST_MAX_STAFF);
		for (int i = 0; i < rec.n_staff; i++)
			require(rec.staff[i].mid > 0 && rec.staff[i].title);
	}
	if (rec.kind == INGEST_CARD)
		require(rec.name != NULL && (rec.mcn_id == 0 || rec.mcn_name != NULL));
	require(rec.follower == INGEST_NULL || rec.follower >= 0);
	ingest_record_free(&rec);
	return 0;
}
