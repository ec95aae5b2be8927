/*
 * buf.h — the growable output buffer uphub-gen and uphub-ingest share.
 *
 * Appends never fail: on out-of-memory the tool prints "<prog>: out of
 * memory" and exits 2 (API.md: could not run). Header-only, static inline,
 * so each tool keeps its hot append path inlined.
 */
#ifndef UPHUB_TOOLS_BUF_H
#define UPHUB_TOOLS_BUF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Buf
{
	char *p;
	size_t len;
	size_t cap;
} Buf;

/* Name printed before the out-of-memory message; each tool sets it. */
extern const char *buf_program_name;

/* Grow so that `more` bytes fit (doubling from 64 KiB). */
static inline void
buf_reserve(Buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 65536;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
	{
		fprintf(stderr, "%s: out of memory\n", buf_program_name);
		exit(2);
	}
}

static inline void
buf_put(Buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define PUTS(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

static inline void
buf_putc(Buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
}

#endif /* UPHUB_TOOLS_BUF_H */
