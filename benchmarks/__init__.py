"""make bench's parts: each module times one thing and returns rows (or lines) to print."""
