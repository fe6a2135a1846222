// Placeholder until the LLDB layer lands (owned by the plugin work).
