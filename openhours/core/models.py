"""Building blocks other apps' models share. ``core`` itself stores nothing here."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyError(RuntimeError):
    """Code tried to change or remove a row of history. Always a bug."""


def _refusal(model: type[models.Model]) -> str:
    advice = getattr(model, "append_only_advice", "")
    return f"{model.__name__} rows are append-only{'; ' + advice if advice else ''}."


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Bulk updates and deletes are refused, so no ORM path can rewrite history."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(_refusal(self.model))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(self.model))


class AppendOnlyModel(models.Model):
    """Rows may be inserted once and never saved again or deleted.

    Give the concrete model ``objects = AppendOnlyQuerySet.as_manager()`` as well, and back
    it with database triggers: this class stops the ORM, the triggers stop everything else.
    """

    append_only_advice: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_refusal(type(self)))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(_refusal(type(self)))
