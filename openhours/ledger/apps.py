from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openhours.ledger"
    verbose_name = "Time-credit ledger"

    def ready(self) -> None:
        # Registers the settings checks (limits that contradict each other stop start-up).
        from . import checks  # noqa: F401
