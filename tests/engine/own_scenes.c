// The C half of own_scenes.rs: a static and a heap struct that keep Rust pointers.
#include <stdlib.h>

struct holder {
    void *payload;
    const void *shared;
    struct holder *chain;
    int tag;
};
struct holder c_holder;
void holder_keep(void *payload, const void *shared) {
    c_holder.payload = payload;
    c_holder.shared = shared;
    c_holder.tag = 7;
}
void holder_chain(void *payload) {
    struct holder *h = calloc(1, sizeof *h);
    h->payload = payload;
    h->tag = 8;
    c_holder.chain = h;
}
