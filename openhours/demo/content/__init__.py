"""Words for the demo: names, profiles and posts. Data only; ``generator`` uses it."""
