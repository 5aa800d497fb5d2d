"""Running text: finding mentions, resolving them in context and rewriting them."""
