/*
 * arena.c — per-request memory for the GraphQL library, plus the small
 * containers built on it (string buffer, hash map) and error constructors.
 *
 * Design: an arena is a chain of blocks obtained from a pluggable backing
 * allocator (malloc by default; palloc in a memory context inside the
 * extension). Allocation bumps a pointer in the current block; requests
 * larger than a quarter block get a block of their own. Nothing is freed
 * individually: graphql_arena_destroy releases every block in one pass.
 * Block sizes double from 8 kB up to 1 MB so small requests stay small.
 *
 * Invariants: every returned pointer is aligned to GRAPHQL_ALIGN and zeroed;
 * the arena header itself lives in the first block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql_int.h"

#define GRAPHQL_ALIGN 16
#define BLOCK_MIN     8192
#define BLOCK_MAX     (1024 * 1024)

typedef struct ArenaBlock
{
	struct ArenaBlock *next;
	size_t size; /* usable bytes after the header */
	size_t used;
} ArenaBlock;

struct GraphqlArena
{
	GraphqlAllocator allocator;
	ArenaBlock *current;
	ArenaBlock *blocks; /* all blocks, for destroy */
	size_t next_block_size;
	size_t bytes_used;
};

#define HEADER_SIZE ((sizeof(ArenaBlock) + GRAPHQL_ALIGN - 1) & ~(size_t) (GRAPHQL_ALIGN - 1))

/* Default backing allocator: the C library. */
static void *
default_alloc(size_t size, void *context)
{
	return malloc(size);
}

/* Default release: the C library. */
static void
default_free(void *pointer, void *context)
{
	free(pointer);
}

/* Get memory from the backing allocator or give up the way the caller asked. */
static void *
backing_alloc(const GraphqlAllocator *allocator, size_t size)
{
	void *p = allocator->alloc(size, allocator->context);

	if (p == NULL)
	{
		if (allocator->out_of_memory)
			allocator->out_of_memory(size, allocator->context);
		fprintf(stderr, "graphql: out of memory allocating %zu bytes\n", size);
		abort();
	}
	return p;
}

/* Add a block able to hold at least min_size bytes and make it current. */
static ArenaBlock *
arena_new_block(GraphqlArena *arena, size_t min_size, bool make_current)
{
	size_t size = arena->next_block_size;
	ArenaBlock *block;

	if (size < min_size)
		size = min_size;
	block = backing_alloc(&arena->allocator, HEADER_SIZE + size);
	block->size = size;
	block->used = 0;
	block->next = arena->blocks;
	arena->blocks = block;
	if (make_current)
	{
		arena->current = block;
		if (arena->next_block_size < BLOCK_MAX)
			arena->next_block_size *= 2;
	}
	return block;
}

/* One call creates the arena; its header lives in the first block. */
GraphqlArena *
graphql_arena_create(const GraphqlAllocator *allocator)
{
	GraphqlAllocator a;
	ArenaBlock *block;
	GraphqlArena *arena;
	size_t arena_size = (sizeof(GraphqlArena) + GRAPHQL_ALIGN - 1) & ~(size_t) (GRAPHQL_ALIGN - 1);

	if (allocator)
		a = *allocator;
	else
	{
		memset(&a, 0, sizeof(a));
		a.alloc = default_alloc;
		a.free = default_free;
	}
	if (a.alloc == NULL)
	{
		a.alloc = default_alloc;
		a.free = default_free;
	}
	block = backing_alloc(&a, HEADER_SIZE + BLOCK_MIN);
	block->next = NULL;
	block->size = BLOCK_MIN;
	block->used = arena_size;
	arena = (GraphqlArena *) ((char *) block + HEADER_SIZE);
	memset(arena, 0, sizeof(*arena));
	arena->allocator = a;
	arena->current = block;
	arena->blocks = block;
	arena->next_block_size = BLOCK_MIN * 2;
	arena->bytes_used = arena_size;
	return arena;
}

/* Release every block, including the one holding the arena header. */
void
graphql_arena_destroy(GraphqlArena *arena)
{
	ArenaBlock *block;
	GraphqlAllocator a;

	if (arena == NULL)
		return;
	a = arena->allocator;
	block = arena->blocks;
	while (block)
	{
		ArenaBlock *next = block->next;

		if (a.free)
			a.free(block, a.context);
		block = next;
	}
}

/* Bump allocation; zeroed memory so AST nodes start with NULL links. */
void *
graphql_arena_alloc(GraphqlArena *arena, size_t size)
{
	ArenaBlock *block = arena->current;
	char *p;

	size = (size + GRAPHQL_ALIGN - 1) & ~(size_t) (GRAPHQL_ALIGN - 1);
	if (size == 0)
		size = GRAPHQL_ALIGN;
	if (block->size - block->used < size)
	{
		if (size > BLOCK_MIN / 4)
			block = arena_new_block(arena, size, false);
		else
			block = arena_new_block(arena, size, true);
	}
	p = (char *) block + HEADER_SIZE + block->used;
	block->used += size;
	arena->bytes_used += size;
	memset(p, 0, size);
	return p;
}

/* Copy a C string into the arena. */
char *
graphql_arena_strdup(GraphqlArena *arena, const char *s)
{
	if (s == NULL)
		return NULL;
	return graphql_arena_strndup(arena, s, strlen(s));
}

/* Copy len bytes into the arena and terminate them. */
char *
graphql_arena_strndup(GraphqlArena *arena, const char *s, size_t len)
{
	char *p = graphql_arena_alloc(arena, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* For diagnostics and tests. */
size_t
graphql_arena_bytes_used(const GraphqlArena *arena)
{
	return arena->bytes_used;
}

/* ------------------------------------------------------------------ */
/* String buffer                                                        */
/* ------------------------------------------------------------------ */

/* Start an empty buffer. */
void
graphql_buf_init(GraphqlBuf *buf, GraphqlArena *arena, size_t initial)
{
	if (initial < 32)
		initial = 32;
	buf->arena = arena;
	buf->data = graphql_arena_alloc(arena, initial);
	buf->len = 0;
	buf->cap = initial;
}

/* Make room for extra more bytes plus the terminator. */
static void
buf_reserve(GraphqlBuf *buf, size_t extra)
{
	size_t need = buf->len + extra + 1;
	size_t cap;
	char *data;

	if (need <= buf->cap)
		return;
	cap = buf->cap * 2;
	while (cap < need)
		cap *= 2;
	data = graphql_arena_alloc(buf->arena, cap);
	memcpy(data, buf->data, buf->len);
	buf->data = data;
	buf->cap = cap;
}

void
graphql_buf_append(GraphqlBuf *buf, const char *s, size_t len)
{
	buf_reserve(buf, len);
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void
graphql_buf_puts(GraphqlBuf *buf, const char *s)
{
	graphql_buf_append(buf, s, strlen(s));
}

void
graphql_buf_putc(GraphqlBuf *buf, char c)
{
	buf_reserve(buf, 1);
	buf->data[buf->len++] = c;
	buf->data[buf->len] = '\0';
}

/* printf into the buffer; used for error messages. */
void
graphql_buf_vprintf(GraphqlBuf *buf, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(buf->data + buf->len, buf->cap - buf->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t) n >= buf->cap - buf->len)
	{
		buf_reserve(buf, (size_t) n);
		vsnprintf(buf->data + buf->len, buf->cap - buf->len, fmt, ap);
	}
	buf->len += (size_t) n;
}

void
graphql_buf_printf(GraphqlBuf *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	graphql_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

/* Format a fresh arena string. */
char *
graphql_format(GraphqlArena *arena, const char *fmt, ...)
{
	GraphqlBuf buf;
	va_list ap;

	graphql_buf_init(&buf, arena, 128);
	va_start(ap, fmt);
	graphql_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	return buf.data;
}

/* ------------------------------------------------------------------ */
/* Hash map                                                             */
/* ------------------------------------------------------------------ */

/* FNV-1a over a NUL-terminated string. */
uint64_t
graphql_hash_string(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	while (*s)
	{
		h ^= (unsigned char) *s++;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* Mix a pointer into a well-spread hash. */
static uint64_t
hash_pointer(const void *p)
{
	uint64_t h = (uint64_t) (uintptr_t) p;

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

GraphqlNameMap *
graphql_map_create(GraphqlArena *arena, uint32_t expected, bool pointer_keys)
{
	GraphqlNameMap *map = graphql_arena_alloc(arena, sizeof(GraphqlNameMap));
	uint32_t cap = 8;

	while (cap < expected * 2)
		cap *= 2;
	map->arena = arena;
	map->cap = cap;
	map->entries = graphql_arena_alloc(arena, sizeof(GraphqlMapEntry) * cap);
	map->pointer_keys = pointer_keys;
	return map;
}

/* Slot holding key, or the empty slot where it would go. */
static GraphqlMapEntry *
map_find(const GraphqlNameMap *map, const void *key, uint64_t hash)
{
	uint32_t mask = map->cap - 1;
	uint32_t i = (uint32_t) hash & mask;

	for (;;)
	{
		GraphqlMapEntry *e = &map->entries[i];

		if (e->key == NULL)
			return e;
		if (e->hash == hash && (map->pointer_keys ? e->key == key : strcmp(e->key, key) == 0))
			return e;
		i = (i + 1) & mask;
	}
}

void *
graphql_map_get(const GraphqlNameMap *map, const void *key)
{
	uint64_t hash = map->pointer_keys ? hash_pointer(key) : graphql_hash_string(key);
	GraphqlMapEntry *e = map_find(map, key, hash);

	return e->key ? e->value : NULL;
}

/* Double the table when it is more than half full. */
static void
map_grow(GraphqlNameMap *map)
{
	GraphqlMapEntry *old = map->entries;
	uint32_t old_cap = map->cap;
	uint32_t i;

	map->cap *= 2;
	map->entries = graphql_arena_alloc(map->arena, sizeof(GraphqlMapEntry) * map->cap);
	for (i = 0; i < old_cap; i++)
	{
		if (old[i].key)
			*map_find(map, old[i].key, old[i].hash) = old[i];
	}
}

void *
graphql_map_put(GraphqlNameMap *map, const void *key, void *value)
{
	uint64_t hash = map->pointer_keys ? hash_pointer(key) : graphql_hash_string(key);
	GraphqlMapEntry *e = map_find(map, key, hash);

	if (e->key)
		return e->value;
	if ((map->count + 1) * 2 > map->cap)
	{
		map_grow(map);
		e = map_find(map, key, hash);
	}
	e->key = key;
	e->hash = hash;
	e->value = value;
	map->count++;
	return NULL;
}

void
graphql_map_set(GraphqlNameMap *map, const void *key, void *value)
{
	uint64_t hash = map->pointer_keys ? hash_pointer(key) : graphql_hash_string(key);
	GraphqlMapEntry *e = map_find(map, key, hash);

	if (e->key)
	{
		e->value = value;
		return;
	}
	graphql_map_put(map, key, value);
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

GraphqlError *
graphql_error_new(GraphqlArena *arena, GraphqlErrorKind kind, const char *message,
                  uint32_t location_count, const GraphqlLocation *locations)
{
	GraphqlError *error = graphql_arena_alloc(arena, sizeof(GraphqlError));

	error->kind = kind;
	error->message = message;
	error->location_count = location_count;
	if (location_count)
	{
		GraphqlLocation *locs =
		    graphql_arena_alloc(arena, sizeof(GraphqlLocation) * location_count);

		memcpy(locs, locations, sizeof(GraphqlLocation) * location_count);
		error->locations = locs;
	}
	return error;
}

/* An error with one location and a formatted message. */
GraphqlError *
graphql_error_at(GraphqlArena *arena, GraphqlErrorKind kind, GraphqlLocation loc, const char *fmt,
                 ...)
{
	GraphqlBuf buf;
	va_list ap;

	graphql_buf_init(&buf, arena, 128);
	va_start(ap, fmt);
	graphql_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	return graphql_error_new(arena, kind, buf.data, loc.line ? 1 : 0, &loc);
}
