/*
 * lexer.c — GraphQL lexical analysis (spec October 2021, §2.1).
 *
 * Phases per token: skip ignored tokens (BOM, white space, line
 * terminators, comments, commas), record the token's location, then scan
 * one punctuator, name, number or string. String tokens are decoded here:
 * escapes (including \uXXXX surrogate pairs) for ordinary strings, the
 * BlockStringValue() indentation algorithm and \""" for block strings.
 *
 * Invariants: the source is UTF-8 and is validated as it is scanned (an
 * invalid sequence is a syntax error); lines count LF, CR and CRLF; columns
 * count code points from the line start (a cache keeps that linear over a
 * document). Error messages follow graphql-js v16 wording.
 *
 * Deliberate choices: the spec's SourceCharacter excludes control
 * characters other than tab/LF/CR, and they are rejected everywhere
 * (graphql-js v16 tolerates them in strings and comments); characters above
 * U+FFFF are accepted, as graphql-js does. The later-draft \u{...} escape
 * is not part of the October 2021 edition and is rejected.
 */
#include <string.h>

#include "graphql_int.h"

static const char *const token_kind_names[] = {
    "<SOF>",   "<EOF>", "\"!\"", "\"$\"", "\"&\"", "\"(\"",  "\")\"",
    "\"...\"", "\":\"", "\"=\"", "\"@\"", "\"[\"", "\"]\"",  "\"{\"",
    "\"|\"",   "\"}\"", "Name",  "Int",   "Float", "String", "BlockString",
};

/* graphql-js getTokenKindDesc. */
const char *
graphql_token_kind_name(GraphqlTokenKind kind)
{
	if ((unsigned) kind < sizeof(token_kind_names) / sizeof(token_kind_names[0]))
		return token_kind_names[kind];
	return "<unknown>";
}

void
graphql_lexer_init(GraphqlLexer *lexer, GraphqlArena *arena, const char *source, size_t len)
{
	memset(lexer, 0, sizeof(*lexer));
	lexer->arena = arena;
	lexer->src = source;
	lexer->len = len;
	lexer->line = 1;
	lexer->col = 1;
	graphql_buf_init(&lexer->scratch, arena, 256);
}

GraphqlLexer *
graphql_lexer_create(GraphqlArena *arena, const char *source, size_t len)
{
	GraphqlLexer *lexer = graphql_arena_alloc(arena, sizeof(GraphqlLexer));

	graphql_lexer_init(lexer, arena, source, len);
	return lexer;
}

/* Location of a byte offset on the current line; columns in code points. */
GraphqlLocation
graphql_lexer_location(GraphqlLexer *lexer, size_t offset)
{
	GraphqlLocation loc;
	size_t p;

	if (lexer->col_pos < lexer->line_start || offset < lexer->col_pos)
	{
		lexer->col_pos = lexer->line_start;
		lexer->col = 1;
	}
	for (p = lexer->col_pos; p < offset && p < lexer->len; p++)
	{
		if (((unsigned char) lexer->src[p] & 0xC0) != 0x80)
			lexer->col++;
	}
	lexer->col_pos = offset;
	loc.line = lexer->line;
	loc.column = lexer->col;
	return loc;
}

/*
 * Decode one UTF-8 sequence at pos. Returns its length, or 0 when the bytes
 * are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF, truncated).
 */
static int
decode_utf8(const char *src, size_t len, size_t pos, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *) src + pos;
	size_t left = len - pos;
	uint32_t c = s[0];

	if (c < 0x80)
	{
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
	{
		if (left < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF)
	{
		uint32_t v;

		if (left < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		v = ((c & 0x0F) << 12) | ((uint32_t) (s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		*cp = v;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4)
	{
		uint32_t v;

		if (left < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		v = ((c & 0x07) << 18) | ((uint32_t) (s[1] & 0x3F) << 12) |
		    ((uint32_t) (s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (v < 0x10000 || v > 0x10FFFF)
			return 0;
		*cp = v;
		return 4;
	}
	return 0;
}

/* Append a code point as UTF-8. */
static void
put_utf8(GraphqlBuf *buf, uint32_t cp)
{
	char b[4];

	if (cp < 0x80)
	{
		graphql_buf_putc(buf, (char) cp);
		return;
	}
	if (cp < 0x800)
	{
		b[0] = (char) (0xC0 | (cp >> 6));
		b[1] = (char) (0x80 | (cp & 0x3F));
		graphql_buf_append(buf, b, 2);
		return;
	}
	if (cp < 0x10000)
	{
		b[0] = (char) (0xE0 | (cp >> 12));
		b[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char) (0x80 | (cp & 0x3F));
		graphql_buf_append(buf, b, 3);
		return;
	}
	b[0] = (char) (0xF0 | (cp >> 18));
	b[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char) (0x80 | (cp & 0x3F));
	graphql_buf_append(buf, b, 4);
}

/* A syntax error at a byte offset. */
static GraphqlError *
lex_error(GraphqlLexer *lexer, size_t offset, const char *message)
{
	GraphqlLocation loc = graphql_lexer_location(lexer, offset);

	return graphql_error_at(lexer->arena, GRAPHQL_ERROR_SYNTAX, loc, GRAPHQL_SYNTAX_PREFIX "%s",
	                        message);
}

/* graphql-js printCodePointAt: "x", '"', U+0001 or <EOF>. */
static const char *
describe_char_at(GraphqlLexer *lexer, size_t pos)
{
	uint32_t cp;

	if (pos >= lexer->len)
		return "<EOF>";
	if (decode_utf8(lexer->src, lexer->len, pos, &cp) == 0)
		return graphql_format(lexer->arena, "byte 0x%02X",
		                      (unsigned) (unsigned char) lexer->src[pos]);
	if (cp >= 0x20 && cp <= 0x7E)
	{
		if (cp == '"')
			return "'\"'";
		return graphql_format(lexer->arena, "\"%c\"", (char) cp);
	}
	return graphql_format(lexer->arena, "U+%04X", (unsigned) cp);
}

/* An invalid UTF-8 byte anywhere is reported the same way. */
static GraphqlError *
utf8_error(GraphqlLexer *lexer, size_t pos)
{
	return lex_error(lexer, pos,
	                 graphql_format(lexer->arena, "Invalid UTF-8 sequence (byte 0x%02X).",
	                                (unsigned) (unsigned char) lexer->src[pos]));
}

/* Move past a line terminator at pos (LF, CR or CRLF). */
static void
new_line(GraphqlLexer *lexer, size_t *pos)
{
	if (lexer->src[*pos] == '\r' && *pos + 1 < lexer->len && lexer->src[*pos + 1] == '\n')
		*pos += 2;
	else
		*pos += 1;
	lexer->line++;
	lexer->line_start = *pos;
}

/* Skip white space, line terminators, commas, BOMs and comments. */
static GraphqlError *
skip_ignored(GraphqlLexer *lexer)
{
	const char *s = lexer->src;
	size_t len = lexer->len;
	size_t pos = lexer->pos;

	while (pos < len)
	{
		unsigned char c = (unsigned char) s[pos];

		if (c == ' ' || c == '\t' || c == ',')
			pos++;
		else if (c == '\n' || c == '\r')
			new_line(lexer, &pos);
		else if (c == 0xEF && pos + 2 < len && (unsigned char) s[pos + 1] == 0xBB &&
		         (unsigned char) s[pos + 2] == 0xBF)
			pos += 3;
		else if (c == '#')
		{
			pos++;
			while (pos < len && s[pos] != '\n' && s[pos] != '\r')
			{
				uint32_t cp;
				int n;

				c = (unsigned char) s[pos];
				if (c >= 0x20 && c < 0x7F)
				{
					pos++;
					continue;
				}
				if (c == '\t')
				{
					pos++;
					continue;
				}
				if (c < 0x80)
				{
					lexer->pos = pos;
					return lex_error(lexer, pos,
					                 graphql_format(lexer->arena, "Unexpected character: %s.",
					                                describe_char_at(lexer, pos)));
				}
				n = decode_utf8(s, len, pos, &cp);
				if (n == 0)
					return utf8_error(lexer, pos);
				pos += (size_t) n;
			}
		}
		else
			break;
	}
	lexer->pos = pos;
	return NULL;
}

static inline bool
is_name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static inline bool
is_name_continue(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static inline bool
is_digit_at(GraphqlLexer *lexer, size_t pos)
{
	return pos < lexer->len && lexer->src[pos] >= '0' && lexer->src[pos] <= '9';
}

/* Digits of a number; at least one is required. */
static GraphqlError *
read_digits(GraphqlLexer *lexer, size_t *pos)
{
	if (!is_digit_at(lexer, *pos))
		return lex_error(lexer, *pos,
		                 graphql_format(lexer->arena, "Invalid number, expected digit but got: %s.",
		                                describe_char_at(lexer, *pos)));
	while (is_digit_at(lexer, *pos))
		(*pos)++;
	return NULL;
}

/* IntValue or FloatValue, with the spec's lookahead restrictions. */
static GraphqlError *
read_number(GraphqlLexer *lexer, GraphqlToken *token)
{
	size_t pos = lexer->pos;
	bool is_float = false;
	GraphqlError *err;

	if (lexer->src[pos] == '-')
		pos++;
	if (pos < lexer->len && lexer->src[pos] == '0')
	{
		pos++;
		if (is_digit_at(lexer, pos))
			return lex_error(lexer, pos,
			                 graphql_format(lexer->arena,
			                                "Invalid number, unexpected digit after 0: %s.",
			                                describe_char_at(lexer, pos)));
	}
	else if ((err = read_digits(lexer, &pos)) != NULL)
		return err;
	if (pos < lexer->len && lexer->src[pos] == '.')
	{
		is_float = true;
		pos++;
		if ((err = read_digits(lexer, &pos)) != NULL)
			return err;
	}
	if (pos < lexer->len && (lexer->src[pos] == 'e' || lexer->src[pos] == 'E'))
	{
		is_float = true;
		pos++;
		if (pos < lexer->len && (lexer->src[pos] == '+' || lexer->src[pos] == '-'))
			pos++;
		if ((err = read_digits(lexer, &pos)) != NULL)
			return err;
	}
	if (pos < lexer->len &&
	    (lexer->src[pos] == '.' || is_name_start((unsigned char) lexer->src[pos])))
		return lex_error(lexer, pos,
		                 graphql_format(lexer->arena, "Invalid number, expected digit but got: %s.",
		                                describe_char_at(lexer, pos)));
	token->kind = is_float ? GRAPHQL_TOKEN_FLOAT : GRAPHQL_TOKEN_INT;
	token->end = pos;
	token->value = graphql_arena_strndup(lexer->arena, lexer->src + lexer->pos, pos - lexer->pos);
	token->value_len = pos - lexer->pos;
	lexer->pos = pos;
	return NULL;
}

/* Value of one hex digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at pos, or -1. */
static int32_t
read_hex4(GraphqlLexer *lexer, size_t pos)
{
	int32_t v = 0;
	int i;

	if (pos + 4 > lexer->len)
		return -1;
	for (i = 0; i < 4; i++)
	{
		int h = hex_value(lexer->src[pos + i]);

		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/* The source text of up to n code points from pos, stopping at a line end. */
static const char *
slice_chars(GraphqlLexer *lexer, size_t pos, int n)
{
	size_t end = pos;
	int i;

	for (i = 0; i < n && end < lexer->len; i++)
	{
		uint32_t cp;
		int k;

		if (lexer->src[end] == '\n' || lexer->src[end] == '\r')
			break;
		k = decode_utf8(lexer->src, lexer->len, end, &cp);
		if (k == 0)
			break;
		end += (size_t) k;
	}
	return graphql_arena_strndup(lexer->arena, lexer->src + pos, end - pos);
}

/* Check one source character inside a string; returns its byte length or 0. */
static int
string_char(GraphqlLexer *lexer, size_t pos, GraphqlError **error)
{
	unsigned char c = (unsigned char) lexer->src[pos];
	uint32_t cp;
	int n;

	if (c >= 0x20 && c < 0x80)
		return 1;
	if (c == '\t')
		return 1;
	if (c < 0x20)
	{
		*error = lex_error(lexer, pos,
		                   graphql_format(lexer->arena, "Invalid character within String: %s.",
		                                  describe_char_at(lexer, pos)));
		return 0;
	}
	n = decode_utf8(lexer->src, lexer->len, pos, &cp);
	if (n == 0)
		*error = utf8_error(lexer, pos);
	return n;
}

/* An ordinary "..." string with escapes decoded. */
static GraphqlError *
read_string(GraphqlLexer *lexer, GraphqlToken *token)
{
	const char *s = lexer->src;
	size_t pos = lexer->pos + 1;
	size_t chunk = pos;
	GraphqlBuf *buf = &lexer->scratch;
	GraphqlError *err = NULL;

	buf->len = 0;
	while (pos < lexer->len)
	{
		char c = s[pos];
		int n;

		if (c == '"')
		{
			graphql_buf_append(buf, s + chunk, pos - chunk);
			token->kind = GRAPHQL_TOKEN_STRING;
			token->end = pos + 1;
			token->value = graphql_arena_strndup(lexer->arena, buf->data, buf->len);
			token->value_len = buf->len;
			lexer->pos = pos + 1;
			return NULL;
		}
		if (c == '\\')
		{
			char e = pos + 1 < lexer->len ? s[pos + 1] : '\0';

			graphql_buf_append(buf, s + chunk, pos - chunk);
			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					graphql_buf_putc(buf, e);
					pos += 2;
					break;
				case 'b':
					graphql_buf_putc(buf, '\b');
					pos += 2;
					break;
				case 'f':
					graphql_buf_putc(buf, '\f');
					pos += 2;
					break;
				case 'n':
					graphql_buf_putc(buf, '\n');
					pos += 2;
					break;
				case 'r':
					graphql_buf_putc(buf, '\r');
					pos += 2;
					break;
				case 't':
					graphql_buf_putc(buf, '\t');
					pos += 2;
					break;
				case 'u':
				{
					int32_t code = read_hex4(lexer, pos + 2);

					if (code >= 0 && (code < 0xD800 || code > 0xDFFF))
					{
						put_utf8(buf, (uint32_t) code);
						pos += 6;
						break;
					}
					if (code >= 0xD800 && code <= 0xDBFF && pos + 7 < lexer->len &&
					    s[pos + 6] == '\\' && s[pos + 7] == 'u')
					{
						int32_t trail = read_hex4(lexer, pos + 8);

						if (trail >= 0xDC00 && trail <= 0xDFFF)
						{
							put_utf8(buf, 0x10000 + (((uint32_t) code - 0xD800) << 10) +
							                  ((uint32_t) trail - 0xDC00));
							pos += 12;
							break;
						}
					}
					return lex_error(lexer, pos,
					                 graphql_format(lexer->arena,
					                                "Invalid Unicode escape sequence: \"%s\".",
					                                slice_chars(lexer, pos, 6)));
				}
				default:
					return lex_error(lexer, pos,
					                 graphql_format(lexer->arena,
					                                "Invalid character escape sequence: \"%s\".",
					                                slice_chars(lexer, pos, 2)));
			}
			chunk = pos;
			continue;
		}
		if (c == '\n' || c == '\r')
			break;
		n = string_char(lexer, pos, &err);
		if (n == 0)
			return err;
		pos += (size_t) n;
	}
	return lex_error(lexer, pos, "Unterminated string.");
}

/* Leading spaces and tabs of a line. */
static size_t
leading_whitespace(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

/*
 * A """block string""": raw lines are collected (\""" unescaped, line
 * terminators normalized), then BlockStringValue() removes the common
 * indentation and the leading and trailing blank lines.
 */
static GraphqlError *
read_block_string(GraphqlLexer *lexer, GraphqlToken *token)
{
	const char *s = lexer->src;
	size_t pos = lexer->pos + 3;
	size_t chunk = pos;
	GraphqlBuf *buf = &lexer->scratch;
	GraphqlError *err = NULL;
	size_t *line_offsets;
	size_t line_cap = 16;
	size_t line_count = 0;
	size_t i;
	size_t common = (size_t) -1;
	size_t first = (size_t) -1;
	size_t last = 0;
	bool any = false;
	GraphqlBuf out;

	buf->len = 0;
	line_offsets = graphql_arena_alloc(lexer->arena, sizeof(size_t) * line_cap);
	line_offsets[line_count++] = 0;
	for (;;)
	{
		char c;
		int n;

		if (pos >= lexer->len)
			return lex_error(lexer, pos, "Unterminated string.");
		c = s[pos];
		if (c == '"' && pos + 2 < lexer->len && s[pos + 1] == '"' && s[pos + 2] == '"')
		{
			graphql_buf_append(buf, s + chunk, pos - chunk);
			pos += 3;
			break;
		}
		if (c == '\\' && pos + 3 < lexer->len && s[pos + 1] == '"' && s[pos + 2] == '"' &&
		    s[pos + 3] == '"')
		{
			graphql_buf_append(buf, s + chunk, pos - chunk);
			graphql_buf_append(buf, "\"\"\"", 3);
			pos += 4;
			chunk = pos;
			continue;
		}
		if (c == '\n' || c == '\r')
		{
			graphql_buf_append(buf, s + chunk, pos - chunk);
			graphql_buf_putc(buf, '\n');
			new_line(lexer, &pos);
			chunk = pos;
			if (line_count == line_cap)
			{
				size_t *grown = graphql_arena_alloc(lexer->arena, sizeof(size_t) * line_cap * 2);

				memcpy(grown, line_offsets, sizeof(size_t) * line_cap);
				line_offsets = grown;
				line_cap *= 2;
			}
			line_offsets[line_count++] = buf->len;
			continue;
		}
		n = string_char(lexer, pos, &err);
		if (n == 0)
			return err;
		pos += (size_t) n;
	}

	/* BlockStringValue(): common indent ignores the first line. */
	for (i = 0; i < line_count; i++)
	{
		size_t start = line_offsets[i];
		size_t end = i + 1 < line_count ? line_offsets[i + 1] - 1 : buf->len;
		size_t indent = leading_whitespace(buf->data + start, end - start);

		if (indent == end - start)
			continue;
		if (!any)
			first = i;
		any = true;
		last = i;
		if (i != 0 && indent < common)
			common = indent;
	}
	graphql_buf_init(&out, lexer->arena, buf->len + 1);
	if (any)
	{
		for (i = first; i <= last; i++)
		{
			size_t start = line_offsets[i];
			size_t end = i + 1 < line_count ? line_offsets[i + 1] - 1 : buf->len;

			if (i != 0 && common != (size_t) -1)
				start = (end - start > common) ? start + common : end;
			if (i > first)
				graphql_buf_putc(&out, '\n');
			graphql_buf_append(&out, buf->data + start, end - start);
		}
	}
	token->kind = GRAPHQL_TOKEN_BLOCK_STRING;
	token->end = pos;
	token->value = out.data;
	token->value_len = out.len;
	lexer->pos = pos;
	return NULL;
}

/* Scan the next token. */
bool
graphql_lexer_next(GraphqlLexer *lexer, GraphqlToken *token, GraphqlError **error)
{
	const char *s = lexer->src;
	size_t pos;
	unsigned char c;
	GraphqlError *err;

	*error = NULL;
	err = skip_ignored(lexer);
	if (err)
	{
		*error = err;
		return false;
	}
	pos = lexer->pos;
	memset(token, 0, sizeof(*token));
	token->start = pos;
	token->loc = graphql_lexer_location(lexer, pos);
	if (pos >= lexer->len)
	{
		token->kind = GRAPHQL_TOKEN_EOF;
		token->end = pos;
		return true;
	}
	c = (unsigned char) s[pos];
	token->end = pos + 1;
	switch (c)
	{
		case '!':
			token->kind = GRAPHQL_TOKEN_BANG;
			break;
		case '$':
			token->kind = GRAPHQL_TOKEN_DOLLAR;
			break;
		case '&':
			token->kind = GRAPHQL_TOKEN_AMP;
			break;
		case '(':
			token->kind = GRAPHQL_TOKEN_PAREN_L;
			break;
		case ')':
			token->kind = GRAPHQL_TOKEN_PAREN_R;
			break;
		case ':':
			token->kind = GRAPHQL_TOKEN_COLON;
			break;
		case '=':
			token->kind = GRAPHQL_TOKEN_EQUALS;
			break;
		case '@':
			token->kind = GRAPHQL_TOKEN_AT;
			break;
		case '[':
			token->kind = GRAPHQL_TOKEN_BRACKET_L;
			break;
		case ']':
			token->kind = GRAPHQL_TOKEN_BRACKET_R;
			break;
		case '{':
			token->kind = GRAPHQL_TOKEN_BRACE_L;
			break;
		case '|':
			token->kind = GRAPHQL_TOKEN_PIPE;
			break;
		case '}':
			token->kind = GRAPHQL_TOKEN_BRACE_R;
			break;
		case '.':
			if (pos + 2 < lexer->len && s[pos + 1] == '.' && s[pos + 2] == '.')
			{
				token->kind = GRAPHQL_TOKEN_SPREAD;
				token->end = pos + 3;
				break;
			}
			*error = lex_error(lexer, pos, "Unexpected character: \".\".");
			return false;
		case '"':
			if (pos + 2 < lexer->len && s[pos + 1] == '"' && s[pos + 2] == '"')
				err = read_block_string(lexer, token);
			else
				err = read_string(lexer, token);
			if (err)
			{
				*error = err;
				return false;
			}
			return true;
		default:
			if (is_name_start(c))
			{
				size_t end = pos + 1;

				while (end < lexer->len && is_name_continue((unsigned char) s[end]))
					end++;
				token->kind = GRAPHQL_TOKEN_NAME;
				token->end = end;
				token->value = graphql_arena_strndup(lexer->arena, s + pos, end - pos);
				token->value_len = end - pos;
				lexer->pos = end;
				return true;
			}
			if (c == '-' || (c >= '0' && c <= '9'))
			{
				err = read_number(lexer, token);
				if (err)
				{
					*error = err;
					return false;
				}
				return true;
			}
			if (c == '\'')
				*error = lex_error(lexer, pos,
				                   "Unexpected single quote character ('), did you mean to use a "
				                   "double quote (\")?");
			else if (c >= 0x80)
			{
				uint32_t cp;

				if (decode_utf8(s, lexer->len, pos, &cp) == 0)
					*error = utf8_error(lexer, pos);
				else
					*error = lex_error(lexer, pos,
					                   graphql_format(lexer->arena, "Unexpected character: %s.",
					                                  describe_char_at(lexer, pos)));
			}
			else
				*error = lex_error(lexer, pos,
				                   graphql_format(lexer->arena, "Unexpected character: %s.",
				                                  describe_char_at(lexer, pos)));
			return false;
	}
	lexer->pos = token->end;
	return true;
}
