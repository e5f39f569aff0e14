"""Views: filled in as the app grows."""
