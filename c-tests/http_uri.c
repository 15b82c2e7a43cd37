/* URIs, encodings, query strings and header lists: every result is printed, and the output
 * must equal libevent's (compare-output, check-preload). */
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <stddef.h>
#include <string.h>
#include "check.h"

static const char *s(const char *p) { return p ? p : "(null)"; }

static void show_uri(const char *text, unsigned flags)
{
	struct evhttp_uri *u = evhttp_uri_parse_with_flags(text, flags);
	char buf[512];
	if (!u) {
		printf("parse%s [%s] -> NULL\n", flags ? "/nc" : "", text);
		return;
	}
	printf("parse%s [%s] -> scheme=%s userinfo=%s host=%s port=%d path=%s query=%s fragment=%s join=%s\n",
	    flags ? "/nc" : "", text,
	    s(evhttp_uri_get_scheme(u)), s(evhttp_uri_get_userinfo(u)), s(evhttp_uri_get_host(u)),
	    evhttp_uri_get_port(u), s(evhttp_uri_get_path(u)), s(evhttp_uri_get_query(u)),
	    s(evhttp_uri_get_fragment(u)), s(evhttp_uri_join(u, buf, sizeof(buf))));
	evhttp_uri_free(u);
}

static void show_query(const char *q, int whole)
{
	struct evkeyvalq h;
	struct evkeyval *kv;
	int r = whole ? evhttp_parse_query(q, &h) : evhttp_parse_query_str(q, &h);
	printf("%s [%s] -> %d:", whole ? "parse_query" : "parse_query_str", q, r);
	TAILQ_FOREACH(kv, &h, next)
		printf(" {%s=%s}", kv->key, kv->value);
	printf("\n");
	evhttp_clear_headers(&h);
}

static void show_free(const char *what, char *p)
{
	printf("%s -> %s\n", what, s(p));
	free(p);
}

int main(void)
{
	static const char *uris[] = {
		"http://www.example.com/", "http://user:pw@host:8080/a/b?x=1&y=2#frag",
		"https://[::1]:443/p", "http://[::1/", "http://[v7.abc:x]/", "http://[vz.a]/",
		"http://[fe80::1%eth0]/", "http://[1:2:3:4:5:6:7:8]/", "http://[::ffff:1.2.3.4]/",
		"http://host:/", "http://host:0/", "http://host:65535/", "http://host:65536/",
		"http://host:12a/", "http://h@st@x/", "http://a%41b/", "http://a%4/", "http://a b/",
		"//host/path", "///path", "/path?q#f", "path", "a:b", "1a:b", ":x", "p:a:b",
		"mailto:someone@example.com", "", "?", "#", "?#", "/a b", "/a?b c", "/%zz", "/%41%",
		"http://x/a?b?c#d?e#f", "http:", "http://", "http://@/", "HTTP://X:1",
		"http://x/\x7f", "/a#b#c", "foo/bar:baz", "./a:b", "http://ex.com:80?q", "x://y#z",
		"http://[]/", "http://[:]/", "http://[v1.]/", "http://:80/", "http://u:p:q@h/",
		"http://%41:%42@h/", "http://h/%", "/%4g", "/a/../b", "s+.-://h",
		NULL };
	static const char *queries[] = {
		"q=test&s=some+thing", "a=1&b=%41%42+c", "a", "=b", "a=1&&b=2", "a=1&", "&a=1", "a=",
		"a=b=c", "", "a%20b=c", "a=%zz&b=%4", NULL };
	static const char *whole[] = {
		"/search?q=test&s=some+thing", "http://x/?a=1#frag", "/no/query", "/a?", "/a b?c=d",
		"http://x/?a", NULL };
	int i;

	/* Layouts programs rely on. */
	printf("sizeof evkeyval=%zu evkeyvalq=%zu request=%zu\n", sizeof(struct evkeyval),
	    sizeof(struct evkeyvalq), sizeof(struct evhttp_request));
	printf("offsets evcon=%zu flags=%zu input_headers=%zu output_headers=%zu remote_host=%zu "
	    "remote_port=%zu kind=%zu type=%zu uri=%zu major=%zu response_code=%zu "
	    "response_code_line=%zu input_buffer=%zu ntoread=%zu output_buffer=%zu cb=%zu "
	    "cb_arg=%zu chunk_cb=%zu header_cb=%zu error_cb=%zu on_complete_cb=%zu\n",
	    offsetof(struct evhttp_request, evcon), offsetof(struct evhttp_request, flags),
	    offsetof(struct evhttp_request, input_headers), offsetof(struct evhttp_request, output_headers),
	    offsetof(struct evhttp_request, remote_host), offsetof(struct evhttp_request, remote_port),
	    offsetof(struct evhttp_request, kind), offsetof(struct evhttp_request, type),
	    offsetof(struct evhttp_request, uri), offsetof(struct evhttp_request, major),
	    offsetof(struct evhttp_request, response_code), offsetof(struct evhttp_request, response_code_line),
	    offsetof(struct evhttp_request, input_buffer), offsetof(struct evhttp_request, ntoread),
	    offsetof(struct evhttp_request, output_buffer), offsetof(struct evhttp_request, cb),
	    offsetof(struct evhttp_request, cb_arg), offsetof(struct evhttp_request, chunk_cb),
	    offsetof(struct evhttp_request, header_cb), offsetof(struct evhttp_request, error_cb),
	    offsetof(struct evhttp_request, on_complete_cb));

	for (i = 0; uris[i]; i++) {
		show_uri(uris[i], 0);
		show_uri(uris[i], EVHTTP_URI_NONCONFORMANT);
	}
	for (i = 0; queries[i]; i++)
		show_query(queries[i], 0);
	for (i = 0; whole[i]; i++)
		show_query(whole[i], 1);

	/* Encodings. */
	show_free("encode_uri", evhttp_encode_uri("a b/c?d=e&f~g.h_i-j\xff"));
	show_free("uriencode -1 plus", evhttp_uriencode("a b+c", -1, 1));
	show_free("uriencode 3", evhttp_uriencode("a\0b", 3, 0));
	show_free("uriencode 0", evhttp_uriencode("abc", 0, 0));
	show_free("decode_uri", evhttp_decode_uri("/a+b%20c?d+e%2Bf%"));
	{
		size_t n = 99;
		char *p = evhttp_uridecode("a+b%20c%00d%4", 0, &n);
		printf("uridecode 0 -> %s size=%zu\n", p, n);
		free(p);
		p = evhttp_uridecode("a+b%2", 1, &n);
		printf("uridecode 1 -> %s size=%zu\n", p, n);
		free(p);
		p = evhttp_uridecode("%%41%4a%4A", 1, NULL);
		printf("uridecode null size -> %s\n", p);
		free(p);
	}
	show_free("htmlescape", evhttp_htmlescape("<a href=\"x\">'&'</a>"));
	show_free("htmlescape empty", evhttp_htmlescape(""));

	/* Building URIs with the setters. */
	{
		struct evhttp_uri *u = evhttp_uri_new();
		char buf[256], small[8];
		printf("new: scheme=%s host=%s port=%d path=%s join=%s\n", s(evhttp_uri_get_scheme(u)),
		    s(evhttp_uri_get_host(u)), evhttp_uri_get_port(u), s(evhttp_uri_get_path(u)),
		    s(evhttp_uri_join(u, buf, sizeof(buf))));
		printf("set_scheme 1x=%d http=%d\n", evhttp_uri_set_scheme(u, "1x"), evhttp_uri_set_scheme(u, "http"));
		printf("set_userinfo bad=%d ok=%d\n", evhttp_uri_set_userinfo(u, "a@b"), evhttp_uri_set_userinfo(u, "me:pw%41"));
		printf("set_host bad=%d [bad]=%d ok=%d\n", evhttp_uri_set_host(u, "a/b"), evhttp_uri_set_host(u, "[zz]"),
		    evhttp_uri_set_host(u, "example.com"));
		printf("set_port -2=%d -1=%d 80=%d 70000=%d\n", evhttp_uri_set_port(u, -2), evhttp_uri_set_port(u, -1),
		    evhttp_uri_set_port(u, 80), evhttp_uri_set_port(u, 70000));
		printf("set_path rel=%d join=%s\n", evhttp_uri_set_path(u, "rel"), s(evhttp_uri_join(u, buf, sizeof(buf))));
		printf("set_path bad=%d abs=%d\n", evhttp_uri_set_path(u, "/a b"), evhttp_uri_set_path(u, "/a/b"));
		printf("set_query bad=%d ok=%d\n", evhttp_uri_set_query(u, "a#b"), evhttp_uri_set_query(u, "a=1?b"));
		printf("set_fragment bad=%d ok=%d\n", evhttp_uri_set_fragment(u, "x#y"), evhttp_uri_set_fragment(u, "f/?"));
		printf("join=%s\n", s(evhttp_uri_join(u, buf, sizeof(buf))));
		printf("join small=%s zero=%s\n", s(evhttp_uri_join(u, small, sizeof(small))), s(evhttp_uri_join(u, buf, 0)));
		evhttp_uri_set_flags(u, EVHTTP_URI_NONCONFORMANT);
		printf("nc set_path=%d set_query=%d set_fragment=%d\n", evhttp_uri_set_path(u, "/a b"),
		    evhttp_uri_set_query(u, "a b"), evhttp_uri_set_fragment(u, "x#y"));
		printf("join=%s\n", s(evhttp_uri_join(u, buf, sizeof(buf))));
		printf("clear: %d %d %d %d %d %d\n", evhttp_uri_set_scheme(u, NULL), evhttp_uri_set_host(u, NULL),
		    evhttp_uri_set_userinfo(u, NULL), evhttp_uri_set_path(u, NULL), evhttp_uri_set_query(u, NULL),
		    evhttp_uri_set_fragment(u, NULL));
		printf("join=[%s]\n", s(evhttp_uri_join(u, buf, sizeof(buf))));
		printf("set_host [::1]=%d [v1.x]=%d join=%s\n", evhttp_uri_set_host(u, "[::1]"),
		    evhttp_uri_set_host(u, "[v1.x]"), s(evhttp_uri_join(u, buf, sizeof(buf))));
		evhttp_uri_free(u);
	}

	/* Header lists. */
	{
		struct evkeyvalq h;
		struct evkeyval *kv;
		TAILQ_INIT(&h);
		printf("add: %d %d %d %d %d %d %d %d\n", evhttp_add_header(&h, "Host", "a"),
		    evhttp_add_header(&h, "X-Multi", "one\r\n two"), evhttp_add_header(&h, "host", "b"),
		    evhttp_add_header(&h, "Bad\r", "x"), evhttp_add_header(&h, "Bad\n", "x"),
		    evhttp_add_header(&h, "K", "a\r\nb"), evhttp_add_header(&h, "K", "a\n"),
		    evhttp_add_header(&h, "", "empty key"));
		printf("add: %d %d %d\n", evhttp_add_header(&h, "K2", "a\n\tb"), evhttp_add_header(&h, "K3", "a\r\r\n b"),
		    evhttp_add_header(&h, "K4 x", "v"));
		/* CR or LF anywhere in a value: refused by libevent 2.1.12 as installed (security
		 * fixes included), folded continuations too. */
		{
			static const char *const values[] = { "Two\r\n Three", "Two\r\n\tThree", "Two\n Three",
				"Two\r Three", "Two\r\n\r\n x", "\r\n x", "Two\r\nThree", "Two\rThree", "Two\r\n",
				"Two\r", "Two\n", "a\r\n b\r\n c", "Two Three", "\tTwo\t", "" };
			size_t i;
			printf("add values:");
			for (i = 0; i < sizeof values / sizeof values[0]; i++)
				printf(" %d", evhttp_add_header(&h, "One", values[i]));
			printf("\n");
		}
		printf("find: %s %s %s\n", s(evhttp_find_header(&h, "HOST")), s(evhttp_find_header(&h, "x-multi")),
		    s(evhttp_find_header(&h, "nope")));
		printf("remove: %d %d\n", evhttp_remove_header(&h, "hOST"), evhttp_remove_header(&h, "nope"));
		TAILQ_FOREACH(kv, &h, next)
			printf(" [%s: %s]", kv->key, kv->value);
		printf("\n");
		evhttp_clear_headers(&h);
		printf("cleared empty=%d\n", TAILQ_EMPTY(&h));
		printf("after clear add=%d", evhttp_add_header(&h, "A", "1"));
		printf(" first=%s\n", TAILQ_FIRST(&h)->key);
		evhttp_clear_headers(&h);
	}
	return 0;
}
