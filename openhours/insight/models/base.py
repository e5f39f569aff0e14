"""Abstract field blocks that several of insight's summary tables share.

Django orders a model's fields by when each was defined, so the blocks here come first in
a table that uses them, in the order they are listed: a model takes them only where its
own fields followed them in the same order (``facts.flows._cell_rows`` relies on
``month`` leading the monthly flows). The tables' columns are unchanged.
"""

from __future__ import annotations

from django.db import models


class MonthRow(models.Model):
    """A row of one month."""

    month = models.DateField()

    class Meta:
        abstract = True


class WindowRow(models.Model):
    """A row of one standard window of whole months (``windows.current``)."""

    first_month = models.DateField()
    last_month = models.DateField()

    class Meta:
        abstract = True


class ScopeRow(models.Model):
    """A row of one filter scope: every exchange (place 0, kind ""), a place, a kind of
    organisation, or both (``ProfessionFlow``)."""

    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True


class OrgPairRow(models.Model):
    """Exchanges from one organisation's members to another's."""

    giver_org = models.IntegerField()
    receiver_org = models.IntegerField()
    giver_kind = models.CharField(max_length=20, blank=True)
    receiver_kind = models.CharField(max_length=20, blank=True)
    giver_place = models.IntegerField()
    receiver_place = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()

    class Meta:
        abstract = True


class ProfessionPairRow(models.Model):
    """Exchanges from one profession to another, and the people behind them."""

    giver_profession = models.IntegerField()
    receiver_profession = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()
    givers = models.IntegerField()
    receivers = models.IntegerField()

    class Meta:
        abstract = True


class SkillRow(models.Model):
    """Offers or requests naming one skill, by author's kind of organisation and place."""

    skill_id = models.IntegerField()
    kind = models.CharField(max_length=8)
    org_kind = models.CharField(max_length=20, blank=True)
    place_id = models.IntegerField()
    posts = models.IntegerField()

    class Meta:
        abstract = True
