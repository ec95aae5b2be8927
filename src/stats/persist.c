/*
 * persist.c — the stats file: written at a clean shutdown, read at start.
 *
 * Like pg_stat_statements: the postmaster writes pg_stat/uphub_stats.stat in
 * its on_shmem_exit callback when it exits cleanly (code 0), and reads it when
 * it creates the store. The file is removed once read, so after a crash
 * (no clean exit, hence no new file) the store starts empty: the gauge
 * uphub_stats_reset_timestamp_seconds says since when, and
 * uphub_stats_restored is 0.
 *
 * Layout: a StatsFileHeader, then the payload: StatsFileGlobals, ntables
 * StatsFileTable, nops StatsFileOp. The header carries a magic number, a
 * format version, the size of every record type (so a layout change is
 * detected), the counts, the payload length and a CRC-32C of the payload. A
 * file that fails any check, or whose records are not internally consistent,
 * is ignored with a LOG message: the store starts empty, never with garbage.
 *
 * Locking: none. Both run in the postmaster while no backend is attached
 * (before the first child starts, after the last one has exited).
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "pgstat.h"
#include "port/pg_crc32c.h"
#include "storage/fd.h"
#include "utils/memutils.h"

#include "stats/stats_internal.h"

#define STATS_FILE         PGSTAT_STAT_PERMANENT_DIRECTORY "/uphub_stats.stat"
#define STATS_FILE_TMP     STATS_FILE ".tmp"
#define STATS_FILE_MAGIC   0x55485354 /* "UHST" */
#define STATS_FILE_VERSION 1

typedef struct StatsFileHeader
{
	uint32 magic;
	uint32 version;
	uint32 header_size;
	uint32 globals_size;
	uint32 table_size;
	uint32 op_size;
	uint32 nbuckets;
	uint32 ntables;
	uint32 nops;
	uint32 pad;
	uint64 payload_len;
	pg_crc32c crc;
} StatsFileHeader;

typedef struct StatsFileGlobals
{
	uint64 counters[STATS_NCOUNTERS];
	double gauges[STATS_NGAUGES];
	uint64 refresh_buckets[STATS_NBUCKETS + 1];
	uint64 other_table_rows;
	StatsOpCounters other_op;
} StatsFileGlobals;

typedef struct StatsFileTable
{
	char name[STATS_TABLE_LEN];
	uint64 rows;
} StatsFileTable;

typedef struct StatsFileOp
{
	StatsOpKey key;
	char operation_type[STATS_OPTYPE_LEN];
	StatsOpCounters c;
} StatsFileOp;

/* Write a block and fold it into the CRC. */
static bool
stats_write_block(FILE *file, const void *data, size_t len, pg_crc32c *crc, uint64 *total)
{
	COMP_CRC32C(*crc, data, len);
	*total += len;
	return fwrite(data, 1, len, file) == len;
}

/* Save the store; called by the postmaster at a clean exit. */
void
stats_file_save(void)
{
	FILE *file;
	StatsFileHeader header;
	StatsFileGlobals globals;
	HASH_SEQ_STATUS seq;
	StatsOpEntry *op;
	StatsTableEntry *table;
	bool ok = true;
	int i;

	file = AllocateFile(STATS_FILE_TMP, PG_BINARY_W);
	if (file == NULL)
	{
		ereport(LOG, (errcode_for_file_access(),
		              errmsg("could not write uphub stats file \"%s\": %m", STATS_FILE_TMP)));
		return;
	}
	memset(&header, 0, sizeof(header));
	header.magic = STATS_FILE_MAGIC;
	header.version = STATS_FILE_VERSION;
	header.header_size = sizeof(StatsFileHeader);
	header.globals_size = sizeof(StatsFileGlobals);
	header.table_size = sizeof(StatsFileTable);
	header.op_size = sizeof(StatsFileOp);
	header.nbuckets = STATS_NBUCKETS;
	header.ntables = (uint32) hash_get_num_entries(stats_table_hash);
	header.nops = (uint32) hash_get_num_entries(stats_op_hash);
	INIT_CRC32C(header.crc);
	/* Placeholder; rewritten with the CRC and length at the end. */
	ok = fwrite(&header, 1, sizeof(header), file) == sizeof(header);

	memset(&globals, 0, sizeof(globals));
	for (i = 0; i < STATS_NCOUNTERS; i++)
		globals.counters[i] = pg_atomic_read_u64(&stats_shared->counters[i]);
	for (i = 0; i < STATS_NGAUGES; i++)
		globals.gauges[i] = stats_bits_to_double(pg_atomic_read_u64(&stats_shared->gauges[i]));
	for (i = 0; i <= STATS_NBUCKETS; i++)
		globals.refresh_buckets[i] = pg_atomic_read_u64(&stats_shared->refresh_buckets[i]);
	globals.other_table_rows = pg_atomic_read_u64(&stats_shared->other_table.rows);
	globals.other_op = stats_shared->other_op.c;
	ok = ok && stats_write_block(file, &globals, sizeof(globals), &header.crc, &header.payload_len);

	hash_seq_init(&seq, stats_table_hash);
	while ((table = hash_seq_search(&seq)) != NULL)
	{
		StatsFileTable rec;

		memset(&rec, 0, sizeof(rec));
		memcpy(rec.name, table->name, STATS_TABLE_LEN);
		rec.rows = pg_atomic_read_u64(&table->rows);
		ok = ok && stats_write_block(file, &rec, sizeof(rec), &header.crc, &header.payload_len);
	}
	hash_seq_init(&seq, stats_op_hash);
	while ((op = hash_seq_search(&seq)) != NULL)
	{
		StatsFileOp rec;

		memset(&rec, 0, sizeof(rec));
		rec.key = op->key;
		memcpy(rec.operation_type, op->operation_type, STATS_OPTYPE_LEN);
		rec.c = op->c;
		ok = ok && stats_write_block(file, &rec, sizeof(rec), &header.crc, &header.payload_len);
	}
	FIN_CRC32C(header.crc);
	ok = ok && fseek(file, 0, SEEK_SET) == 0 &&
	     fwrite(&header, 1, sizeof(header), file) == sizeof(header);
	if (FreeFile(file) != 0)
		ok = false;
	if (!ok)
	{
		ereport(LOG, (errcode_for_file_access(),
		              errmsg("could not write uphub stats file \"%s\": %m", STATS_FILE_TMP)));
		unlink(STATS_FILE_TMP);
		return;
	}
	(void) durable_rename(STATS_FILE_TMP, STATS_FILE, LOG);
}

/* Is a fixed-size name NUL-terminated and zero after its end (a valid hash key)? */
static bool
stats_name_is_clean(const char *name, int len)
{
	int n = strnlen(name, len);
	int i;

	if (n >= len)
		return false;
	for (i = n; i < len; i++)
		if (name[i] != '\0')
			return false;
	return true;
}

/* Are an operation's counters possible? */
static bool
stats_counters_are_sane(const StatsOpCounters *c)
{
	int64 sum = 0;
	int i;

	if (c->calls < 0 || c->errors < 0 || c->errors > c->calls || c->rows < 0)
		return false;
	for (i = 0; i <= STATS_NBUCKETS; i++)
	{
		if (c->buckets[i] < 0)
			return false;
		sum += c->buckets[i];
	}
	if (sum != c->calls)
		return false;
	if (c->calls > 0 && !(c->total_time >= 0 && c->min_time >= 0 && c->max_time >= c->min_time))
		return false;
	return true;
}

/* Read a whole file into memory, or say why not. */
static char *
stats_read_file(const char *path, Size *len, const char **why)
{
	FILE *file;
	struct stat st;
	char *data;

	file = AllocateFile(path, PG_BINARY_R);
	if (file == NULL)
	{
		*why = errno == ENOENT ? NULL : "could not open it";
		return NULL;
	}
	if (fstat(fileno(file), &st) != 0 || st.st_size < (off_t) sizeof(StatsFileHeader) ||
	    st.st_size > (off_t) MaxAllocSize)
	{
		FreeFile(file);
		*why = "its size is wrong";
		return NULL;
	}
	*len = (Size) st.st_size;
	data = palloc(*len);
	if (fread(data, 1, *len, file) != *len)
	{
		FreeFile(file);
		pfree(data);
		*why = "could not read it";
		return NULL;
	}
	FreeFile(file);
	return data;
}

/* Check the file's header, CRC and records; NULL when it is usable. */
static const char *
stats_file_check(const char *data, Size len)
{
	StatsFileHeader header;
	const char *payload = data + sizeof(StatsFileHeader);
	pg_crc32c crc;
	uint32 i;

	memcpy(&header, data, sizeof(header));
	if (header.magic != STATS_FILE_MAGIC)
		return "its magic number is wrong";
	if (header.version != STATS_FILE_VERSION || header.header_size != sizeof(StatsFileHeader) ||
	    header.globals_size != sizeof(StatsFileGlobals) ||
	    header.table_size != sizeof(StatsFileTable) || header.op_size != sizeof(StatsFileOp) ||
	    header.nbuckets != STATS_NBUCKETS)
		return "it was written by another version of uphub";
	if (header.ntables > STATS_MAX_TABLES || header.nops > 100000000 ||
	    header.payload_len != sizeof(StatsFileGlobals) +
	                              (uint64) header.ntables * sizeof(StatsFileTable) +
	                              (uint64) header.nops * sizeof(StatsFileOp) ||
	    header.payload_len != len - sizeof(StatsFileHeader))
		return "its length is wrong";
	INIT_CRC32C(crc);
	COMP_CRC32C(crc, payload, header.payload_len);
	FIN_CRC32C(crc);
	if (!EQ_CRC32C(crc, header.crc))
		return "its checksum is wrong";

	{
		StatsFileGlobals globals;

		memcpy(&globals, payload, sizeof(globals));
		if (!stats_counters_are_sane(&globals.other_op))
			return "its counters are inconsistent";
	}
	for (i = 0; i < header.ntables; i++)
	{
		StatsFileTable rec;

		memcpy(&rec, payload + sizeof(StatsFileGlobals) + i * sizeof(StatsFileTable), sizeof(rec));
		if (!stats_name_is_clean(rec.name, STATS_TABLE_LEN))
			return "a table name is malformed";
	}
	for (i = 0; i < header.nops; i++)
	{
		StatsFileOp rec;

		memcpy(&rec,
		       payload + sizeof(StatsFileGlobals) + header.ntables * sizeof(StatsFileTable) +
		           (Size) i * sizeof(StatsFileOp),
		       sizeof(rec));
		if (!stats_name_is_clean(rec.key.operation_name, STATS_OPNAME_LEN) ||
		    !stats_name_is_clean(rec.operation_type, STATS_OPTYPE_LEN))
			return "an operation name is malformed";
		if (!stats_counters_are_sane(&rec.c))
			return "its counters are inconsistent";
	}
	return NULL;
}

/* Load what the last clean shutdown saved, then remove the file. */
void
stats_file_load(void)
{
	const char *why = NULL;
	Size len = 0;
	char *data = stats_read_file(STATS_FILE, &len, &why);
	StatsFileHeader header;
	StatsFileGlobals globals;
	const char *p;
	uint32 i;

	if (data != NULL)
		why = stats_file_check(data, len);
	if (data == NULL || why != NULL)
	{
		if (why != NULL)
			ereport(LOG, (errmsg("ignoring uphub stats file \"%s\"", STATS_FILE),
			              errdetail("The file cannot be used because %s.", why),
			              errhint("The statistics start empty.")));
		if (data)
			pfree(data);
		unlink(STATS_FILE);
		return;
	}

	memcpy(&header, data, sizeof(header));
	p = data + sizeof(StatsFileHeader);
	memcpy(&globals, p, sizeof(globals));
	p += sizeof(globals);
	for (i = 0; i < STATS_NCOUNTERS; i++)
		pg_atomic_write_u64(&stats_shared->counters[i], globals.counters[i]);
	for (i = 0; i < STATS_NGAUGES; i++)
		pg_atomic_write_u64(&stats_shared->gauges[i], stats_double_to_bits(globals.gauges[i]));
	for (i = 0; i <= STATS_NBUCKETS; i++)
		pg_atomic_write_u64(&stats_shared->refresh_buckets[i], globals.refresh_buckets[i]);
	pg_atomic_write_u64(&stats_shared->other_table.rows, globals.other_table_rows);
	stats_shared->other_op.c = globals.other_op;

	for (i = 0; i < header.ntables; i++, p += sizeof(StatsFileTable))
	{
		StatsFileTable rec;
		StatsTableEntry *entry;
		bool found;

		memcpy(&rec, p, sizeof(rec));
		entry = hash_search(stats_table_hash, rec.name, HASH_ENTER_NULL, &found);
		if (entry == NULL)
			pg_atomic_fetch_add_u64(&stats_shared->other_table.rows, rec.rows);
		else
			pg_atomic_init_u64(&entry->rows, rec.rows);
	}
	for (i = 0; i < header.nops; i++, p += sizeof(StatsFileOp))
	{
		StatsFileOp rec;
		StatsOpEntry *entry = NULL;
		bool found;

		memcpy(&rec, p, sizeof(rec));
		/* A smaller uphub.stats_max_operations than before: fold the rest. */
		if (hash_get_num_entries(stats_op_hash) < stats_max_operations)
			entry = hash_search(stats_op_hash, &rec.key, HASH_ENTER_NULL, &found);
		if (entry == NULL)
		{
			stats_merge(&stats_shared->other_op.c, &rec.c);
			continue;
		}
		memcpy(entry->operation_type, rec.operation_type, STATS_OPTYPE_LEN);
		SpinLockInit(&entry->mutex);
		entry->c = rec.c;
	}
	pg_atomic_write_u32(&stats_shared->restored, 1);
	pfree(data);
	unlink(STATS_FILE);
}
