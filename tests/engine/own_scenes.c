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

/* A kernel-style held mutex (its owner word a task's address) in a device embedded in a serio,
 * as drivers/input's are, with C pointers to the serio and to the device in its middle: the
 * walk meets the mutex inside both, and must report it once. */
typedef struct {
    long counter;
} atomic_long_t;
struct list_head {
    struct list_head *next, *prev;
};
struct mutex {
    atomic_long_t owner;
    struct list_head wait_list; /* empty: it points at itself */
};
struct device {
    int id;
    struct mutex mutex;
};
struct serio {
    long tag;
    struct device dev;
};
/* A held spinlock (its lock word set) in a struct with no pointer: the walk must look at it. */
typedef struct {
    int counter;
} atomic_t;
struct qspinlock {
    atomic_t val;
};
struct raw_spinlock {
    struct qspinlock raw_lock;
};
struct spinlock {
    struct raw_spinlock rlock;
};
struct counters {
    long hits;
    struct spinlock lock;
};
struct serio_holder {
    struct serio *serio;
    struct device *dev;
    struct counters *counters;
};
struct serio_holder c_serio_holder;
void serio_keep(void) {
    struct serio *s = calloc(1, sizeof *s);
    s->dev.mutex.owner.counter = 0x1000;
    s->dev.mutex.wait_list.next = s->dev.mutex.wait_list.prev = &s->dev.mutex.wait_list;
    c_serio_holder.serio = s;
    c_serio_holder.dev = &s->dev;
    c_serio_holder.counters = calloc(1, sizeof *c_serio_holder.counters);
    c_serio_holder.counters->lock.rlock.raw_lock.val.counter = 1;
}
