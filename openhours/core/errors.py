class DomainError(Exception):
    """A rule said no. The message is plain English and safe to show to the member."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
