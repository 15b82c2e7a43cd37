/* compare-output: evbuffer_readln in every style, evbuffer_readline, evbuffer_search_eol;
 * lines and CRLF split across chains, no terminator, empty buffers, frozen fronts. */
#include "buffer_common.h"

static const char *names[] = { "ANY", "CRLF", "STRICT", "LF", "NUL", "BAD" };

/* Builds a buffer whose chains are the given pieces (each added by reference, so each is its
 * own chain), then reads lines until none is left. */
static void readall(const char **pieces, int np, int style)
{
	struct evbuffer *b = evbuffer_new();
	int i;
	size_t n;
	char *line;
	for (i = 0; i < np; i++)
		evbuffer_add_reference(b, pieces[i], strlen(pieces[i]), NULL, NULL);
	printf("%s extents=%d:", names[style], evbuffer_peek(b, -1, NULL, NULL, 0));
	while ((line = evbuffer_readln(b, &n, (enum evbuffer_eol_style)style)) != NULL) {
		CHECK_EQ(strlen(line) <= n, 1);
		printf(" <"); show_bytes((unsigned char *)line, n); printf(">%zu", n);
		free(line);
	}
	CHECK_EQ(n, 0);
	printf(" | left %zu\n", evbuffer_get_length(b));
	evbuffer_free(b);
}

int main(void)
{
	const char *p1[] = { "one\r\ntwo\nthree\r", "\nfour\n\r\nfive\r\r\n", "six" };
	const char *p2[] = { "a\r", "\n", "b\r", "\r", "\n", "c\n", "\r\n", "d" };
	const char *p3[] = { "x", "y", "z" };
	const char *p4[] = { "\n", "\n", "\r\n", "end\r" };
	const char *p5[] = { "al", "pha\rbe", "ta\r", "\ngam", "ma\n" };
	const char *all[][8] = { {0} };
	int s;
	(void)all;
	for (s = 0; s <= 5; s++) {
		readall(p1, 3, s);
		readall(p2, 8, s);
		readall(p3, 3, s);
		readall(p4, 4, s);
		readall(p5, 5, s);
	}
	{
		/* NUL-terminated records */
		struct evbuffer *b = evbuffer_new();
		size_t n;
		char *line;
		evbuffer_add(b, "ab\0cd\0\0e", 8);
		while ((line = evbuffer_readln(b, &n, EVBUFFER_EOL_NUL)) != NULL) {
			printf("nul <%s>%zu\n", line, n);
			free(line);
		}
		printf("left %zu\n", evbuffer_get_length(b));
		/* empty buffer, NULL n_read_out */
		evbuffer_drain(b, 100);
		CHECK(evbuffer_readln(b, NULL, EVBUFFER_EOL_ANY) == NULL);
		CHECK(evbuffer_readline(b) == NULL);
		/* frozen front refuses */
		evbuffer_add(b, "line\n", 5);
		evbuffer_freeze(b, 1);
		n = 99;
		CHECK(evbuffer_readln(b, &n, EVBUFFER_EOL_LF) == NULL);
		CHECK_EQ(n, 0);
		evbuffer_unfreeze(b, 1);
		line = evbuffer_readline(b);
		CHECK(line && strcmp(line, "line") == 0);
		free(line);
		evbuffer_free(b);
	}
	{
		/* search_eol with and without a start */
		struct evbuffer *b = evbuffer_new();
		struct evbuffer_ptr p, q;
		size_t eol;
		int s2;
		evbuffer_add_reference(b, "ab\r", 3, NULL, NULL);
		evbuffer_add_reference(b, "\ncd\r\r\n\nef", 9, NULL, NULL);
		for (s2 = 0; s2 <= 5; s2++) {
			size_t start;
			for (start = 0; start <= 12; start++) {
				eol = 77;
				if (evbuffer_ptr_set(b, &p, start, EVBUFFER_PTR_SET) < 0) {
					printf("set %zu failed pos=%zd\n", start, (ssize_t)p.pos);
					continue;
				}
				q = evbuffer_search_eol(b, &p, &eol, (enum evbuffer_eol_style)s2);
				printf("%s from %zu: pos=%zd eol=%zu\n", names[s2], start, (ssize_t)q.pos, eol);
			}
			q = evbuffer_search_eol(b, NULL, NULL, (enum evbuffer_eol_style)s2);
			printf("%s from NULL: pos=%zd\n", names[s2], (ssize_t)q.pos);
		}
		evbuffer_free(b);
		b = evbuffer_new();
		eol = 5;
		q = evbuffer_search_eol(b, NULL, &eol, EVBUFFER_EOL_ANY);
		printf("empty: pos=%zd eol=%zu\n", (ssize_t)q.pos, eol);
		evbuffer_free(b);
	}
	return 0;
}
