/* event_rs: the one piece of libev's ABI that is data, not a function. */
#include <stddef.h>

struct ev_loop;

/* The default loop once ev_default_loop() made it; <ev.h>'s inline ev_default_loop_uc_()
 * reads it directly. Defined in C (compiled -fPIC) so the library reaches it through the
 * GOT: when the program holds its own copy (a copy relocation), both see the same one. */
struct ev_loop *ev_default_loop_ptr = NULL;
