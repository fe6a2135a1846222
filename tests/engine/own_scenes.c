struct holder {
    void *payload;
    const void *shared;
    int tag;
};
struct holder c_holder;
void holder_keep(void *payload, const void *shared) {
    c_holder.payload = payload;
    c_holder.shared = shared;
    c_holder.tag = 7;
}
