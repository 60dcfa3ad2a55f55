"""Forms for polling and counting: shape only; rules live in services (STYLE.md §14, §16)."""
